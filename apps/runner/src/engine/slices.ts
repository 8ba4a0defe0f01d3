import {
  type HubSpotClient,
  type HubSpotError,
  type HubSpotObject,
  type HubSpotObjectsApi,
  mergedObjectIds,
} from '@port-service/hubspot';
import {
  type AssociateInput,
  type Entity,
  type HubSpotContactInput,
  type HubSpotObjectInput,
  type HubSpotPropertyChange,
  mayNeedFieldTimes,
  newestWinsProperties,
  normalizeEmail,
  normalizeOrgNumber,
  type SyncPolicy,
} from '@port-service/mapping';
import type { VismaNxtClient } from '@port-service/visma-nxt';
import { err, ok, type Result } from 'neverthrow';
import type { StateStore, StoredLink } from '../state/state-store.js';
import {
  contactCandidatesInErp,
  contactCandidatesInHubSpot,
  customerCandidatesInErp,
  customerCandidatesInHubSpot,
} from './candidates.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import type { DryRunOverlay } from './dry-run-overlay.js';
import type { HubSpotKeys } from './hubspot-keys.js';
import { type OwnEchoContext, setOwnEchoesApart } from './own-echoes.js';
import {
  companyProperties,
  contactProperties,
  goneObjectInput,
  toObjectInput,
  withAssociatedCompanies,
} from './record-properties.js';
import { validValues } from './valid-values.js';

/** What one planning step sees: records of both sides and the links that join them (docs/DESIGN.md §2 step 2). */
export interface Slice {
  readonly companies: HubSpotObjectInput[];
  readonly contacts: HubSpotContactInput[];
  readonly customers: AssociateInput[];
  readonly contactPersons: AssociateInput[];
  /** Linked associate numbers Business NXT no longer has. */
  readonly missingAssociateNos: number[];
  readonly customerLinks: StoredLink[];
  readonly contactLinks: StoredLink[];
  /** Associate numbers of changed rows left out as the sync's own echoes (own-echoes.ts): nothing to plan. */
  readonly ownEchoes?: readonly number[];
}

export interface SliceDependencies {
  readonly hubspot: HubSpotClient;
  readonly visma: VismaNxtClient;
  readonly store: StateStore;
  readonly policy: SyncPolicy;
  /** A dry run's: what its plans would create and link, which the reads above include (dry-run-overlay.ts). */
  readonly dryRun?: DryRunOverlay | undefined;
}

type SliceResult = Promise<Result<Slice, CycleError>>;

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function mergeLinks(...lists: StoredLink[][]): StoredLink[] {
  const byCrm = new Map<string, StoredLink>();
  for (const list of lists) for (const link of list) byCrm.set(link.crmId, link);
  return [...byCrm.values()];
}

const activeLinks = (links: readonly StoredLink[]) => links.filter((link) => link.status === 'active');

function mergeRows(...lists: ReadonlyArray<readonly AssociateInput[]>): AssociateInput[] {
  const byNo = new Map<number, AssociateInput>();
  for (const list of lists) for (const row of list) byNo.set(row.associateNo, row);
  return [...byNo.values()];
}

/** The records' ids and the ids HubSpot merged into them (`hs_merged_object_ids`, "123;456"): their links count. */
function idsWithMerged(records: readonly HubSpotObjectInput[]): string[] {
  return unique(
    records.flatMap((record) => [
      record.id,
      ...(record.properties.hs_merged_object_ids ?? '')
        .split(';')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ]),
  );
}

/** The ERP actor numbers HubSpot records carry in the sync's property (whole positive numbers only). */
function actorNumbers(records: readonly HubSpotObjectInput[], policy: SyncPolicy): number[] {
  const numbers: number[] = [];
  for (const record of records) {
    const value = Number(record.properties[policy.hubspotProperties.erpActorNo] ?? '');
    if (Number.isInteger(value) && value > 0) numbers.push(value);
  }
  return unique(numbers);
}

