import type { HubSpotObject, HubSpotObjectsApi } from '@port-service/hubspot';
import type { AssociateInput, Entity } from '@port-service/mapping';
import { ok, type Result } from 'neverthrow';
import type { OwedContacts, StoredLink } from '../state/state-store.js';
import { type CycleError, fromHubSpot, fromVisma, stopRequested } from './cycle-error.js';
import { type CycleRun, type EntityRun, planAndApply } from './entity-run.js';
import { createHubSpotKeys } from './hubspot-keys.js';
import { resolvePendingIntents } from './intents.js';
import { ownEchoContextOf } from './own-echoes.js';
import { companyProperties, contactProperties, toObjectInput } from './record-properties.js';
import { onePage, type Page, runSlices, type SliceSource } from './slice-pipeline.js';
import {
  contactSliceOfCompanies,
  contactSliceOfCustomers,
  sliceFromErp,
  sliceFromHubSpot,
  sliceOfAssociateNos,
  sliceOfCrmIds,
  sweepSlice,
} from './slices.js';
import {
  type Mark,
  type NextMark,
  noMark,
  overlapMs,
  probeErp,
  probeHubSpot,
  readMark,
  saveMark,
  unchangedSince,
} from './watermarks.js';

/** Each side's watermark for this entity's passes. */
interface Marks {
  readonly hubspot: Mark;
  readonly erp: Mark;
}

/**
 * One entity's share of a cycle (docs/DESIGN.md §2), pass by pass: contacts owed to customers linked earlier, records
 * whose last write or read failed, HubSpot's changes, Business NXT's changes not planned yet, and in a full cycle
 * a sweep of the links whose records neither read returned. The entity's watermarks advance only once every pass
 * succeeded, each to its own system's latest change as read just before that system's pass (watermarks.ts).
 */
export async function syncEntity(cycle: CycleRun, entity: Entity): Promise<CycleError | null> {
  const run = newEntityRun(cycle, entity);
  const { store, clients } = cycle.dependencies;
  const marks: Marks = {
    hubspot: await readMark(store, entity, 'hubspot', cycle.full),
    erp: await readMark(store, entity, 'visma-nxt', cycle.full),
  };
  const owed = entity === 'contact' ? await cycle.slices.store.owedContacts() : [];
  const moves = !cycle.options.dryRun && !cycle.options.linkOnly;
  const hubspotNext = moves
    ? await probeHubSpot(clients, entity, { now: cycle.now(), mark: marks.hubspot })
    : noMark();
  if (hubspotNext.isErr()) return hubspotNext.error;
  const beforeErp =
    (await contactsOfCustomers(run, owed, marks)) ??
    (await retryFailedRecords(run)) ??
    (await archivedRecords(run, marks)) ??
    (await hubspotPass(run, marks.hubspot, hubspotNext.value));
  if (beforeErp !== null) return beforeErp;
  const settled = await settleLostAnswers(run);
  if (settled !== null) return settled;
  const erpNext = moves ? await probeErp(clients, { now: cycle.now(), mark: marks.erp }) : noMark();
  if (erpNext.isErr()) return erpNext.error;
  const failure = (await erpPass(run, marks, erpNext.value)) ?? (await sweepPass(run, marks));
  if (failure !== null) return failure;
  const [hubspotMark, erpMark] = [hubspotNext.value, erpNext.value];
  if (hubspotMark === null || erpMark === null) return null;
  await store.transaction(async () => {
    await saveMark(store, entity, 'hubspot', hubspotMark);
    await saveMark(store, entity, 'visma-nxt', erpMark);
    await store.settleOwedContacts(owed);
  });
  return null;
}

