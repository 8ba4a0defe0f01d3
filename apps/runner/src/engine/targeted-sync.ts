import type { Entity } from '@port-service/mapping';
import type { StoredLink } from '../state/state-store.js';
import type { CycleDependencies, CycleOptions } from './cycle.js';
import { type CycleError, stopRequested } from './cycle-error.js';
import { byIdPass, newEntityRun, settleLostAnswers } from './entity-passes.js';
import type { CycleRun, EntityRun } from './entity-run.js';
import { resolvePendingIntents } from './intents.js';
import { ownEchoContextOf } from './own-echoes.js';
import { recordedRun } from './recorded-run.js';
import type { CycleReport } from './report.js';
import { defaultChunkSize, onePage, runSlices } from './slice-pipeline.js';
import {
  type Slice,
  type SliceDependencies,
  sliceOfAssociateNos,
  sliceOfCrmIds,
  sweepSlice,
} from './slices.js';

/** The records a targeted sync is about, by id on either side. */
export interface TargetedRecords {
  /** HubSpot companies (`customer`) and contacts (`contact`) by id. */
  readonly crmIds: Readonly<Record<Entity, readonly string[]>>;
  /** Business NXT associate numbers: a row is a customer or a contact person, as its read shows. */
  readonly associateNos: readonly number[];
}

/**
 * Syncs just these records (the ones webhooks announced, `crm-sync serve`) with the rules, intents and
 * fingerprints of a cycle, under the same lock, recorded as a `targeted` run: for customers and then contacts,
 * the Business NXT rows linked to records not among the HubSpot ids, the HubSpot records by id with their
 * counterparts (a gone id is archived, deleted or merged away there; read while the rows before are synced), the
 * Business NXT rows those did not plan, and then the links of these ids whose records neither read returned (a deleted
 * row). Watermarks stay where they are: the scheduled cycles still find everything on their own.
 */
export function runTargetedSync(
  dependencies: CycleDependencies,
  targets: TargetedRecords,
  options: TargetedSyncOptions = {},
): Promise<CycleReport> {
  return recordedRun(
    dependencies,
    { mode: 'targeted', dryRun: false, signal: options.signal },
    (report, now) => targetedBody(dependencies, targets, report, now, options),
  );
}

export interface TargetedSyncOptions {
  /** Stops cleanly once aborted, as a cycle does. */
  readonly signal?: AbortSignal | undefined;
  /** Every plan as it is made (the service learns which records were written, for its latency figure). */
  readonly onPlan?: CycleOptions['onPlan'];
  /**
   * Runs first, under the lock: an operator's change to the state (a link recorded, an exclusion ended) that the
   * sync then plans with (engine/actions/). An error it answers ends the run before anything is read or written.
   */
  readonly beforeSync?: (() => Promise<CycleError | null>) | undefined;
}

async function targetedBody(
  dependencies: CycleDependencies,
  targets: TargetedRecords,
  report: CycleReport,
  now: () => Date,
  { signal, onPlan, beforeSync }: TargetedSyncOptions,
): Promise<CycleError | null> {
  const refused = (await beforeSync?.()) ?? null;
  if (refused !== null) return refused;
  const { store, clients, config } = dependencies;
  const slices: SliceDependencies = { ...clients, store, policy: config.policy };
  const intents = await resolvePendingIntents({ ...slices, fingerprintKey: config.hashKey }, report);
  if (intents.isErr()) return intents.error;
  const cycle: CycleRun = {
    dependencies,
    slices,
    options: { full: false, dryRun: false, signal, onPlan },
    report,
    now,
    full: false,
    errors: await store.errors(),
  };
  // A Business NXT row is a customer or a contact person: one the customer passes read is not looked for again.
  let associateNos = targets.associateNos;
  for (const entity of ['customer', 'contact'] as const) {
    const stop = stopRequested(signal);
    if (stop !== null) return stop;
    const run = newEntityRun(cycle, entity);
    const crmIds = targets.crmIds[entity];
    const elsewhere = await rowsLinkedElsewhere(run, crmIds, associateNos);
    const ahead = readAhead(run, elsewhere.length > 0 ? crmIds : []);
    const failure =
      (await erpRows(run, elsewhere)) ??
      (await settleLostAnswers(run)) ??
      (await hubspotRecords(run, crmIds, ahead)) ??
      (await settleLostAnswers(run)) ??
      (await erpRows(run, associateNos)) ??
      (await unreturnedLinks(run, crmIds, associateNos));
    // A read ahead that was not used (a pass failed first) ends before the run does.
    await ahead.settled;
    if (failure !== null) return failure;
    associateNos = associateNos.filter((no) => !run.apply.seenAssociateNos.has(no));
  }
  return null;
}

/** The slice of the HubSpot records, read ahead: answered when it can stand for reading them now. */
interface ReadAhead {
  readonly settled: Promise<unknown>;
  sliceOf(crmIds: readonly string[]): ReturnType<typeof sliceOfCrmIds>;
}

/**
 * Reads the HubSpot records' slice (the records by id and their Business NXT counterparts) while the rows linked
 * elsewhere are synced: those share no pair with these records, so both directions' reads overlap and their writes
 * keep their order (HubSpot's first, see `rowsLinkedElsewhere`). The slice read ahead is used only when the passes
 * before it planned none of its records, rows or links (a merge survivor, a row matched by organization number);
 * otherwise it is read again, as without reading ahead. Only when the records are one chunk of the pass, so the
 * reads made ahead are the reads the pass would make.
 */
