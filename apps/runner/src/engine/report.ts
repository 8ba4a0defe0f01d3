import type { Entity, FieldIssue, OperationKind } from '@port-service/mapping';
import type { ApiUsage } from './api-usage.js';

/** One record the report names: why it was not synced this cycle, or what happened to its link. */
export interface ReportItem {
  readonly entity: Entity;
  readonly outcome:
    | 'failed'
    | 'skipped'
    | 'conflict'
    | 'candidates'
    | 'orphaned'
    | 'restored'
    | 'relinked'
    | 'pending';
  /** The system the record is in (for a skip: where it was read). */
  readonly system: 'hubspot' | 'visma-nxt' | null;
  readonly crmId: string | null;
  readonly associateNo: number | null;
  /** A stable code: a skip reason, a field rule, an error kind. */
  readonly reason: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}

export interface EntityCounts {
  /** Records read as changed (or all, in a full cycle), per side. */
  readonly read: { hubspot: number; vismaNxt: number };
  /** Operations planned, by kind. */
  readonly planned: Partial<Record<OperationKind, number>>;
  /** Operations that succeeded (for a dry run: none). */
  readonly applied: Partial<Record<OperationKind, number>>;
  /** Operations that failed; their records are in `items` and retried next cycle. */
  failed: number;
  /**
   * Business NXT rows read as changed that were the sync's own writes coming back with the values it recorded
   * (own-echoes.ts): left alone, without reading HubSpot. Also counted in `read`.
   */
  echoesSkipped: number;
}

/** The signals a cycle stops cleanly on: the work in flight is finished and committed, nothing new is started. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit codes of a process stopped by a signal, as shells report them (128 + the signal's number). */
export const signalExitCodes: Record<StopSignal, 130 | 143> = { SIGINT: 130, SIGTERM: 143 };

export interface CycleReport {
  readonly runId: string;
  /** `targeted`: the records webhooks announced, synced by id (`crm-sync serve`). */
  readonly mode: 'full' | 'incremental' | 'targeted';
  readonly dryRun: boolean;
  readonly startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  readonly entities: Record<Entity, EntityCounts>;
  readonly items: ReportItem[];
  /** Requests this cycle made (set when it ends). */
  apiCalls: ApiUsage;
  /** Intents left from an earlier, interrupted cycle: how many were found created, and how many were not. */
  readonly intents: { resolvedCreated: number; resolvedAbandoned: number; stillPending: number };
  /** 0 clean, 3 some records failed, 1 the cycle failed (docs/DESIGN.md §2); 130 / 143 stopped by SIGINT / SIGTERM. */
  exitCode: 0 | 1 | 3 | 130 | 143;
  /** The signal that stopped the cycle after the work in flight, when one did. */
  interrupted: StopSignal | null;
  /** Why the cycle failed, when it did. */
  failure: string | null;
  /** Time spent planning (pure CPU) and the records planned, for the planner's throughput. */
  readonly planning: { records: number; ms: number };
  /** The process's peak resident memory so far, in bytes (set when the cycle ends). */
  peakRssBytes: number;
}

function emptyCounts(): EntityCounts {
  return { read: { hubspot: 0, vismaNxt: 0 }, planned: {}, applied: {}, failed: 0, echoesSkipped: 0 };
}

export function newReport(
  runId: string,
  mode: CycleReport['mode'],
  dryRun: boolean,
  apiCalls: ApiUsage,
  startedAt: string,
): CycleReport {
  return {
    runId,
    mode,
    dryRun,
    startedAt,
    finishedAt: null,
    durationMs: 0,
    entities: { customer: emptyCounts(), contact: emptyCounts() },
    items: [],
    apiCalls,
    intents: { resolvedCreated: 0, resolvedAbandoned: 0, stillPending: 0 },
    exitCode: 0,
    interrupted: null,
    failure: null,
    planning: { records: 0, ms: 0 },
    peakRssBytes: 0,
  };
}

export function bump(counts: Partial<Record<OperationKind, number>>, kind: OperationKind, by = 1): void {
  counts[kind] = (counts[kind] ?? 0) + by;
}

/** The flat counts a run row keeps (`customer.create-erp`: 3, …). */
export function flatCounts(report: CycleReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entity of ['customer', 'contact'] as const) {
    const entityCounts = report.entities[entity];
    counts[`${entity}.read.hubspot`] = entityCounts.read.hubspot;
    counts[`${entity}.read.visma-nxt`] = entityCounts.read.vismaNxt;
    for (const [kind, count] of Object.entries(entityCounts.applied)) counts[`${entity}.${kind}`] = count;
    counts[`${entity}.failed`] = entityCounts.failed;
    counts[`${entity}.echoes-skipped`] = entityCounts.echoesSkipped;
  }
  return counts;
}
