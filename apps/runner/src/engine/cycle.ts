import type { Entity, SyncPlan } from '@port-service/mapping';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import type { StateStore } from '../state/state-store.js';
import type { ApiUsage } from './api-usage.js';
import { type CycleError, stopRequested } from './cycle-error.js';
import { dryRunSlices } from './dry-run-overlay.js';
import { syncEntity } from './entity-passes.js';
import type { CycleRun } from './entity-run.js';
import { resolvePendingIntents } from './intents.js';
import { checkSyncProperties } from './preflight.js';
import { recordedRun } from './recorded-run.js';
import type { CycleReport } from './report.js';
import type { SliceDependencies } from './slices.js';
import type { SyncClients } from './sync-clients.js';
import { hasWatermarks } from './watermarks.js';

export interface CycleOptions {
  /** Re-read everything (list endpoints) instead of changes since the watermarks. The first cycle is full. */
  readonly full: boolean;
  /** Plan and report, write nothing (no API writes, no state changes). */
  readonly dryRun: boolean;
  readonly only?: 'customers' | 'contacts' | undefined;
  /** Records per planning step (memory stays bounded by this). Default 3,200. */
  readonly chunkSize?: number | undefined;
  readonly onProgress?: ((progress: CycleProgress) => void) | undefined;
  /**
   * Only record links (first matches by ERP number, org number, email), write nothing else and leave the
   * watermarks: `crm-sync relink` after a lost state store. The next run then merges the linked pairs.
   */
  readonly linkOnly?: boolean | undefined;
  /**
   * Stops the cycle cleanly once aborted (reason `'SIGINT'` or `'SIGTERM'`): the slice in flight is finished and
   * committed, nothing new starts, the watermarks of unfinished entities stay, and the report says interrupted.
   */
  readonly signal?: AbortSignal | undefined;
  /** Every plan as it is made (for `crm-sync plan`). */
  readonly onPlan?: ((entity: Entity, plan: SyncPlan) => void) | undefined;
}

export interface CycleProgress {
  readonly entity: Entity;
  readonly side: 'hubspot' | 'visma-nxt' | 'links';
  /** Records read so far on this side. */
  readonly read: number;
  /** How many there are in all, when the API says (Business NXT's totalCount). */
  readonly total: number | null;
}

export interface CycleDependencies {
  readonly config: RunnerConfig;
  readonly store: StateStore;
  readonly clients: SyncClients;
  readonly usage: ApiUsage;
  readonly logger: Logger;
  readonly now?: (() => Date) | undefined;
}

/**
 * One sync cycle (docs/DESIGN.md §2): lock, settle interrupted creates, then for customers and then contacts: read
 * HubSpot's changes and plan them with their counterparts, read Business NXT's changes not planned yet and plan
 * those, apply each plan as it is made, and advance the watermarks once everything read was handled.
 */
export async function runCycle(dependencies: CycleDependencies, options: CycleOptions): Promise<CycleReport> {
  const full = options.full || !(await hasWatermarks(dependencies.store));
  return recordedRun(
    dependencies,
    { mode: full ? 'full' : 'incremental', dryRun: options.dryRun, signal: options.signal },
    (report, now) => cycleBody(dependencies, options, report, full, now),
  );
}

async function cycleBody(
  dependencies: CycleDependencies,
  options: CycleOptions,
  report: CycleReport,
  full: boolean,
  now: () => Date,
): Promise<CycleError | null> {
  const { store, clients, config } = dependencies;
  const live: SliceDependencies = { ...clients, store, policy: config.policy };
  const slices = options.dryRun ? dryRunSlices(live) : live;
  const preflight = await checkSyncProperties(clients, config.policy);
  if (preflight !== null) return preflight;
  if (options.dryRun) {
    report.intents.stillPending = (await store.pendingIntents()).length;
  } else {
    const intents = await resolvePendingIntents({ ...slices, fingerprintKey: config.hashKey }, report);
    if (intents.isErr()) return intents.error;
  }
  const entities: Entity[] =
    options.only === 'customers'
      ? ['customer']
      : options.only === 'contacts'
        ? ['contact']
        : ['customer', 'contact'];
  const run: CycleRun = {
    dependencies,
    slices,
    options,
    report,
    now,
    full,
    errors: await store.errors(),
  };
  for (const entity of entities) {
    const failure = stopRequested(options.signal) ?? (await syncEntity(run, entity));
    if (failure !== null) return failure;
  }
  return null;
}
