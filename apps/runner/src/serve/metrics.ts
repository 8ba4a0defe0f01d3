import type { Entity } from '@port-service/mapping';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleReport } from '../engine/report.js';

/**
 * The service's Prometheus metrics (docs/OPERATION.md, "Running as a service"), on a registry of their own (never
 * prom-client's global one), every name prefixed `crm_sync_`. Exposition format:
 * https://prometheus.io/docs/instrumenting/exposition_formats/ · naming: https://prometheus.io/docs/practices/naming/
 */
export const metricPrefix = 'crm_sync_';

export type CycleKind = 'incremental' | 'full' | 'targeted';
/** `ok`: clean; `held`: ran to its end with records held (exit 3); `failed` (exit 1); `interrupted` (SIGINT/SIGTERM). */
export type CycleOutcome = 'ok' | 'held' | 'failed' | 'interrupted';
/**
 * `synced`: a record created or updated in one system (the ERP numbers written back included; a pair written on both
 * sides counts twice); `failed`: a read or write failed (retried next cycle); `held`: waits for a person (invalid
 * data, a conflict, candidates) or for its counterpart.
 */
export type RecordOutcome = 'synced' | 'failed' | 'held';
export type SyncedSystem = 'hubspot' | 'visma-nxt';
/**
 * How one webhook delivery (one HTTP request, which may carry several events) ended, as the receivers
 * (serve/webhooks/receive.ts) name it: `accepted` (verified and stored in the inbox), `forged` (bad signature),
 * `stale` (signed too long ago), `malformed`, `wrong-company` (another Business NXT company than the bound one),
 * `wrong-portal` (events of another HubSpot account than the bound one: acknowledged, not synced), `ignored` (verified, nothing to sync), `failed` (could not be stored: answered 5xx, sent again), `not-configured`
 * (no secret for that system: the endpoint is off).
 */
export type WebhookOutcome =
  | 'accepted'
  | 'forged'
  | 'stale'
  | 'malformed'
  | 'wrong-company'
  | 'wrong-portal'
  | 'ignored'
  | 'failed'
  | 'not-configured';
export type SyncDirection = 'hubspot-to-visma-nxt' | 'visma-nxt-to-hubspot';

const cycleKinds: readonly CycleKind[] = ['incremental', 'full', 'targeted'];
const cycleOutcomes: readonly CycleOutcome[] = ['ok', 'held', 'failed', 'interrupted'];
const entities: readonly Entity[] = ['customer', 'contact'];
const recordOutcomes: readonly RecordOutcome[] = ['synced', 'failed', 'held'];
const systems: readonly SyncedSystem[] = ['hubspot', 'visma-nxt'];
const webhookOutcomes: readonly WebhookOutcome[] = [
  'accepted',
  'forged',
  'stale',
  'malformed',
  'wrong-company',
  'wrong-portal',
  'ignored',
  'failed',
  'not-configured',
];
const directions: readonly SyncDirection[] = ['hubspot-to-visma-nxt', 'visma-nxt-to-hubspot'];

/** From half a second (a webhook-driven targeted sync) to an hour (a change that waited for the schedule). */
export const latencyBucketsSeconds: readonly number[] = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** The applied operations that wrote a record: what `synced` counts (links, baselines, skips write nothing). */
const writeOperations: ReadonlySet<string> = new Set([
  'create-erp',
  'create-crm',
  'update-erp',
  'update-crm',
  'write-back',
]);
/** The report items of held records: waiting for a person, or for their counterpart (`pending`). */
const heldItemOutcomes: ReadonlySet<string> = new Set(['skipped', 'conflict', 'candidates', 'pending']);

