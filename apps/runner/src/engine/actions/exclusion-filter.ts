import type { Entity, SyncOperation, SyncPlan } from '@port-service/mapping';
import type { Exclusion, StateStore, StoredLink } from '../../state/state-store.js';
import type { EntityRun } from '../entity-run.js';
import type { Slice } from '../slices.js';
import { recordLabel } from './record-labels.js';

// Records an operator excluded (`crm-sync exclude`) are planned as usual, so the planner sees the slice it always
// sees: nothing is taken out of a slice (a HubSpot record missing from it would read as archived, a linked row as
// deleted). What is left out is every operation that names an excluded record or its linked counterpart: no write,
// no link, no orphaning, no conflict, and no create of either (nor of a record it would have matched, which the
// match still claims). Each excluded record in view is reported as skipped with reason `excluded`, and held as such
// (`crm-sync status`) until it is included again.

/** The exclusions that count in a slice: each excluded record with its linked counterpart, by id on either side. */
interface ExcludedIds {
  readonly crmIds: ReadonlyMap<string, Excluded>;
  readonly associateNos: ReadonlyMap<number, Excluded>;
}

interface Excluded {
  readonly exclusion: Exclusion;
  /** The exclusion's link, active or orphaned, when it has one. */
  readonly link: StoredLink | undefined;
}

/** The exclusions of an entity with their links, or `null` when nothing of the entity is excluded. */
async function excludedIds(store: StateStore, entity: Entity): Promise<ExcludedIds | null> {
  const exclusions = await store.exclusions(entity);
  if (exclusions.length === 0) return null;
  const ids = (system: Exclusion['system']) =>
    exclusions.filter((exclusion) => exclusion.system === system).map((exclusion) => exclusion.recordId);
  const byCrm = new Map(
    (await store.linksByCrmIds(entity, ids('hubspot'))).map((link) => [link.crmId, link]),
  );
  const byErp = new Map(
    (await store.linksByAssociateNos(entity, ids('visma-nxt').map(Number))).map((link) => [
      link.associateNo,
      link,
    ]),
  );
  const crmIds = new Map<string, Excluded>();
  const associateNos = new Map<number, Excluded>();
  for (const exclusion of exclusions) {
    const link =
      exclusion.system === 'hubspot' ? byCrm.get(exclusion.recordId) : byErp.get(Number(exclusion.recordId));
    const excluded = { exclusion, link };
    if (exclusion.system === 'hubspot') crmIds.set(exclusion.recordId, excluded);
    else associateNos.set(Number(exclusion.recordId), excluded);
    if (link === undefined) continue;
    if (!crmIds.has(link.crmId)) crmIds.set(link.crmId, excluded);
    if (!associateNos.has(link.associateNo)) associateNos.set(link.associateNo, excluded);
  }
  return { crmIds, associateNos };
}