export function newEntityRun(cycle: CycleRun, entity: Entity): EntityRun {
  const { store, config } = cycle.dependencies;
  const known = createHubSpotKeys(entity, config.policy);
  return {
    cycle,
    entity,
    known,
    seenCrmIds: new Set(),
    seenErpNos: new Set(),
    erroredKeys: new Set(
      cycle.errors
        .filter((error) => error.entity === entity)
        .map((error) => `${error.system}:${error.recordId}`),
    ),
    apply: {
      hubspot: cycle.slices.hubspot,
      visma: cycle.slices.visma,
      store,
      policy: config.policy,
      runId: cycle.report.runId,
      now: cycle.now,
      report: cycle.report,
      known,
      seenAssociateNos: new Set(),
      failedRecords: new Set(),
      createdCrmIds: new Set(),
    },
  };
}

/** A pass over records known by id on one side (records to retry). */
export function byIdPass<Item>(
  run: EntityRun,
  items: readonly Item[],
  system: 'hubspot' | 'visma-nxt',
  id: (item: Item) => string,
  toSlice: SliceSource<Item>['toSlice'],
) {
  return runSlices(run, {
    side: system,
    pages: onePage(items),
    take: () => true,
    toSlice,
    failedAs: { system, id },
  });
}

// Customers per read of their contacts (one batch association read, one Business NXT lookup).
const owedChunk = 100;

/**
 * Contacts owed to customers linked by this or an earlier cycle (stored with each link), from the sides read
 * incrementally (a full read finds them anyway): they may not have changed themselves, yet only now have a
 * customer to belong to.
 */
async function contactsOfCustomers(
  run: EntityRun,
  owed: readonly OwedContacts[],
  marks: Marks,
): Promise<CycleError | null> {
  const { slices } = run.cycle;
  for (let start = 0; start < owed.length; start += owedChunk) {
    const stop = stopRequested(run.cycle.options.signal);
    if (stop !== null) return stop;
    const customers = owed.slice(start, start + owedChunk);
    if (marks.hubspot.since !== null) {
      const slice = await contactSliceOfCompanies(
        slices,
        customers.map((customer) => customer.crmId),
      );
      if (slice.isErr()) return slice.error;
      const failure = await planAndApply(run, slice.value);
      if (failure !== null) return failure;
    }
    if (marks.erp.since !== null) {
      const slice = await contactSliceOfCustomers(
        slices,
        customers.map((customer) => customer.associateNo),
        run.known,
      );
      if (slice.isErr()) return slice.error;
      const failure = await planAndApply(run, slice.value);
      if (failure !== null) return failure;
    }
  }
  return null;
}

/**
 * Records whose last write or read failed are tried again first, whatever the watermarks say; so are linked
 * contacts held on their customer (field `customer`: moved to a company that is not a synced customer, or moved
 * differently on both sides). A move back is an association change, which HubSpot's incremental search does not
 * see, so these are read again by id each cycle (a batch read per 100) until they sync.
 */
async function retryFailedRecords(run: EntityRun): Promise<CycleError | null> {
  const retry = run.cycle.errors.filter(
    (error) =>
      error.entity === run.entity &&
      (error.rule === 'write-failed' || error.rule === 'read-failed' || error.field === 'customer'),
  );
  const crmIds = [
    ...new Set(retry.filter((error) => error.system === 'hubspot').map((error) => error.recordId)),
  ];
  const associateNos = [
    ...new Set(retry.filter((error) => error.system === 'visma-nxt').map((error) => Number(error.recordId))),
  ];
  const { slices } = run.cycle;
  if (crmIds.length > 0) {
    const failure = await byIdPass(run, crmIds, 'hubspot', String, (ids) =>
      sliceOfCrmIds(slices, run.entity, ids),
    );
    if (failure !== null) return failure;
  }
  if (associateNos.length === 0) return null;
  return byIdPass(run, associateNos, 'visma-nxt', String, (nos) =>
    sliceOfAssociateNos(slices, run.entity, nos, run.known),
  );
}

/**
 * A full cycle lists HubSpot's archived records that carry an ERP actor number: what people archived stays
 * archived, even when the state store that knew it was lost (docs/DESIGN.md §4). HubSpot keeps archived records
 * 90 days.
 */