export interface ServiceMetrics {
  readonly registry: Registry;
  cycleFinished(kind: CycleKind, outcome: CycleOutcome): void;
  recordsSynced(entity: Entity, outcome: RecordOutcome, count: number): void;
  /** `count` requests made, `rateLimited` of them answered 429 (the engine's `ApiUsage` counts both). */
  apiRequests(system: SyncedSystem, count: number, rateLimited: number): void;
  webhookDelivery(system: SyncedSystem, outcome: WebhookOutcome): void;
  setInboxDepth(depth: number): void;
  /** When the last cycle that ran to its end (outcome `ok` or `held`) finished; seed it from the state at start. */
  cycleSucceededAt(finishedAt: Date): void;
  /** Seconds from a change's timestamp in one system to its write in the other; negative (clock skew) counts as 0. */
  observeLatency(direction: SyncDirection, seconds: number): void;
  /** A finished cycle's report, in one call: its outcome, its records, its API requests and, if it ran to its end, its time. */
  cycleReported(kind: CycleKind, report: CycleReport): void;
  /** This instance's role (docs/DESIGN.md §5b, "Leadership"); `changed` counts a change of role. */
  leadership(role: 'leader' | 'standby', changed: boolean): void;
}

/** A cycle's outcome, from its report's exit code (docs/OPERATION.md, "Exit codes"). */
export function cycleOutcomeOf(report: Pick<CycleReport, 'exitCode' | 'interrupted'>): CycleOutcome {
  if (report.interrupted !== null || report.exitCode === 130 || report.exitCode === 143) return 'interrupted';
  if (report.exitCode === 0) return 'ok';
  if (report.exitCode === 3) return 'held';
  return 'failed';
}

function requireCount(what: string, count: number): void {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`metrics: ${what} must be a whole number of at least 0, got ${count}`);
}