/** Linked associate numbers that a lookup did not return (deleted in Business NXT), active links only. */
function missingOf(links: readonly StoredLink[], rows: readonly AssociateInput[]): number[] {
  const found = new Set(rows.map((row) => row.associateNo));
  return links
    .filter((link) => link.status === 'active' && !found.has(link.associateNo))
    .map((link) => link.associateNo);
}

/** Actor numbers HubSpot records carry that Business NXT did not return: deleted there (docs/DESIGN.md §4). */
function notFound(claimed: readonly number[], rows: readonly AssociateInput[]): number[] {
  const found = new Set(rows.map((row) => row.associateNo));
  return claimed.filter((associateNo) => !found.has(associateNo));
}

/**
 * HubSpot records by id. A linked id HubSpot no longer returns is archived (or deleted) there, unless a returned
 * record lists it in `hs_merged_object_ids`: then the survivor stands for it and the planner moves the link.
 */
async function hubSpotByIds(
  { hubspot, policy }: Pick<SliceDependencies, 'hubspot' | 'policy'>,
  entity: Entity,
  ids: readonly string[],
): Promise<Result<HubSpotObjectInput[], CycleError>> {
  if (ids.length === 0) return ok([]);
  const { api, properties } = recordsOf({ hubspot, policy }, entity);
  const read = await api.batchRead(ids, { properties });
  if (read.isErr()) return err(fromHubSpot(read.error, 'reading linked records'));
  const found = new Map<string, HubSpotObject>();
  for (const result of read.value.values()) if (result.isOk()) found.set(result.value.id, result.value);
  const mergedAway = new Set([...found.values()].flatMap(mergedObjectIds));
  const records: HubSpotObjectInput[] = [...found.values()].map(toObjectInput);
  for (const id of ids) if (!found.has(id) && !mergedAway.has(id)) records.push(goneObjectInput(id));
  return withMergeHistory({ hubspot, policy }, entity, records);
}

/** The HubSpot objects API of an entity, and the properties a cycle reads from it. */
function recordsOf({ hubspot, policy }: Pick<SliceDependencies, 'hubspot' | 'policy'>, entity: Entity) {
  return entity === 'customer'
    ? { api: hubspot.companies, properties: companyProperties(policy) }
    : { api: hubspot.contacts, properties: contactProperties(policy) };
}

/**
 * The survivors of HubSpot merges among these records, read again with the history of the ERP actor number: a
 * merge keeps both records' values there, so the customer or contact person of a merged-away record is known even
 * when no state store remembers the link (docs/DESIGN.md §4). Merges are rare: most slices make no request here.
 */
async function withMergeHistory(
  { hubspot, policy }: Pick<SliceDependencies, 'hubspot' | 'policy'>,
  entity: Entity,
  records: readonly HubSpotObjectInput[],
): Promise<Result<HubSpotObjectInput[], CycleError>> {
  const merged = records.filter(
    (record) =>
      record.archived !== true &&
      record.propertyHistory === undefined &&
      (record.properties.hs_merged_object_ids ?? '').trim() !== '',
  );
  if (merged.length === 0) return ok([...records]);
  const { api, properties } = recordsOf({ hubspot, policy }, entity);
  const read = await batchReadWithHistory(
    api,
    merged.map((record) => record.id),
    properties,
    [policy.hubspotProperties.erpActorNo],
  );
  if (read.isErr()) return err(fromHubSpot(read.error, "reading merged records' history"));
  return ok(
    records.map((record) => {
      const again = read.value.get(record.id);
      return again?.isOk() && again.value.id === record.id
        ? { ...record, ...toObjectInput(again.value) }
        : record;
    }),
  );
}

/**
 * HubSpot's limit for a batch read that asks for property history: it refuses more than 50 inputs (its API
 * reference says history "will reduce the maximum number" of records per request; the client's batches of 100 are
 * for reads without history).
 */
export const historyBatchSize = 50;

