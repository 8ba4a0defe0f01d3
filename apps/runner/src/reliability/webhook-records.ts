import { normalizeEmail, normalizeOrgNumber } from '@port-service/mapping';
import type { AssociateRow } from '@port-service/simulators';
import type { World } from '../e2e/cli-harness.js';

type Company = ReturnType<World['crm']['store']['records']['companies']['get']> & {};

/** A Business NXT customer and the live HubSpot company linked to it, read off the simulators' stores. */
export interface LinkedPair {
  readonly row: AssociateRow;
  readonly company: Company;
}

const live = <T extends { archived: boolean; mergedInto: string | null }>(records: Iterable<T>) =>
  [...records].filter((record) => !record.archived && record.mergedInto === null);

export const liveCompanies = (world: World) => live(world.crm.store.records.companies.values());
export const liveContacts = (world: World) => live(world.crm.store.records.contacts.values());
export const erpCustomers = (world: World) =>
  [...world.erp.store.rows.values()].filter((row) => row.customerNo > 0);

/** Every linked customer pair, by the actor number the HubSpot company carries. */
export function linkedPairs(world: World): LinkedPair[] {
  const rows = new Map(erpCustomers(world).map((row) => [String(row.associateNo), row]));
  const pairs: LinkedPair[] = [];
  for (const company of liveCompanies(world)) {
    const row = rows.get(company.properties.get('visma_actor_no') ?? '');
    if (row !== undefined) pairs.push({ row, company });
  }
  return pairs;
}

const orgOf = (value: string | undefined) => {
  const normalized = normalizeOrgNumber(value ?? '');
  return normalized.ok ? normalized.value : null;
};
const emailOf = (value: string | undefined) => {
  const normalized = normalizeEmail(value ?? '');
  return normalized.ok ? normalized.value : null;
};

function repeated(values: Iterable<string | null>): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const value of values) {
    if (value === null || value === '') continue;
    if (seen.has(value)) twice.add(value);
    seen.add(value);
  }
  return [...twice];
}

/**
 * Duplicates on either side, read off the simulators' stores: an org number on two live HubSpot companies or two
 * Business NXT customers, an email on two live contacts, an actor number on two live HubSpot records.
 */
export function duplicateRecords(world: World): string[] {
  const found: string[] = [];
  const companies = liveCompanies(world);
  const contacts = liveContacts(world);
  for (const org of repeated(companies.map((record) => orgOf(record.properties.get('org_number')))))
    found.push(`two HubSpot companies with org number ${org}`);
  for (const org of repeated(erpCustomers(world).map((row) => orgOf(row.companyNo))))
    found.push(`two Business NXT customers with org number ${org}`);
  for (const email of repeated(contacts.map((record) => emailOf(record.properties.get('email')))))
    found.push(`two HubSpot contacts with email ${email}`);
  for (const records of [companies, contacts])
    for (const actor of repeated(records.map((record) => record.properties.get('visma_actor_no') ?? null)))
      found.push(`two HubSpot records with actor number ${actor}`);
  return found;
}

/** How many live HubSpot companies and Business NXT customers carry this org number. */
export function recordsWithOrg(world: World, org: string): { hubspot: number; vismaNxt: number } {
  const wanted = orgOf(org);
  return {
    hubspot: liveCompanies(world).filter((record) => orgOf(record.properties.get('org_number')) === wanted)
      .length,
    vismaNxt: erpCustomers(world).filter((row) => orgOf(row.companyNo) === wanted).length,
  };
}

/** A contact's primary company in HubSpot (association type 1), or `null`. */
export function primaryCompanyOf(world: World, contactId: string): string | null {
  const associations = world.crm.store.associations.get(`contacts:${contactId}`);
  for (const [key, types] of associations ?? [])
    if (key.startsWith('companies:') && types.has(1)) return key.slice('companies:'.length);
  return null;
}
