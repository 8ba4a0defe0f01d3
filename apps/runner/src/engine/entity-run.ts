import { type Entity, planSync } from '@port-service/mapping';
import type { StateStore } from '../state/state-store.js';
import { leaveOutExcluded } from './actions/exclusion-filter.js';
import { separatedPairsFor } from './actions/separated-pairs.js';
import type { ApplyContext } from './apply-plan.js';
import { applyPlan, applyPlanDry } from './apply-plan.js';
import type { CycleDependencies, CycleOptions } from './cycle.js';
import type { CycleError } from './cycle-error.js';
import type { HubSpotKeys } from './hubspot-keys.js';
import type { CycleReport } from './report.js';
import type { Slice, SliceDependencies } from './slices.js';

type ErrorRow = Awaited<ReturnType<StateStore['errors']>>[number];

/** What one cycle's passes share: who they talk to, what was asked, and where they report. */
export interface CycleRun {
  readonly dependencies: CycleDependencies;
  readonly slices: SliceDependencies;
  readonly options: CycleOptions;
  readonly report: CycleReport;
  readonly now: () => Date;
  /** Whether this cycle reads everything (the list endpoints) rather than changes since the watermarks. */
  readonly full: boolean;
  /** Records with errors when the cycle began (retried first, cleared once they sync). */
  readonly errors: readonly ErrorRow[];
}

/** What the passes of one entity (customers, or contacts) share within a cycle. */
export interface EntityRun {
  readonly cycle: CycleRun;
  readonly entity: Entity;
  readonly apply: ApplyContext;
  /** HubSpot records planned in this entity's passes so far (a later pass skips them). */
  readonly seenCrmIds: Set<string>;
  /** Associate numbers a Business NXT read returned (the sweep checks the links of the others). */
  readonly seenErpNos: Set<number>;
  /** `system:id` of the records that had errors when the cycle began and have not synced since. */
  readonly erroredKeys: Set<string>;
  /** What HubSpot holds, by the keys an unlinked Business NXT row could match, from this cycle's reads and creates. */
  readonly known: HubSpotKeys;
}

// Operations `relink` applies: links and what stops a record from being created (docs/DESIGN.md §4); nothing is
// written.
const linkOnlyKinds = new Set(['link', 'relink', 'orphan', 'skip', 'candidates']);

/**
 * Plans one slice and applies the plan (docs/DESIGN.md §2 steps 3–5); records that synced have their old errors
 * cleared.
 */
export async function planAndApply(run: EntityRun, slice: Slice): Promise<CycleError | null> {
  const { cycle, entity, apply } = run;
  const { config, store } = cycle.dependencies;
  const counts = cycle.report.entities[entity];
  const isCustomer = entity === 'customer';
  const separated = await separatedPairsFor(store, entity);
  const planStart = performance.now();
  const planned = planSync({
    hubspot: { companies: slice.companies, contacts: slice.contacts },
    erp: {
      customers: slice.customers,
      contactPersons: slice.contactPersons,
      missingAssociateNos: slice.missingAssociateNos,
    },
    links: { customers: slice.customerLinks, contacts: slice.contactLinks },
    policy: config.policy,
    fingerprintKey: config.hashKey,
    erpTimeZone: config.visma.timeZone,
    separated,
  });
  cycle.report.planning.ms += performance.now() - planStart;
  // Records an operator excluded (and their counterparts) are planned, then left out (exclusion-filter.ts).
  const plan = await leaveOutExcluded(run, slice, planned);
  cycle.report.planning.records +=
    slice.companies.length + slice.contacts.length + slice.customers.length + slice.contactPersons.length;
  for (const [kind, count] of Object.entries(plan.counts)) {
    const key = kind as keyof typeof counts.planned;
    counts.planned[key] = (counts.planned[key] ?? 0) + (count ?? 0);
  }
  cycle.options.onPlan?.(entity, plan);
  const records = isCustomer ? slice.companies : slice.contacts;
  const rows = isCustomer ? slice.customers : slice.contactPersons;
  for (const record of records) {
    run.known.add(record);
    run.seenCrmIds.add(record.id);
  }
  for (const row of rows) apply.seenAssociateNos.add(row.associateNo);
  const toApply = cycle.options.linkOnly
    ? { ...plan, operations: plan.operations.filter((operation) => linkOnlyKinds.has(operation.kind)) }
    : plan;
  if (cycle.options.dryRun) {
    // What the run would record, into the dry run's overlay only: later slices plan against it.
    const { dryRun, store: overlayStore } = cycle.slices;
    if (dryRun !== undefined) await applyPlanDry({ ...apply, store: overlayStore }, toApply, dryRun);
    return null;
  }
  const applied = await applyPlan(apply, toApply);
  if (applied.isErr()) return applied.error;
  // Planned again: what the record had that this cycle did not find again is gone (synced, or fixed).
  const replanned = [
    ...records.map((record) => `hubspot:${record.id}`),
    ...rows.map((row) => `visma-nxt:${row.associateNo}`),
  ].filter((key) => run.erroredKeys.has(key));
  if (replanned.length === 0) return null;
  await store.transaction(async () => {
    for (const key of replanned) {
      const [system, recordId] = key.split(':') as [string, string];
      await store.clearErrors(entity, system, recordId, cycle.report.startedAt);
      run.erroredKeys.delete(key);
    }
  });
  return null;
}

/**
 * Records whose counterparts could not be read for a transient cause: kept as errors and retried next cycle. Any
 * other cause (credentials, a company this application cannot use, a refused query) is one problem of the
 * system, not of each record: it stops the cycle once, and the watermarks that did not move bring the records back.
 */
export async function sliceFailed(
  run: EntityRun,
  error: CycleError,
  system: 'hubspot' | 'visma-nxt',
  ids: readonly string[],
): Promise<CycleError | null> {
  if (error.fatal || error.transient !== true) return error;
  const { cycle, entity, apply } = run;
  const { store, logger } = cycle.dependencies;
  logger.warn({ side: error.side, kind: error.kind, records: ids.length }, error.message);
  for (const id of ids) {
    cycle.report.entities[entity].failed += 1;
    apply.failedRecords.add(`${system}:${id}`);
    cycle.report.items.push({
      entity,
      outcome: 'failed',
      system,
      crmId: system === 'hubspot' ? id : null,
      associateNo: system === 'visma-nxt' ? Number(id) : null,
      reason: error.kind,
      message: error.message,
    });
  }
  if (cycle.options.dryRun) return null;
  await store.transaction(async () => {
    for (const id of ids) {
      await store.recordError({
        entity,
        system,
        recordId: id,
        field: '*',
        rule: 'read-failed',
        message: error.message,
        seenAt: cycle.now().toISOString(),
      });
    }
  });
  return null;
}