/** A batch read with the history of some properties, 50 records per request. */
export async function batchReadWithHistory(
  api: HubSpotObjectsApi,
  ids: readonly string[],
  properties: readonly string[],
  propertiesWithHistory: readonly string[],
) {
  const found = new Map<string, Result<HubSpotObject, HubSpotError>>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += historyBatchSize) {
    const read = await api.batchRead(unique.slice(start, start + historyBatchSize), {
      properties,
      propertiesWithHistory,
    });
    if (read.isErr()) return err(read.error);
    for (const [id, result] of read.value) found.set(id, result);
  }
  return ok(found);
}

/**
 * The newest history entry of each of these properties, when it holds the value the record has (a value changed
 * between two reads gets no time: `newest-wins` then falls back to the record's `updatedAt`).
 */
export function latestChangesOf(
  again: HubSpotObject,
  current: HubSpotObjectInput['properties'],
  names: readonly string[],
): Record<string, HubSpotPropertyChange> {
  const changes: Record<string, HubSpotPropertyChange> = {};
  for (const name of names) {
    let newest: NonNullable<HubSpotObject['propertiesWithHistory']>[string][number] | undefined;
    for (const entry of again.propertiesWithHistory?.[name] ?? [])
      if (newest === undefined || Date.parse(entry.timestamp) > Date.parse(newest.timestamp)) newest = entry;
    if (newest === undefined || newest.value !== (current[name] ?? '')) continue;
    changes[name] = {
      timestamp: newest.timestamp,
      sourceType: newest.sourceType,
      ...(newest.sourceId ? { sourceId: newest.sourceId } : {}),
    };
  }
  return changes;
}

/**
 * `newest-wins` per field (docs/DESIGN.md §3): HubSpot keeps a time per property value, so the linked pairs of a
 * slice that may need it (both records changed since the pair was last synced, and a `newest-wins` field differs:
 * see `mayNeedFieldTimes`) are read again with the history of just the `newest-wins` properties, 50 per request.
 * HubSpot's search, which incremental reads use, cannot return history. Most slices make no request here; a pair
 * not read again is decided by the record's `updatedAt`.
 */
async function withFieldTimes(
  { hubspot, visma, policy }: Pick<SliceDependencies, 'hubspot' | 'visma' | 'policy'>,
  entity: Entity,
  built: Result<Slice, CycleError>,
): SliceResult {
  if (built.isErr()) return built;
  const slice = built.value;
  // Business NXT writes its timestamps without an offset: read in the server's zone (`VISMA_TIME_ZONE`), as the
  // planner reads them; HubSpot's carry `Z` and are read as they say.
  const readTimestamp = (value: string | null | undefined) => visma.dateTime.parse(value);
  const names = newestWinsProperties(policy, entity);
  if (names.length === 0) return built;
  const isCustomer = entity === 'customer';
  const records: readonly HubSpotObjectInput[] = isCustomer ? slice.companies : slice.contacts;
  const rows = new Map(
    (isCustomer ? slice.customers : slice.contactPersons).map((row) => [row.associateNo, row]),
  );
  const byId = new Map(records.map((record) => [record.id, record]));
  const wanted: string[] = [];
  for (const link of isCustomer ? slice.customerLinks : slice.contactLinks) {
    if (link.status !== 'active') continue;
    const crm = byId.get(link.crmId);
    const erp = rows.get(link.associateNo);
    if (crm === undefined || erp === undefined) continue;
    if (mayNeedFieldTimes(entity, policy, { crm, erp, lastSyncedAt: link.updatedAt }, readTimestamp))
      wanted.push(crm.id);
  }
  if (wanted.length === 0) return built;
  const { api } = recordsOf({ hubspot, policy }, entity);
  const read = await batchReadWithHistory(api, wanted, names, names);
  if (read.isErr()) return err(fromHubSpot(read.error, 'reading the history of newest-wins properties'));
  const asked = new Set(wanted);
  const timed = <Input extends HubSpotObjectInput>(record: Input): Input => {
    const again = read.value.get(record.id);
    if (!asked.has(record.id) || !again?.isOk() || again.value.id !== record.id) return record;
    return { ...record, latestChanges: latestChangesOf(again.value, record.properties, names) };
  };
  return ok(
    isCustomer
      ? { ...slice, companies: slice.companies.map(timed) }
      : { ...slice, contacts: slice.contacts.map(timed) },
  );
}

