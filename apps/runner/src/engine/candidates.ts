import type { HubSpotObject } from '@port-service/hubspot';
import {
  type AssociateInput,
  associateToContact,
  associateToCustomer,
  companyPropertyNames,
  contactCompanyId,
  customerCandidateKey,
  type Entity,
  type HubSpotContactInput,
  type HubSpotObjectInput,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
  normalizeEmail,
  normalizeOrgNumber,
  personNameKey,
} from '@port-service/mapping';
import { err, ok, type Result } from 'neverthrow';
import type { StateStore } from '../state/state-store.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import {
  companyProperties,
  contactProperties,
  toObjectInput,
  withAssociatedCompanies,
} from './record-properties.js';
import type { SliceDependencies } from './slices.js';
import { validValues } from './valid-values.js';

// Candidates (docs/DESIGN.md §4: same name and postal code for customers, same name within the customer for
// contacts) are looked for in the whole other system, not only among the records read together: for the records
// that no sure key (link, ERP number, organization number, email) matched, the other side's records that could be
// their twin are fetched, and those with the same key and no link are added to the slice. The planner then reports
// them as candidates instead of creating a duplicate, whatever order the two sides were read in.

type Found<T> = Promise<Result<T[], CycleError>>;

const normalizedSet = (values: ReadonlyArray<string | null | undefined>, normalize: typeof normalizeEmail) =>
  new Set(validValues(values, normalize));

/** The rows no link holds yet (a linked record is nobody's candidate). */
async function unlinkedRows(
  store: StateStore,
  entity: Entity,
  rows: AssociateInput[],
): Promise<AssociateInput[]> {
  const linked = await store.linksByAssociateNos(
    entity,
    rows.map((row) => row.associateNo),
  );
  const linkedNos = new Set(linked.map((link) => link.associateNo));
  return rows.filter((row) => !linkedNos.has(row.associateNo));
}

/** The HubSpot records no link holds yet. */
async function unlinkedRecords<T extends HubSpotObjectInput>(
  store: StateStore,
  entity: Entity,
  records: T[],
): Promise<T[]> {
  const linked = await store.linksByCrmIds(
    entity,
    records.map((record) => record.id),
  );
  const linkedIds = new Set(linked.map((link) => link.crmId));
  return records.filter((record) => !linkedIds.has(record.id));
}

/** Business NXT customers with the name and postal code of HubSpot companies that no sure key matched. */
export async function customerCandidatesInErp(
  { visma, store, policy }: SliceDependencies,
  unlinkedCompanies: readonly HubSpotObjectInput[],
  found: readonly AssociateInput[],
): Found<AssociateInput> {
  const foundNos = new Set(found.map((row) => row.associateNo));
  const foundOrgs = normalizedSet(
    found.map((row) => row.companyNo),
    normalizeOrgNumber,
  );
  const keys = new Set<string>();
  const postalCodes = new Set<string>();
  for (const company of unlinkedCompanies) {
    if (company.archived === true) continue;
    const { record } = hubSpotCompanyToCustomer(company, policy.hubspotProperties);
    const key = customerCandidateKey(record);
    if (key === null || record.postalCode === null) continue;
    if (record.erpActorNo !== null && foundNos.has(record.erpActorNo)) continue;
    if (record.orgNumber !== null && foundOrgs.has(record.orgNumber)) continue;
    keys.add(key);
    postalCodes.add(record.postalCode);
  }
  if (keys.size === 0) return ok([]);
  const rows = await visma.customers.byPostalCodes([...postalCodes]);
  if (rows.isErr()) return err(fromVisma(rows.error, 'looking customers up by name and postal code'));
  const same = rows.value.filter((row) =>
    keys.has(customerCandidateKey(associateToCustomer(row).record) ?? ''),
  );
  return ok(await unlinkedRows(store, 'customer', same));
}

/** HubSpot companies with the name and postal code of Business NXT customers that no sure key matched. */
export async function customerCandidatesInHubSpot(
  { hubspot, store, policy }: SliceDependencies,
  unlinkedCustomers: readonly AssociateInput[],
  found: readonly HubSpotObject[],
): Found<HubSpotObjectInput> {
  const names = policy.hubspotProperties;
  const foundActorNos = new Set(found.map((record) => record.properties[names.erpActorNo] ?? ''));
  const foundOrgs = normalizedSet(
    found.map((record) => record.properties[names.orgNumber]),
    normalizeOrgNumber,
  );
  const keys = new Set<string>();
  const postalCodes = new Set<string>();
  for (const row of unlinkedCustomers) {
    const { record } = associateToCustomer(row);
    const key = customerCandidateKey(record);
    if (key === null || record.postalCode === null) continue;
    if (foundActorNos.has(String(row.associateNo))) continue;
    if (record.orgNumber !== null && foundOrgs.has(record.orgNumber)) continue;
    keys.add(key);
    postalCodes.add(record.postalCode);
  }
  if (keys.size === 0) return ok([]);
  const companies = await hubspot.companies.findByValues(
    companyPropertyNames(names).postalCode,
    [...postalCodes],
    companyProperties(policy),
  );
  if (companies.isErr())
    return err(fromHubSpot(companies.error, 'looking companies up by name and postal code'));
  const same = companies.value
    .map(toObjectInput)
    .filter((record) => keys.has(customerCandidateKey(hubSpotCompanyToCustomer(record, names).record) ?? ''));
  return ok(await unlinkedRecords(store, 'customer', same));
}

/**
 * Where a same-name contact pair would be candidates: the customer (as a HubSpot company id or an associate
 * number) and the name key. The maps below keep, per key, whether one of its records has no email: two different
 * known emails are two people who share a name (the matcher's rule), so then only an email-less twin counts.
 */