/** The records an operation is about (not the candidates or related records it names). */
function recordsOf(operation: SyncOperation): { crmIds: string[]; associateNos: number[] } {
  switch (operation.kind) {
    case 'create-erp':
      return { crmIds: [operation.crmId], associateNos: [] };
    case 'create-crm':
      return { crmIds: [], associateNos: [operation.associateNo] };
    case 'relink':
      return { crmIds: [operation.fromCrmId, operation.toCrmId], associateNos: [operation.associateNo] };
    case 'skip':
    case 'candidates':
      return operation.system === 'hubspot'
        ? { crmIds: [operation.recordId], associateNos: [] }
        : { crmIds: [], associateNos: [Number(operation.recordId)] };
    case 'update-erp':
    case 'update-crm':
    case 'link':
    case 'write-back':
    case 'conflict':
    case 'baseline':
    case 'orphan':
    case 'restore':
      return { crmIds: [operation.crmId], associateNos: [operation.associateNo] };
    default: {
      const unknown: never = operation;
      throw new Error(`an operation of an unknown kind: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The exclusion an operation falls under, if any. */
function exclusionOf(operation: SyncOperation, ids: ExcludedIds): Excluded | undefined {
  const { crmIds, associateNos } = recordsOf(operation);
  for (const id of crmIds) {
    const found = ids.crmIds.get(id);
    if (found !== undefined) return found;
  }
  for (const no of associateNos) {
    const found = ids.associateNos.get(no);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The exclusions whose record or counterpart the slice holds. */
function inView(slice: Slice, entity: Entity, ids: ExcludedIds): Excluded[] {
  const records = entity === 'customer' ? slice.companies : slice.contacts;
  const rows = entity === 'customer' ? slice.customers : slice.contactPersons;
  const found = new Set<Excluded>();
  for (const record of records) {
    const excluded = ids.crmIds.get(record.id);
    if (excluded !== undefined) found.add(excluded);
  }
  for (const row of rows) {
    const excluded = ids.associateNos.get(row.associateNo);
    if (excluded !== undefined) found.add(excluded);
  }
  return [...found];
}

/** The message an excluded record is reported and held with. */
export function exclusionMessage(exclusion: Exclusion, link: StoredLink | undefined): string {
  const counterpart =
    link === undefined
      ? ''
      : exclusion.system === 'hubspot'
        ? ` or its linked ${recordLabel(exclusion.entity, 'visma-nxt')} ${link.associateNo}`
        : ` or its linked ${recordLabel(exclusion.entity, 'hubspot')} ${link.crmId}`;
  const why = exclusion.reason === null || exclusion.reason === '' ? '' : ` (${exclusion.reason})`;
  return `excluded from the sync by ${exclusion.excludedBy} since ${exclusion.excludedAt}${why}: nothing is written for it${counterpart} until \`crm-sync include ${exclusion.system} ${exclusion.recordId}\``;
}

/** The other record of an excluded record's link, as `system id`; `null` without a link. */
export function counterpartOf(exclusion: Exclusion, link: StoredLink | undefined): string | null {
  if (link === undefined) return null;
  return exclusion.system === 'hubspot' ? `visma-nxt ${link.associateNo}` : `hubspot ${link.crmId}`;
}

/**
 * Reports the excluded records of a slice once per run (skipped, reason `excluded`) and, in a run that writes, keeps
 * each held as excluded: planned again, its other held reasons are cleared as for any record that synced.
 */
async function reportExcluded(run: EntityRun, excluded: readonly Excluded[]): Promise<void> {
  const { cycle, entity } = run;
  const { store } = cycle.dependencies;
  const fresh = excluded.filter(
    ({ exclusion }) =>
      !cycle.report.items.some(
        (item) =>
          item.reason === 'excluded' &&
          item.entity === entity &&
          item.system === exclusion.system &&
          (exclusion.system === 'hubspot'
            ? item.crmId === exclusion.recordId
            : item.associateNo === Number(exclusion.recordId)),
      ),
  );
  for (const { exclusion, link } of fresh) {
    const isCrm = exclusion.system === 'hubspot';
    cycle.report.items.push({
      entity,
      outcome: 'skipped',
      system: exclusion.system,
      crmId: isCrm ? exclusion.recordId : (link?.crmId ?? null),
      associateNo: isCrm ? (link?.associateNo ?? null) : Number(exclusion.recordId),
      reason: 'excluded',
      message: exclusionMessage(exclusion, link),
    });
  }
  if (cycle.options.dryRun || fresh.length === 0) return;
  await store.transaction(async () => {
    for (const { exclusion, link } of fresh) await holdExcluded(store, exclusion, link, cycle.now());
  });
}

/** Keeps an excluded record listed by `crm-sync status` (a held record, rule `excluded`) until it is included. */
export async function holdExcluded(
  store: StateStore,
  exclusion: Exclusion,
  link: StoredLink | undefined,
  now: Date,
): Promise<void> {
  await store.recordError({
    entity: exclusion.entity,
    system: exclusion.system,
    recordId: exclusion.recordId,
    field: '*',
    rule: 'excluded',
    message: exclusionMessage(exclusion, link),
    related: counterpartOf(exclusion, link),
    seenAt: now.toISOString(),
  });
}

/**
 * A slice's plan without the operations on excluded records and their counterparts (see above), counted again;
 * the plan itself when nothing of the entity is excluded.
 */
export async function leaveOutExcluded(run: EntityRun, slice: Slice, plan: SyncPlan): Promise<SyncPlan> {
  const ids = await excludedIds(run.cycle.dependencies.store, run.entity);
  if (ids === null) return plan;
  const excluded = inView(slice, run.entity, ids);
  const operations = plan.operations.filter((operation) => exclusionOf(operation, ids) === undefined);
  await reportExcluded(run, excluded);
  if (operations.length === plan.operations.length) return plan;
  const counts: Partial<Record<SyncOperation['kind'], number>> = {};
  for (const operation of operations) counts[operation.kind] = (counts[operation.kind] ?? 0) + 1;
  return { operations, counts };
}