/** HubSpot records found by a unique property (e.g. the ERP actor number, or a contact's email). */
async function hubSpotByUniqueProperty(
  api: HubSpotObjectsApi,
  idProperty: string,
  values: readonly string[],
  properties: readonly string[],
): Promise<Result<HubSpotObject[], CycleError>> {
  if (values.length === 0) return ok([]);
  const read = await api.batchRead(values, { properties, idProperty });
  if (read.isErr()) return err(fromHubSpot(read.error, `looking records up by ${idProperty}`));
  return ok([...read.value.values()].flatMap((result) => (result.isOk() ? [result.value] : [])));
}

/** Customers changed in HubSpot, with their Business NXT counterparts: by link, else by organization number. */
export async function customerSliceFromCompanies(
  dependencies: SliceDependencies,
  companies: readonly HubSpotObjectInput[],
): SliceResult {
  const { visma, store, policy } = dependencies;
  const links = await store.linksByCrmIds('customer', idsWithMerged(companies));
  const linkedCrm = new Set(links.map((link) => link.crmId));
  const linkedNos = links.map((link) => link.associateNo);
  const orgNumbers = validValues(
    companies
      .filter((company) => !linkedCrm.has(company.id))
      .map((company) => company.properties[policy.hubspotProperties.orgNumber]),
    normalizeOrgNumber,
  );
  const byLink = linkedNos.length > 0 ? await visma.customers.byAssociateNos(linkedNos) : ok([]);
  if (byLink.isErr()) return err(fromVisma(byLink.error, 'reading linked customers'));
  const byOrg = orgNumbers.length > 0 ? await visma.customers.byOrgNumbers(orgNumbers) : ok([]);
  if (byOrg.isErr()) return err(fromVisma(byOrg.error, 'looking customers up by organization number'));
  // An unlinked company may already carry an actor number (written back before a state store was lost).
  const claimed = actorNumbers(
    companies.filter((company) => !linkedCrm.has(company.id)),
    policy,
  );
  const byActor = claimed.length > 0 ? await visma.customers.byAssociateNos(claimed) : ok([]);
  if (byActor.isErr()) return err(fromVisma(byActor.error, 'looking customers up by actor number'));
  const byName = await customerCandidatesInErp(
    dependencies,
    companies.filter((company) => !linkedCrm.has(company.id)),
    [...byOrg.value, ...byActor.value],
  );
  if (byName.isErr()) return err(byName.error);
  const others = await store.linksByAssociateNos(
    'customer',
    [...byOrg.value, ...byActor.value].map((row) => row.associateNo),
  );
  return ok({
    companies: [...companies],
    contacts: [],
    customers: mergeRows(byLink.value, byOrg.value, byActor.value, byName.value),
    contactPersons: [],
    missingAssociateNos: [...missingOf(links, byLink.value), ...notFound(claimed, byActor.value)],
    customerLinks: mergeLinks(links, others),
    contactLinks: [],
  });
}

/** How a Business NXT slice finds the HubSpot records its unlinked rows could match. */
export interface ErpSliceOptions {
  /**
   * Look them up in HubSpot (by actor number, org number or email, and candidates). False when this cycle read
   * every HubSpot record already: then `known` has them all, and a search per 100 rows is saved.
   */
  readonly lookUp: boolean;
  /** The HubSpot records this cycle read or created, by the keys a row can match (see hubspot-keys.ts). */
  readonly known?: HubSpotKeys | undefined;
  /** Set the sync's own echoes apart before reading HubSpot (own-echoes.ts); without it every row is planned. */
  readonly ownEchoes?: OwnEchoContext | undefined;
}