function personKey(owner: string | number, name: string): string {
  return `${owner}|${personNameKey(name)}`;
}

/** Whether a record with this key and email is a twin: any email matches a key with an email-less record. */
function isTwin(keys: ReadonlyMap<string, boolean>, key: string, email: string | null): boolean {
  const anyWithoutEmail = keys.get(key);
  return anyWithoutEmail === true || (anyWithoutEmail === false && email === null);
}

/**
 * Business NXT contact persons named like HubSpot contacts that no sure key matched, among the persons of each
 * contact's customer: the customer its company (`contactCompanyId`, as the planner decides) is linked to
 * (`customerOfCompany`: HubSpot company id → associate number).
 */
export async function contactCandidatesInErp(
  { visma, store, policy }: SliceDependencies,
  unlinkedContacts: readonly HubSpotContactInput[],
  found: readonly AssociateInput[],
  customerOfCompany: ReadonlyMap<string, number>,
): Found<AssociateInput> {
  const foundNos = new Set(found.map((row) => row.associateNo));
  const foundEmails = normalizedSet(
    found.map((row) => row.emailAddress),
    normalizeEmail,
  );
  // Per key: whether one of its contacts has no email (then any person of that name is a candidate).
  const keys = new Map<string, boolean>();
  for (const contact of unlinkedContacts) {
    if (contact.archived === true) continue;
    const { record } = hubSpotContactToContact(contact, policy.hubspotProperties);
    const customer = customerOfCompany.get(contactCompanyId(contact) ?? '');
    if (record.name === null || customer === undefined) continue;
    if (record.erpActorNo !== null && foundNos.has(record.erpActorNo)) continue;
    if (record.email !== null && foundEmails.has(record.email)) continue;
    const key = personKey(customer, record.name);
    keys.set(key, keys.get(key) === true || record.email === null);
  }
  if (keys.size === 0) return ok([]);
  const customers = [...new Set([...keys.keys()].map((key) => Number(key.split('|')[0])))];
  const persons = await visma.contactPersons.ofCustomers(customers);
  if (persons.isErr()) return err(fromVisma(persons.error, 'looking contact persons up by name'));
  const same = persons.value.filter((row) => {
    const { name, email } = associateToContact(row).record;
    if (name === null) return false;
    return isTwin(keys, personKey(row.contactPersonForAssociateNo ?? 0, name), email);
  });
  return ok(await unlinkedRows(store, 'contact', same));
}

/**
 * HubSpot contacts named like Business NXT contact persons that no sure key matched, among the contacts of each
 * person's customer's company (`companyOfCustomer`: associate number → HubSpot company id).
 */
export async function contactCandidatesInHubSpot(
  { hubspot, store, policy }: SliceDependencies,
  unlinkedPersons: readonly AssociateInput[],
  found: readonly HubSpotObject[],
  companyOfCustomer: ReadonlyMap<number, string>,
): Found<HubSpotContactInput> {
  const names = policy.hubspotProperties;
  const foundActorNos = new Set(found.map((record) => record.properties[names.erpActorNo] ?? ''));
  const foundEmails = normalizedSet(
    found.map((record) => record.properties.email),
    normalizeEmail,
  );
  const keys = new Map<string, boolean>();
  for (const row of unlinkedPersons) {
    const { record } = associateToContact(row);
    const company = companyOfCustomer.get(row.contactPersonForAssociateNo ?? 0);
    if (record.name === null || company === undefined) continue;
    if (foundActorNos.has(String(row.associateNo))) continue;
    if (record.email !== null && foundEmails.has(record.email)) continue;
    const key = personKey(company, record.name);
    keys.set(key, keys.get(key) === true || record.email === null);
  }
  if (keys.size === 0) return ok([]);
  const companies = [...new Set([...keys.keys()].map((key) => key.split('|')[0] ?? ''))];
  const associated = await hubspot.associations.batchRead('companies', 'contacts', companies);
  if (associated.isErr()) return err(fromHubSpot(associated.error, "reading companies' contacts"));
  const foundIds = new Set(found.map((record) => record.id));
  const ids = [
    ...new Set([...associated.value.values()].flatMap((list) => list.map((entry) => entry.toObjectId))),
  ].filter((id) => !foundIds.has(id));
  if (ids.length === 0) return ok([]);
  const read = await hubspot.contacts.batchRead(ids, { properties: contactProperties(policy) });
  if (read.isErr()) return err(fromHubSpot(read.error, 'reading contacts to compare names'));
  // Same name first (no request), then which company each of those belongs to.
  const nameKeys = new Set([...keys.keys()].map((key) => key.slice(key.indexOf('|') + 1)));
  const contacts = [...read.value.values()]
    .flatMap((result) => (result.isOk() ? [toObjectInput(result.value)] : []))
    .filter((record) => {
      const { name } = hubSpotContactToContact(record, names).record;
      return name !== null && nameKeys.has(personNameKey(name));
    });
  if (contacts.length === 0) return ok([]);
  const withCompany = await hubspot.associations.batchRead(
    'contacts',
    'companies',
    contacts.map((contact) => contact.id),
  );
  if (withCompany.isErr()) return err(fromHubSpot(withCompany.error, "reading contacts' companies"));
  const same = contacts
    .map((record) => withAssociatedCompanies(record, withCompany.value.get(record.id) ?? []))
    .filter((contact) => {
      const { name, email } = hubSpotContactToContact(contact, names).record;
      if (name === null) return false;
      return isTwin(keys, personKey(contactCompanyId(contact) ?? '', name), email);
    });
  return ok(await unlinkedRecords(store, 'contact', same));
}
