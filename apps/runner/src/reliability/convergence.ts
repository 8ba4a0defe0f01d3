import {
  associateToContact,
  associateToCustomer,
  compareKey,
  contactSyncFields,
  customerSyncFields,
  defaultSyncPolicy,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
} from '@port-service/mapping';
import type { World } from '../e2e/cli-harness.js';

type Properties = Record<string, string>;

const propertiesOf = (record: { properties: Map<string, string> }): Properties =>
  Object.fromEntries(record.properties.entries());

const digits = (value: unknown) => String(value ?? '').replace(/\D/gu, '');

/**
 * What "both systems hold exactly the expected records" means, checked field by field on the simulators' own
 * stores: every link joins records whose synced fields agree, every ERP customer and contact person is in HubSpot
 * exactly once, every HubSpot customer is in Business NXT, and no organization number or ERP number is on two
 * records. Returns every difference found (empty when converged).
 */
export function convergenceProblems(world: World): string[] {
  const problems: string[] = [];
  const names = defaultSyncPolicy().hubspotProperties;
  const companies = [...world.crm.store.records.companies.values()].filter((record) => !record.archived);
  const contacts = [...world.crm.store.records.contacts.values()].filter((record) => !record.archived);
  const rows = [...world.erp.store.rows.values()];
  const customers = rows.filter((row) => (row.customerNo ?? 0) > 0);
  const persons = rows.filter((row) => (row.contactPersonForAssociateNo ?? 0) > 0);

  const byActor = (records: typeof companies) => {
    const map = new Map<number, typeof companies>();
    for (const record of records) {
      const actor = Number(record.properties.get(names.erpActorNo) ?? 0);
      if (actor > 0) map.set(actor, [...(map.get(actor) ?? []), record]);
    }
    return map;
  };
  const companiesByActor = byActor(companies);
  const contactsByActor = byActor(contacts);

  const orgs = new Map<string, number>();
  for (const record of companies) {
    const org = digits(record.properties.get(names.orgNumber));
    if (org !== '') orgs.set(org, (orgs.get(org) ?? 0) + 1);
  }
  for (const [org, count] of orgs)
    if (count > 1) problems.push(`HubSpot: org number ${org} on ${count} companies`);
  const erpOrgs = new Map<string, number>();
  for (const row of customers) {
    const org = digits(row.companyNo);
    if (org !== '') erpOrgs.set(org, (erpOrgs.get(org) ?? 0) + 1);
  }
  for (const [org, count] of erpOrgs)
    if (count > 1) problems.push(`Business NXT: org number ${org} on ${count} customers`);

  for (const row of customers) {
    const found = companiesByActor.get(row.associateNo) ?? [];
    if (found.length !== 1) {
      problems.push(`customer ${row.associateNo}: ${found.length} HubSpot companies`);
      continue;
    }
    const crm = hubSpotCompanyToCustomer(
      { id: found[0]?.id ?? '', properties: propertiesOf(found[0] as never) },
      names,
    ).record;
    const erp = associateToCustomer(row).record;
    for (const field of customerSyncFields)
      if (compareKey(field, crm[field]) !== compareKey(field, erp[field]))
        problems.push(`customer ${row.associateNo} / ${found[0]?.id}: ${field} differs`);
  }
  for (const company of companies) {
    if (company.properties.get('lifecyclestage') !== 'customer') continue;
    const actor = Number(company.properties.get(names.erpActorNo) ?? 0);
    if (!customers.some((row) => row.associateNo === actor))
      problems.push(`HubSpot customer ${company.id} is not in Business NXT`);
  }

  // Contact persons whose email another person of the same data also has cannot both be linked by email.
  const emailCount = new Map<string, number>();
  for (const person of persons) {
    const email = String(person.emailAddress ?? '').toLowerCase();
    if (email) emailCount.set(email, (emailCount.get(email) ?? 0) + 1);
  }
  for (const person of persons) {
    if ((emailCount.get(String(person.emailAddress ?? '').toLowerCase()) ?? 0) > 1) continue;
    const found = contactsByActor.get(person.associateNo) ?? [];
    if (found.length !== 1) {
      problems.push(`contact person ${person.associateNo}: ${found.length} HubSpot contacts`);
      continue;
    }
    const crm = hubSpotContactToContact(
      { id: found[0]?.id ?? '', properties: propertiesOf(found[0] as never) },
      names,
    ).record;
    const erp = associateToContact(person).record;
    for (const field of contactSyncFields)
      if (compareKey(field, crm[field]) !== compareKey(field, erp[field]))
        problems.push(`contact person ${person.associateNo} / ${found[0]?.id}: ${field} differs`);
  }
  return problems;
}