/** A slice of rows that were all the sync's own echoes: no HubSpot record to read, nothing to plan. */
function echoesOnly(echoes: readonly number[]): Slice {
  return {
    companies: [],
    contacts: [],
    customers: [],
    contactPersons: [],
    missingAssociateNos: [],
    customerLinks: [],
    contactLinks: [],
    ownEchoes: echoes,
  };
}

/** Customers changed in Business NXT, with their HubSpot counterparts: by link, ERP number or org number. */
export async function customerSliceFromAssociates(
  dependencies: SliceDependencies,
  changed: readonly AssociateInput[],
  { lookUp, known, ownEchoes }: ErpSliceOptions,
): SliceResult {
  const { hubspot, store, policy } = dependencies;
  const names = policy.hubspotProperties;
  const properties = companyProperties(policy);
  const { rows, links, echoes } = setOwnEchoesApart(
    changed,
    await store.linksByAssociateNos(
      'customer',
      changed.map((row) => row.associateNo),
    ),
    ownEchoes,
  );
  if (rows.length === 0) return ok(echoesOnly(echoes));
  const linkedNos = new Set(links.map((link) => link.associateNo));
  const allUnlinked = rows.filter((row) => !linkedNos.has(row.associateNo));
  const unlinked = lookUp ? allUnlinked : [];
  const byLink = await hubSpotByIds(
    dependencies,
    'customer',
    unique([
      ...links.filter((link) => link.status === 'active').map((link) => link.crmId),
      ...(known?.idsFor(allUnlinked) ?? []),
    ]),
  );
  if (byLink.isErr()) return err(byLink.error);
  const byActor = await hubSpotByUniqueProperty(
    hubspot.companies,
    names.erpActorNo,
    unlinked.map((row) => String(row.associateNo)),
    properties,
  );
  if (byActor.isErr()) return err(byActor.error);
  const orgNumbers = validValues(
    unlinked.map((row) => row.companyNo),
    normalizeOrgNumber,
  );
  const byOrg =
    orgNumbers.length > 0
      ? await hubspot.companies.findByValues(names.orgNumber, orgNumbers, properties)
      : ok([]);
  if (byOrg.isErr()) return err(fromHubSpot(byOrg.error, 'looking companies up by organization number'));
  const byName = await customerCandidatesInHubSpot(dependencies, unlinked, [
    ...byActor.value,
    ...byOrg.value,
  ]);
  if (byName.isErr()) return err(byName.error);
  const found = new Map<string, HubSpotObjectInput>();
  for (const record of byName.value) found.set(record.id, record);
  for (const record of [...byActor.value, ...byOrg.value]) found.set(record.id, toObjectInput(record));
  for (const record of byLink.value) found.set(record.id, record);
  for (const record of known?.archivedFor(allUnlinked) ?? []) found.set(record.id, record);
  // With the links of what HubSpot merged into them: a merge is judged on all of its records' links.
  const others = await store.linksByCrmIds('customer', idsWithMerged([...found.values()]));
  return ok({
    companies: [...found.values()],
    contacts: [],
    customers: rows,
    contactPersons: [],
    missingAssociateNos: [],
    customerLinks: mergeLinks(links, others),
    contactLinks: [],
    ownEchoes: echoes,
  });
}

/** Adds each contact's company ids and primary company (associations v4, 1,000 contacts per request). */
async function withCompanies(
  hubspot: HubSpotClient,
  contacts: readonly HubSpotObjectInput[],
): Promise<Result<HubSpotContactInput[], CycleError>> {
  const live = contacts.filter((contact) => contact.archived !== true);
  if (live.length === 0) return ok([...contacts]);
  const associations = await hubspot.associations.batchRead(
    'contacts',
    'companies',
    live.map((contact) => contact.id),
  );
  if (associations.isErr()) return err(fromHubSpot(associations.error, "reading contacts' companies"));
  return ok(
    contacts.map((contact) => withAssociatedCompanies(contact, associations.value.get(contact.id) ?? [])),
  );
}