async function archivedRecords(run: EntityRun, marks: Marks): Promise<CycleError | null> {
  if (marks.hubspot.since !== null) return null;
  const { clients, config } = run.cycle.dependencies;
  const isCustomer = run.entity === 'customer';
  const api = isCustomer ? clients.hubspot.companies : clients.hubspot.contacts;
  const actorNo = config.policy.hubspotProperties.erpActorNo;
  for await (const page of api.pages({ properties: [actorNo], archived: true })) {
    const stop = stopRequested(run.cycle.options.signal);
    if (stop !== null) return stop;
    if (page.isErr())
      return fromHubSpot(page.error, `listing archived ${isCustomer ? 'companies' : 'contacts'}`);
    for (const record of page.value.results) run.known.addArchived(toObjectInput(record));
  }
  return null;
}

/**
 * A create in this cycle whose answer was lost (`outcome-unknown`) may have happened: settled before the Business
 * NXT pass, which would otherwise read the created row as an unlinked one and create its twin in HubSpot.
 */
export async function settleLostAnswers(run: EntityRun): Promise<CycleError | null> {
  const { report, slices, dependencies } = run.cycle;
  if (!report.items.some((item) => item.entity === run.entity && item.outcome === 'pending')) return null;
  const settled = await resolvePendingIntents(
    { ...slices, fingerprintKey: dependencies.config.hashKey },
    report,
  );
  return settled.isErr() ? settled.error : null;
}

/**
 * HubSpot's side: its changed (or, in a full cycle, all) records, with their Business NXT counterparts. Records
 * read again in the overlap that have not changed since the previous pass handled them are left alone.
 */
function hubspotPass(run: EntityRun, mark: Mark, next: NextMark | null): Promise<CycleError | null> {
  const { clients, config } = run.cycle.dependencies;
  const isCustomer = run.entity === 'customer';
  const api = isCustomer ? clients.hubspot.companies : clients.hubspot.contacts;
  const properties = isCustomer ? companyProperties(config.policy) : contactProperties(config.policy);
  const counts = run.cycle.report.entities[run.entity];
  return runSlices<HubSpotObject>(run, {
    side: 'hubspot',
    pages: hubspotPages(api, properties, mark.since === null ? null : Date.parse(mark.since), run.entity),
    take: (record) => {
      next?.saw(record.id, record.updatedAt);
      // Read again in the overlap, unchanged since the previous pass: not a change, not counted.
      if (unchangedSince(mark, record.id, record.updatedAt)) return false;
      counts.read.hubspot += 1;
      if (run.seenCrmIds.has(record.id)) return false;
      run.seenCrmIds.add(record.id);
      return true;
    },
    toSlice: (records) => sliceFromHubSpot(run.cycle.slices, run.entity, records.map(toObjectInput)),
    failedAs: { system: 'hubspot', id: (record) => record.id },
  });
}

/** HubSpot records page by page: all of them (list endpoint), or those changed since a watermark (search). */
async function* hubspotPages(
  api: HubSpotObjectsApi,
  properties: readonly string[],
  since: number | null,
  entity: Entity,
): AsyncGenerator<Result<Page<HubSpotObject>, CycleError>> {
  const doing = `reading ${entity === 'customer' ? 'companies' : 'contacts'}`;
  const pages =
    since === null
      ? mapPages(api.pages({ properties }), (page) => page.results)
      : api.changedSince({ since, lookBackMs: overlapMs.hubspot, properties });
  for await (const page of pages) {
    yield page.map((items) => ({ items, total: null })).mapErr((error) => fromHubSpot(error, doing));
  }
}

async function* mapPages<Value, Item, Error>(
  pages: AsyncIterable<Result<Value, Error>>,
  items: (value: Value) => readonly Item[],
): AsyncGenerator<Result<readonly Item[], Error>> {
  for await (const page of pages) yield page.map(items);
}

/**
 * Business NXT's side: changed (or all) rows not planned above, with their HubSpot counterparts; rows read again
 * in the overlap that have not changed since the previous pass handled them are left alone, and so are the sync's
 * own writes coming back unchanged (counted as `echoesSkipped`).
 */