/** The metrics themselves, registered on `registry`; every known label set starts at 0. */
function defineMetrics(registry: Registry, secondsSinceLastSuccess: () => number | undefined) {
  const registers = [registry];
  const cycles = new Counter({
    name: `${metricPrefix}cycles_total`,
    help: 'Sync cycles finished, by kind (incremental, full, targeted) and outcome (ok, held, failed, interrupted).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const records = new Counter({
    name: `${metricPrefix}records_total`,
    help: 'Records by entity (customer, contact) and outcome (synced: created or updated in a system; failed; held).',
    labelNames: ['entity', 'outcome'] as const,
    registers,
  });
  const requests = new Counter({
    name: `${metricPrefix}api_requests_total`,
    help: 'HTTP requests made to each system (hubspot, visma-nxt), retries included.',
    labelNames: ['system'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: `${metricPrefix}api_rate_limited_total`,
    help: 'Requests each system answered with 429 Too Many Requests (also counted in api_requests_total).',
    labelNames: ['system'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: `${metricPrefix}webhook_deliveries_total`,
    help: 'Webhook deliveries received, by system and outcome (accepted, forged, stale, malformed, …).',
    labelNames: ['system', 'outcome'] as const,
    registers,
  });
  const inboxDepth = new Gauge({
    name: `${metricPrefix}inbox_depth`,
    help: 'Webhook events stored in the inbox and not yet synced.',
    registers,
  });
  new Gauge({
    name: `${metricPrefix}seconds_since_last_successful_cycle`,
    help: 'Seconds since the last cycle that ran to its end (outcome ok or held); absent before the first one.',
    registers,
    collect() {
      // Computed at scrape time. No sample at all before a first success: alert on absent(), not on a made-up value.
      const seconds = secondsSinceLastSuccess();
      if (seconds === undefined) this.remove();
      else this.set(seconds);
    },
  });
  const latency = new Histogram({
    name: `${metricPrefix}latency_seconds`,
    help: "Seconds from a change's timestamp in one system to its write in the other, by direction.",
    labelNames: ['direction'] as const,
    buckets: [...latencyBucketsSeconds],
    registers,
  });
  // So that rate() and increase() see the first event of each kind.
  for (const kind of cycleKinds) for (const outcome of cycleOutcomes) cycles.inc({ kind, outcome }, 0);
  for (const entity of entities) for (const outcome of recordOutcomes) records.inc({ entity, outcome }, 0);
  for (const system of systems) {
    requests.inc({ system }, 0);
    rateLimited.inc({ system }, 0);
    for (const outcome of webhookOutcomes) deliveries.inc({ system, outcome }, 0);
  }
  for (const direction of directions) latency.zero({ direction });
  const leader = new Gauge({
    name: `${metricPrefix}leader`,
    help: 'Whether this instance leads (1: it runs the cycles and the inbox) or is the standby (0).',
    registers,
  });
  const leadershipChanges = new Counter({
    name: `${metricPrefix}leadership_changes_total`,
    help: 'Times this instance became the leader or stepped down (or let go when stopping).',
    registers,
  });
  return {
    cycles,
    records,
    requests,
    rateLimited,
    deliveries,
    inboxDepth,
    latency,
    leader,
    leadershipChanges,
  };
}

/** Moves the metrics for one finished cycle's report (see `ServiceMetrics.cycleReported`). */
function reportCycle(metrics: ServiceMetrics, kind: CycleKind, report: CycleReport): void {
  const outcome = cycleOutcomeOf(report);
  metrics.cycleFinished(kind, outcome);
  for (const entity of entities) {
    const counts = report.entities[entity];
    const applied = Object.entries(counts.applied)
      .filter(([kind]) => writeOperations.has(kind))
      .reduce((sum, [, count]) => sum + (count ?? 0), 0);
    const held = report.items.filter((item) => item.entity === entity && heldItemOutcomes.has(item.outcome));
    metrics.recordsSynced(entity, 'synced', applied);
    metrics.recordsSynced(entity, 'failed', counts.failed);
    metrics.recordsSynced(entity, 'held', held.length);
  }
  metrics.apiRequests('hubspot', report.apiCalls.hubspot, report.apiCalls.hubspotRateLimited);
  metrics.apiRequests('visma-nxt', report.apiCalls.vismaNxt, report.apiCalls.vismaNxtRateLimited);
  // Scheduled cycles only: targeted syncs flowing must not hide that the cycles that find everything fail.
  if (kind !== 'targeted' && (outcome === 'ok' || outcome === 'held') && report.finishedAt !== null)
    metrics.cycleSucceededAt(new Date(report.finishedAt));
}

/** The service's metrics and the small typed methods that move them. `now` is injectable for tests. */
export function createServiceMetrics(options: { now?: () => Date } = {}): ServiceMetrics {
  const now = options.now ?? (() => new Date());
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricPrefix });
  let lastSuccess: Date | undefined;
  const defined = defineMetrics(registry, () =>
    lastSuccess === undefined ? undefined : Math.max(0, (now().getTime() - lastSuccess.getTime()) / 1000),
  );
  const metrics: ServiceMetrics = {
    registry,
    cycleFinished: (kind, outcome) => defined.cycles.inc({ kind, outcome }),
    recordsSynced(entity, outcome, count) {
      requireCount(`records (${entity}, ${outcome})`, count);
      defined.records.inc({ entity, outcome }, count);
    },
    apiRequests(system, count, rateLimited) {
      requireCount(`API requests (${system})`, count);
      requireCount(`429 answers (${system})`, rateLimited);
      defined.requests.inc({ system }, count);
      defined.rateLimited.inc({ system }, rateLimited);
    },
    webhookDelivery: (system, outcome) => defined.deliveries.inc({ system, outcome }),
    setInboxDepth(depth) {
      requireCount('the inbox depth', depth);
      defined.inboxDepth.set(depth);
    },
    cycleSucceededAt(finishedAt) {
      if (lastSuccess === undefined || finishedAt.getTime() > lastSuccess.getTime()) lastSuccess = finishedAt;
    },
    observeLatency(direction, seconds) {
      if (Number.isFinite(seconds)) defined.latency.observe({ direction }, Math.max(0, seconds));
    },
    cycleReported: (kind, report) => reportCycle(metrics, kind, report),
    leadership(role, changed) {
      defined.leader.set(role === 'leader' ? 1 : 0);
      if (changed) defined.leadershipChanges.inc();
    },
  };
  return metrics;
}