/** The customer links the contacts' companies and customers have, so the planner knows where each belongs. */
async function customerLinksFor(
  store: StateStore,
  contacts: readonly HubSpotContactInput[],
  persons: readonly AssociateInput[],
): Promise<StoredLink[]> {
  const byCrm = await store.linksByCrmIds(
    'customer',
    unique(contacts.flatMap((contact) => contact.companyIds ?? [])),
  );
  const byErp = await store.linksByAssociateNos(
    'customer',
    unique(
      persons.flatMap((person) =>
        person.contactPersonForAssociateNo ? [person.contactPersonForAssociateNo] : [],
      ),
    ),
  );
  return mergeLinks(byCrm, byErp);
}

/** Contacts changed in HubSpot, with their contact persons: by link, else by email. */
export async function contactSliceFromContacts(
  dependencies: SliceDependencies,
  changed: readonly HubSpotObjectInput[],
): SliceResult {
  const { hubspot, visma, store } = dependencies;
  const contacts = await withCompanies(hubspot, changed);
  if (contacts.isErr()) return err(contacts.error);
  const links = await store.linksByCrmIds('contact', idsWithMerged(changed));
  const linkedCrm = new Set(links.map((link) => link.crmId));
  const linkedNos = links.map((link) => link.associateNo);
  const emails = validValues(
    changed.filter((contact) => !linkedCrm.has(contact.id)).map((contact) => contact.properties.email),
    normalizeEmail,
  );
  const byLink = linkedNos.length > 0 ? await visma.contactPersons.byAssociateNos(linkedNos) : ok([]);
  if (byLink.isErr()) return err(fromVisma(byLink.error, 'reading linked contact persons'));
  const byEmail = emails.length > 0 ? await visma.contactPersons.byEmails(emails) : ok([]);
  if (byEmail.isErr()) return err(fromVisma(byEmail.error, 'looking contact persons up by email'));
  const claimed = actorNumbers(
    changed.filter((contact) => !linkedCrm.has(contact.id)),
    dependencies.policy,
  );
  const byActor = claimed.length > 0 ? await visma.contactPersons.byAssociateNos(claimed) : ok([]);
  if (byActor.isErr()) return err(fromVisma(byActor.error, 'looking contact persons up by actor number'));
  const companyLinks = await store.linksByCrmIds(
    'customer',
    unique(contacts.value.flatMap((contact) => contact.companyIds ?? [])),
  );
  const byName = await contactCandidatesInErp(
    dependencies,
    contacts.value.filter((contact) => !linkedCrm.has(contact.id)),
    [...byEmail.value, ...byActor.value],
    new Map(activeLinks(companyLinks).map((link) => [link.crmId, link.associateNo])),
  );
  if (byName.isErr()) return err(byName.error);
  const persons = mergeRows(byLink.value, byEmail.value, byActor.value, byName.value);
  const others = await store.linksByAssociateNos(
    'contact',
    [...byEmail.value, ...byActor.value].map((row) => row.associateNo),
  );
  return ok({
    companies: [],
    contacts: contacts.value,
    customers: [],
    contactPersons: persons,
    missingAssociateNos: [...missingOf(links, byLink.value), ...notFound(claimed, byActor.value)],
    customerLinks: await customerLinksFor(store, contacts.value, persons),
    contactLinks: mergeLinks(links, others),
  });
}