function erpPass(run: EntityRun, marks: Marks, next: NextMark | null): Promise<CycleError | null> {
  const { clients } = run.cycle.dependencies;
  const isCustomer = run.entity === 'customer';
  const api = isCustomer ? clients.visma.customers : clients.visma.contactPersons;
  const counts = run.cycle.report.entities[run.entity];
  const doing = `reading ${isCustomer ? 'customers' : 'contact persons'}`;
  const mark = marks.erp;
  const since =
    mark.since === null
      ? {}
      : // An instant: the client writes it in the server's zone, as a bound no row changed after it escapes.
        { changedSince: Date.parse(mark.since) - overlapMs['visma-nxt'] };
  // Both sides read incrementally: a row the sync wrote itself, with the values it recorded, is set apart before
  // HubSpot is read for it (own-echoes.ts); what HubSpot changed meanwhile, its pass has read.
  const ownEchoes = mark.since !== null && marks.hubspot.since !== null ? ownEchoContextOf(run) : undefined;
  async function* pages() {
    for await (const page of api.pages(since)) {
      yield page
        .map((value): Page<AssociateInput> => ({ items: value.items, total: value.totalCount }))
        .mapErr((error) => fromVisma(error, doing));
    }
  }
  return runSlices<AssociateInput>(run, {
    side: 'visma-nxt',
    pages: pages(),
    take: (row) => {
      run.seenErpNos.add(row.associateNo);
      const id = String(row.associateNo);
      if (unchangedSince(mark, id, row.changedTimestamp)) {
        next?.saw(id, row.changedTimestamp);
        return false;
      }
      counts.read.vismaNxt += 1;
      // Planned earlier in this cycle from an earlier read of it: not recorded as seen, so the next cycle reads it
      // again. A person's edit made between that read and the sync's write, which then names the sync as the last
      // writer, is not missed; the sync's own write alone comes back as an echo and costs no HubSpot request.
      if (run.apply.seenAssociateNos.has(row.associateNo)) return false;
      next?.saw(id, row.changedTimestamp);
      return true;
    },
    // After a full read of HubSpot, every HubSpot record is in `known`: no lookups needed.
    toSlice: (rows) =>
      sliceFromErp(run.cycle.slices, run.entity, rows, {
        lookUp: marks.hubspot.since !== null,
        known: run.known,
        ownEchoes,
      }),
    onSlice: (slice) => {
      counts.echoesSkipped += slice.ownEchoes?.length ?? 0;
    },
    failedAs: { system: 'visma-nxt', id: (row) => String(row.associateNo) },
  });
}

/** A full read saw every live record: links whose records one side did not return are checked directly. */
function sweepPass(run: EntityRun, marks: Marks): Promise<CycleError | null> {
  if (marks.hubspot.since !== null || marks.erp.since !== null) return Promise.resolve(null);
  // Records this cycle created exist on both sides by construction.
  for (const id of run.apply.createdCrmIds) run.seenCrmIds.add(id);
  for (const no of run.apply.seenAssociateNos) run.seenErpNos.add(no);
  return runSlices<StoredLink>(run, {
    side: 'links',
    pages: unseenLinks(run),
    take: (link) =>
      link.status === 'active' && !(run.seenCrmIds.has(link.crmId) && run.seenErpNos.has(link.associateNo)),
    toSlice: (links) => sweepSlice(run.cycle.slices, run.entity, links),
    failedAs: { system: 'hubspot', id: (link) => link.crmId },
  });
}

async function* unseenLinks(run: EntityRun): AsyncGenerator<Result<Page<StoredLink>, CycleError>> {
  let after: string | null = null;
  for (;;) {
    const links = await run.cycle.dependencies.store.allLinks(run.entity, after, 1000);
    if (links.length === 0) return;
    after = links[links.length - 1]?.crmId ?? null;
    yield ok({ items: links, total: null });
  }
}
