import type { Run } from '../src/state/state-store.js';
import type { Edit } from './service-edits.js';

/** The nearest-rank percentile (`p` from 0 to 100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface Latency {
  readonly edits: number;
  readonly arrived: number;
  /** Milliseconds from the edit to its value in the other system, of the edits that arrived. */
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function latencyOf(edits: readonly Edit[]): Latency {
  const times = edits.flatMap((edit) => (edit.arrivedAt === null ? [] : [edit.arrivedAt - edit.editedAt]));
  return {
    edits: edits.length,
    arrived: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.length === 0 ? Number.NaN : Math.max(...times),
  };
}

export const seconds = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

/**
 * Where an edit's time went: from the edit to the start of the targeted run that wrote it (webhook delivery, the
 * inbox's gathering, waiting for the run before), and from that start to the value showing (the run's reads and
 * writes). The run that wrote it is the last one that started before the value showed; `pollMs` allows for the poll.
 */
export function splitOfLatency(edits: readonly Edit[], runs: readonly Run[], pollMs: number) {
  const waits: number[] = [];
  const inRun: number[] = [];
  const targeted = runs.filter((run) => run.mode === 'targeted');
  for (const edit of edits) {
    const arrivedAt = edit.arrivedAt;
    if (arrivedAt === null) continue;
    const carrier = targeted
      .filter((run) => Date.parse(run.startedAt) <= arrivedAt && Date.parse(run.startedAt) >= edit.editedAt)
      .filter((run) => run.finishedAt === null || Date.parse(run.finishedAt) + 2 * pollMs >= arrivedAt)
      .at(-1);
    if (carrier === undefined) continue;
    waits.push(Date.parse(carrier.startedAt) - edit.editedAt);
    inRun.push(arrivedAt - Date.parse(carrier.startedAt));
  }
  return {
    attributed: waits.length,
    waitP50: percentile(waits, 50),
    waitP95: percentile(waits, 95),
    inRunP50: percentile(inRun, 50),
    inRunP95: percentile(inRun, 95),
  };
}

/** Records a run wrote to either system (updates and creates, both entities). */
export function writesOf(run: Run): number {
  return Object.entries(run.counts)
    .filter(([key]) => /\.(update|create)-(erp|crm)$/u.test(key))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Targeted runs: how many, their durations, and the records and requests per run. */
export function runSummary(runs: readonly Run[]) {
  const targeted = runs.filter((run) => run.mode === 'targeted' && run.finishedAt !== null);
  const durations = targeted.map(
    (run) => Date.parse(run.finishedAt ?? run.startedAt) - Date.parse(run.startedAt),
  );
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  return {
    runs: targeted.length,
    otherRuns: runs.length - targeted.length,
    durationP50: percentile(durations, 50),
    durationMax: durations.length === 0 ? Number.NaN : Math.max(...durations),
    busyMs: sum(durations),
    writes: sum(targeted.map(writesOf)),
    hubspot: sum(targeted.map((run) => run.apiCalls.hubspot ?? 0)),
    visma: sum(targeted.map((run) => run.apiCalls.vismaNxt ?? 0)),
  };
}

const pages = (count: number, size: number) => (count === 0 ? 0 : Math.ceil(count / size));

/**
 * The fewest requests a sync of a burst needs, from the APIs' batch sizes: on HubSpot, the edited companies read by
 * id and the edited rows' companies read by id (batch read, 100 ids per request), and those companies updated
 * (batch update, 100 per request); on Business NXT, both sets of rows read by associate number (one request holds
 * 32 lookups of 100 numbers) and the edited companies' rows updated (50 rows per mutation, 32 mutations per
 * request). Echoes of the sync's own writes cost nothing here: a perfect sync would not read them.
 */
export function burstMinimum(editedInHubSpot: number, editedInVisma: number) {
  return {
    hubspot: pages(editedInHubSpot + editedInVisma, 100) + pages(editedInVisma, 100),
    visma: pages(editedInHubSpot + editedInVisma, 3200) + pages(pages(editedInHubSpot, 50), 32),
  };
}

export interface Limit {
  readonly requests: number;
  readonly windowMs: number;
}

/** The least wall time a rolling window allows for `calls` requests (the last window must open), as sync.bench.ts. */
export function windowBound(calls: number, limit: Limit): number {
  return Math.max(0, Math.ceil(calls / limit.requests) - 1) * limit.windowMs;
}

/** `calls` requests at the limit's sustained rate (`requests` per `windowMs`), from a standing start. */
export function rateBound(calls: number, limit: Limit): number {
  return (calls * limit.windowMs) / limit.requests;
}