/** Contact persons changed in Business NXT, with their HubSpot contacts: by link, ERP number or email (see above). */
export async function contactSliceFromAssociates(
  dependencies: SliceDependencies,
  changed: readonly AssociateInput[],
  { lookUp, known, ownEchoes }: ErpSliceOptions,
): SliceResult {
  const { hubspot, store, policy } = dependencies;
  const properties = contactProperties(policy);
  const { rows, links, echoes } = setOwnEchoesApart(
    changed,
    await store.linksByAssociateNos(
      'contact',
      changed.map((row) => row.associateNo),
    ),
    ownEchoes,
  );
  if (rows.length === 0) return ok(echoesOnly(echoes));
  const linkedNos = new Set(links.map((link) => link.associateNo));
  const allUnlinked = rows.filter((row) => !linkedNos.has(row.associateNo));
  const unlinked = lookUp ? allUnlinked : [];
  const parentLinks = await store.linksByAssociateNos(
    'customer',
    unique(allUnlinked.flatMap((row) => row.contactPersonForAssociateNo ?? [])),
  );
  const companyOfCustomer = new Map(activeLinks(parentLinks).map((link) => [link.associateNo, link.crmId]));
  const byLink = await hubSpotByIds(
    dependencies,
    'contact',
    unique([
      ...links.filter((link) => link.status === 'active').map((link) => link.crmId),
      ...(known?.idsFor(allUnlinked, companyOfCustomer) ?? []),
    ]),
  );
  if (byLink.isErr()) return err(byLink.error);
  const byActor = await hubSpotByUniqueProperty(
    hubspot.contacts,
    policy.hubspotProperties.erpActorNo,
    unlinked.map((row) => String(row.associateNo)),
    properties,
  );
  if (byActor.isErr()) return err(byActor.error);
  const byEmail = await hubSpotByUniqueProperty(
    hubspot.contacts,
    'email',
    validValues(
      unlinked.map((row) => row.emailAddress),
      normalizeEmail,
    ),
    properties,
  );
  if (byEmail.isErr()) return err(byEmail.error);
  const byName = await contactCandidatesInHubSpot(
    dependencies,
    unlinked,
    [...byActor.value, ...byEmail.value],
    companyOfCustomer,
  );
  if (byName.isErr()) return err(byName.error);
  const found = new Map<string, HubSpotObjectInput>();
  for (const record of [...byActor.value, ...byEmail.value]) found.set(record.id, toObjectInput(record));
  for (const record of byLink.value) found.set(record.id, record);
  const read = await withCompanies(hubspot, [...found.values()]);
  if (read.isErr()) return err(read.error);
  // Candidates come with their companies already, and are unlinked: none of them is among the records above.
  const archived = (known?.archivedFor(allUnlinked) ?? []).filter((record) => !found.has(record.id));
  const contacts = [...read.value, ...byName.value, ...archived];
  for (const record of archived) found.set(record.id, record);
  const others = await store.linksByCrmIds('contact', idsWithMerged([...found.values()]));
  return ok({
    companies: [],
    contacts,
    customers: [],
    contactPersons: rows,
    missingAssociateNos: [],
    customerLinks: await customerLinksFor(store, contacts, rows),
    contactLinks: mergeLinks(links, others),
    ownEchoes: echoes,
  });
}

/**
 * After a full read, the links whose records one side did not return: each side is asked for them directly, so
 * an archived HubSpot record or a deleted associate is found and its link marked (docs/DESIGN.md §4).
 */
export async function sweepSlice(
  dependencies: SliceDependencies,
  entity: 'customer' | 'contact',
  links: readonly StoredLink[],
): SliceResult {
  return withFieldTimes(dependencies, entity, await linkedSlice(dependencies, entity, links));
}

/** The records of these links on both sides (`sweepSlice` without the newest-wins history). */
async function linkedSlice(
  dependencies: SliceDependencies,
  entity: 'customer' | 'contact',
  links: readonly StoredLink[],
): SliceResult {
  const { hubspot, visma } = dependencies;
  const isCustomer = entity === 'customer';
  const records = await hubSpotByIds(
    dependencies,
    entity,
    links.map((link) => link.crmId),
  );
  if (records.isErr()) return err(records.error);
  const nos = links.map((link) => link.associateNo);
  const rows = await (isCustomer ? visma.customers : visma.contactPersons).byAssociateNos(nos);
  if (rows.isErr()) return err(fromVisma(rows.error, 'reading linked records a full read did not return'));
  if (isCustomer) {
    return ok({
      companies: records.value,
      contacts: [],
      customers: rows.value,
      contactPersons: [],
      missingAssociateNos: missingOf(links, rows.value),
      customerLinks: [...links],
      contactLinks: [],
    });
  }
  const contacts = await withCompanies(hubspot, records.value);
  if (contacts.isErr()) return err(contacts.error);
  return ok({
    companies: [],
    contacts: contacts.value,
    customers: [],
    contactPersons: rows.value,
    missingAssociateNos: missingOf(links, rows.value),
    customerLinks: await customerLinksFor(dependencies.store, contacts.value, rows.value),
    contactLinks: [...links],
  });
}