function readAhead(run: EntityRun, crmIds: readonly string[]): ReadAhead {
  const { slices, options } = run.cycle;
  const readNow = (ids: readonly string[]) => sliceOfCrmIds(slices, run.entity, ids);
  if (crmIds.length === 0 || crmIds.length > (options.chunkSize ?? defaultChunkSize))
    return { settled: Promise.resolve(), sliceOf: readNow };
  // A read that threw is made again by the pass, which then reports the error as without reading ahead.
  const early = readNow(crmIds).catch(() => null);
  return {
    settled: early,
    async sliceOf(ids) {
      const slice = await early;
      const same = ids.length === crmIds.length && ids.every((id, index) => id === crmIds[index]);
      return same && slice?.isOk() && untouched(run, slice.value) ? slice : readNow(ids);
    },
  };
}

/** Whether the passes so far planned none of this slice's records, rows and links. */
function untouched(run: EntityRun, slice: Slice): boolean {
  const planned = (crmId: string) => run.seenCrmIds.has(crmId);
  const plannedRow = (associateNo: number) => run.apply.seenAssociateNos.has(associateNo);
  return (
    ![...slice.companies, ...slice.contacts].some((record) => planned(record.id)) &&
    ![...slice.customers, ...slice.contactPersons].some((row) => plannedRow(row.associateNo)) &&
    ![...slice.customerLinks, ...slice.contactLinks].some(
      (link) => planned(link.crmId) || plannedRow(link.associateNo),
    ) &&
    !slice.missingAssociateNos.some(plannedRow)
  );
}

/**
 * The rows already linked to a record that is not among the HubSpot ids: they share no pair with those, so they
 * are synced first. Their writes go to HubSpot, whose webhook echoes come back batched (up to 100 events a
 * request), before the writes to Business NXT, whose echoes come one notification per row: a burst's values land
 * before the echo of either side competes with the run. Every other row is synced after the HubSpot records, as
 * before (a row linked to one of those ids, or not linked yet, is planned with that record or matched as new).
 */
async function rowsLinkedElsewhere(
  run: EntityRun,
  crmIds: readonly string[],
  associateNos: readonly number[],
): Promise<number[]> {
  if (associateNos.length === 0) return [];
  const targeted = new Set(crmIds);
  const links = await run.cycle.dependencies.store.linksByAssociateNos(run.entity, associateNos);
  return links
    .filter((link) => link.status === 'active' && !targeted.has(link.crmId))
    .map((link) => link.associateNo);
}

function hubspotRecords(
  run: EntityRun,
  crmIds: readonly string[],
  ahead: ReadAhead,
): Promise<CycleError | null> {
  if (crmIds.length === 0) return Promise.resolve(null);
  return byIdPass(run, crmIds, 'hubspot', String, (ids) => ahead.sliceOf(ids));
}

/**
 * The Business NXT rows the HubSpot records above did not plan (as their counterparts). A row the sync wrote itself
 * with the values it recorded (its webhook echo, own-echoes.ts) is set apart without reading HubSpot.
 */
function erpRows(run: EntityRun, associateNos: readonly number[]): Promise<CycleError | null> {
  const unplanned = associateNos.filter((no) => !run.apply.seenAssociateNos.has(no));
  if (unplanned.length === 0) return Promise.resolve(null);
  const ownEchoes = ownEchoContextOf(run);
  return runSlices(run, {
    side: 'visma-nxt',
    pages: onePage(unplanned),
    take: () => true,
    toSlice: (nos) => sliceOfAssociateNos(run.cycle.slices, run.entity, nos, run.known, ownEchoes),
    onSlice: (slice) => {
      for (const no of slice.ownEchoes ?? []) run.apply.seenAssociateNos.add(no);
      run.cycle.report.entities[run.entity].echoesSkipped += slice.ownEchoes?.length ?? 0;
    },
    failedAs: { system: 'visma-nxt', id: String },
  });
}

/**
 * Links of these ids whose records the reads above did not return (a deleted row, a record a read left out): asked
 * for directly, as a full cycle's sweep. A HubSpot id's link needs both records read; an associate number's link
 * its row (read, or set apart as the sync's own echo).
 */
async function unreturnedLinks(
  run: EntityRun,
  crmIds: readonly string[],
  associateNos: readonly number[],
): Promise<CycleError | null> {
  const { store } = run.cycle.dependencies;
  const seen = (link: StoredLink) => run.apply.seenAssociateNos.has(link.associateNo);
  const byKey = new Map<string, StoredLink>();
  for (const link of await store.linksByCrmIds(run.entity, crmIds))
    if (!(seen(link) && run.seenCrmIds.has(link.crmId))) byKey.set(link.crmId, link);
  for (const link of await store.linksByAssociateNos(run.entity, associateNos))
    if (!seen(link)) byKey.set(link.crmId, link);
  const links = [...byKey.values()].filter((link) => link.status === 'active');
  if (links.length === 0) return null;
  return runSlices(run, {
    side: 'links',
    pages: onePage(links),
    take: () => true,
    toSlice: (chunk) => sweepSlice(run.cycle.slices, run.entity, chunk),
    failedAs: { system: 'hubspot', id: (link) => link.crmId },
  });
}
