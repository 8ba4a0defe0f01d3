import type { Entity, SyncPlan } from '@port-service/mapping';
import type { Logger } from 'pino';
import type { CycleDependencies } from '../engine/cycle.js';
import { runCycle } from '../engine/cycle.js';
import { LockHeldError } from '../engine/cycle-lock.js';
import type { CycleReport } from '../engine/report.js';
import { runTargetedSync } from '../engine/targeted-sync.js';
import { hasWatermarks } from '../engine/watermarks.js';
import { FencedError } from '../state/postgres/fencing.js';
import type { InboxEvent, StateStore } from '../state/state-store.js';
import { type CoalescedEvents, coalesceEvents, hasTargets } from './coalesce-events.js';
import type { ServiceMetrics } from './metrics.js';

export interface LaneDependencies {
  readonly engine: CycleDependencies;
  readonly store: StateStore;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Every run that happened, after its metrics (the alerts). */
  readonly afterRun?: ((report: CycleReport) => Promise<void>) | undefined;
}

/**
 * What a run of the lane ended with: `locked` when another process (a `run` from cron) held the cycle lock;
 * `fenced` when the state refused its writes (another instance leads now, docs/DESIGN.md §5b "Leadership");
 * `settled` when the inbox's events needed no sync (the sync's own echoes) and were settled without one.
 */
export type LaneOutcome =
  | { readonly kind: 'ran'; readonly report: CycleReport }
  | { readonly kind: 'locked' }
  | { readonly kind: 'fenced' }
  | { readonly kind: 'settled' };

// Events per targeted sync: one burst of webhook deliveries is one run with batched reads.
const eventsPerRun = 1000;
// Settled events are kept this long, so a redelivery (HubSpot retries for up to 24 hours) is recognised.
const keepSettledMs = 3 * 24 * 60 * 60_000;

/**
 * The service's engine calls, one at a time (docs/DESIGN.md §5b): scheduled cycles and targeted syncs of the inbox,
 * each through the engine API the CLI uses, under the same cycle lock. It records each run's figures in the
 * metrics and logs it as `run` does.
 */
export function createEngineLane(dependencies: LaneDependencies) {
  const { engine, store, metrics, logger } = dependencies;

  async function guarded(run: () => Promise<CycleReport>): Promise<LaneOutcome> {
    try {
      const report = await run();
      metrics.cycleReported(report.mode, report);
      logRun(logger, report);
      await dependencies.afterRun?.(report);
      return { kind: 'ran', report };
    } catch (error) {
      if (error instanceof FencedError) {
        logger.warn(`the run stopped: ${error.message}`);
        return { kind: 'fenced' };
      }
      if (!(error instanceof LockHeldError)) throw error;
      logger.info(`${error.message}; the service tries again later`);
      return { kind: 'locked' };
    }
  }

  /**
   * The one place inbox events are settled: the sync's own echoes in any case, the others once a run synced them
   * (a failed run, a held lock or a stop leaves them pending for the next try; a record the run could not sync is
   * held with its error, as in a cycle). A run that synced records their latency and prunes old settled events.
   */
  async function settle(
    outcome: LaneOutcome,
    events: CoalescedEvents,
    written: WrittenRecords,
  ): Promise<void> {
    const { ownEchoes, toSync } = events;
    const synced =
      outcome.kind === 'settled' ||
      (outcome.kind === 'ran' && outcome.report.exitCode !== 1 && outcome.report.interrupted === null);
    const settledAt = dependencies.now();
    const settled = [...ownEchoes, ...(synced ? toSync : [])];
    if (settled.length > 0)
      await store.settleEvents(
        settled.map((event) => event.dedupeKey),
        settledAt.toISOString(),
      );
    if (ownEchoes.length > 0)
      logger.debug({ events: ownEchoes.length }, "settled webhook events caused by the sync's own writes");
    if (outcome.kind !== 'ran' || !synced) return;
    for (const event of toSync) {
      const direction = written.direction(event);
      if (direction !== null && event.occurredAt !== null)
        metrics.observeLatency(direction, (settledAt.getTime() - Date.parse(event.occurredAt)) / 1000);
    }
    await store.pruneEvents(new Date(settledAt.getTime() - keepSettledMs).toISOString());
  }

  return {
    /** One scheduled cycle: incremental, or full (the daily one, and the first); `signal` stops it at a slice. */
    cycle(full: boolean, signal: AbortSignal): Promise<LaneOutcome> {
      return guarded(() => runCycle(engine, { full, dryRun: false, signal }));
    },

    /**
     * Syncs the pending inbox events, coalesced per record; answers `null` when there were none (or the first
     * full cycle has not run yet). Events are
     * settled once the targeted sync ran (a record it could not sync is held with its error, as in a cycle);
     * when the run failed or the lock was held, they stay pending for the next try.
     */
    async inbox(signal: AbortSignal): Promise<LaneOutcome | null> {
      // Before the first full cycle the state knows no records: events wait for it (it reads everything anyway).
      if (!(await hasWatermarks(store))) return null;
      const pending = await store.pendingEvents(eventsPerRun);
      if (pending.length === 0) return null;
      const coalesced = coalesceEvents(pending);
      const { targets } = coalesced;
      const written = new WrittenRecords();
      // Nothing to sync (only the sync's own echoes, or records it does not keep): settled, not empty, for more
      // events may wait behind these.
      const outcome: LaneOutcome = hasTargets(targets)
        ? await guarded(() =>
            runTargetedSync(engine, targets, {
              signal,
              onPlan: (entity, plan) => written.add(entity, plan),
            }),
          )
        : { kind: 'settled' };
      // Refused writes: the events stay pending for the leader.
      if (outcome.kind === 'fenced') return outcome;
      await settle(outcome, coalesced, written);
      metrics.setInboxDepth(await store.inboxDepth());
      return outcome;
    },
  };
}

/**
 * Which records a run's plans wrote to the other system, for the latency of the events that named them. HubSpot ids
 * are per object type, so a company and a contact may share one; associate numbers are one table's.
 */
class WrittenRecords {
  private readonly toErp = new Set<string>();
  private readonly toCrm = new Set<string>();

  add(entity: Entity, plan: SyncPlan): void {
    for (const operation of plan.operations) {
      if (operation.kind === 'create-erp' || operation.kind === 'update-erp')
        this.toErp.add(`${entity}:${operation.crmId}`);
      if (operation.kind === 'create-crm' || operation.kind === 'update-crm')
        this.toCrm.add(String(operation.associateNo));
    }
  }

  direction(event: Pick<InboxEvent, 'system' | 'entity' | 'recordId'>) {
    if (event.system === 'hubspot')
      return this.toErp.has(`${event.entity}:${event.recordId}`) ? ('hubspot-to-visma-nxt' as const) : null;
    return this.toCrm.has(event.recordId) ? ('visma-nxt-to-hubspot' as const) : null;
  }
}

function logRun(logger: Logger, report: CycleReport): void {
  const fields = {
    runId: report.runId,
    mode: report.mode,
    exitCode: report.exitCode,
    durationMs: report.durationMs,
    apiCalls: report.apiCalls,
    customers: report.entities.customer,
    contacts: report.entities.contact,
  };
  if (report.exitCode === 1)
    logger.error({ ...fields, failure: report.failure }, `${report.mode} run failed`);
  else logger.info(fields, `${report.mode} run finished`);
}