/** HubSpot records changed (or all, or to retry), with their Business NXT counterparts. */
export async function sliceFromHubSpot(
  dependencies: SliceDependencies,
  entity: Entity,
  read: readonly HubSpotObjectInput[],
): SliceResult {
  const records = await withMergeHistory(dependencies, entity, read);
  if (records.isErr()) return err(records.error);
  const slice =
    entity === 'customer'
      ? await customerSliceFromCompanies(dependencies, records.value)
      : await contactSliceFromContacts(dependencies, records.value);
  return withFieldTimes(dependencies, entity, slice);
}

/** Business NXT rows changed (or all, or to retry), with their HubSpot counterparts. */
export async function sliceFromErp(
  dependencies: SliceDependencies,
  entity: Entity,
  rows: readonly AssociateInput[],
  options: ErpSliceOptions,
): SliceResult {
  const slice =
    entity === 'customer'
      ? await customerSliceFromAssociates(dependencies, rows, options)
      : await contactSliceFromAssociates(dependencies, rows, options);
  return withFieldTimes(dependencies, entity, slice);
}

/** HubSpot records read by id (records to retry), with their counterparts. */
export async function sliceOfCrmIds(
  dependencies: SliceDependencies,
  entity: Entity,
  crmIds: readonly string[],
): SliceResult {
  const records = await hubSpotByIds(dependencies, entity, crmIds);
  if (records.isErr()) return err(records.error);
  return sliceFromHubSpot(dependencies, entity, records.value);
}

/** Business NXT rows read by associate number (records to retry), with their counterparts. */
export async function sliceOfAssociateNos(
  dependencies: SliceDependencies,
  entity: Entity,
  associateNos: readonly number[],
  known: HubSpotKeys,
  // E.g. for rows a webhook announced: one the sync wrote itself is then not planned (own-echoes.ts).
  ownEchoes?: OwnEchoContext,
): SliceResult {
  const { visma } = dependencies;
  const rows = await (entity === 'customer' ? visma.customers : visma.contactPersons).byAssociateNos(
    associateNos,
  );
  if (rows.isErr()) return err(fromVisma(rows.error, 'reading records to retry'));
  return sliceFromErp(dependencies, entity, rows.value, { lookUp: true, known, ownEchoes });
}

/**
 * The HubSpot contacts of these companies (customers whose contacts are owed): they may not have changed
 * themselves, yet only now have a customer to belong to.
 */
export async function contactSliceOfCompanies(
  dependencies: SliceDependencies,
  companyIds: readonly string[],
): SliceResult {
  const { hubspot } = dependencies;
  const associated = await hubspot.associations.batchRead('companies', 'contacts', companyIds);
  if (associated.isErr()) return err(fromHubSpot(associated.error, "reading new customers' contacts"));
  const ids = unique([...associated.value.values()].flat().map((record) => record.toObjectId));
  const records = await hubSpotByIds(dependencies, 'contact', ids);
  if (records.isErr()) return err(records.error);
  return withFieldTimes(dependencies, 'contact', await contactSliceFromContacts(dependencies, records.value));
}

/** The Business NXT contact persons of these customers (whose contacts are owed), as above. */
export async function contactSliceOfCustomers(
  dependencies: SliceDependencies,
  associateNos: readonly number[],
  known: HubSpotKeys,
): SliceResult {
  const rows = await dependencies.visma.contactPersons.ofCustomers(associateNos);
  if (rows.isErr()) return err(fromVisma(rows.error, "reading new customers' contact persons"));
  return withFieldTimes(
    dependencies,
    'contact',
    await contactSliceFromAssociates(dependencies, rows.value, { lookUp: true, known }),
  );
}
