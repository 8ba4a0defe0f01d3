import { type Normalized, normalizeEmail, normalizeOrgNumber } from '@port-service/mapping';
import { afterEach, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// A full cycle looks before it creates (docs/DESIGN.md §4): a Business NXT row whose organization number or email a
// HubSpot record already has (linked to another row, or created earlier in the same cycle) is held, never created a
// second time. Counted on the simulators' own stores.
let scheduled: ScheduledWorld | undefined;
const normalizedValue = (normalized: Normalized<string | null>) => (normalized.ok ? normalized.value : null);
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function synced() {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 21 });
  const first = await scheduled.cycle(true);
  expect(first.exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

function companiesWithOrg(world: ScheduledWorld['world'], orgNumber: string): number {
  return [...world.crm.store.records.companies.values()].filter(
    (record) =>
      !record.archived &&
      record.mergedInto === null &&
      normalizedValue(normalizeOrgNumber(record.properties.get('org_number') ?? '')) === orgNumber,
  ).length;
}

function contactsWithEmail(world: ScheduledWorld['world'], email: string): number {
  return [...world.crm.store.records.contacts.values()].filter(
    (record) =>
      !record.archived &&
      record.mergedInto === null &&
      normalizedValue(normalizeEmail(record.properties.get('email') ?? '')) === email,
  ).length;
}

/** A linked customer with an organization number, and a contact person of one with an email. */
function linkedRows(world: ScheduledWorld['world']) {
  const rows = [...world.erp.store.rows.values()];
  const customer = rows.find(
    (row) => row.customerNo > 0 && normalizedValue(normalizeOrgNumber(row.companyNo)) !== null,
  );
  const person = rows.find(
    (row) =>
      row.contactPersonForAssociateNo > 0 && normalizedValue(normalizeEmail(row.emailAddress)) !== null,
  );
  if (customer === undefined || person === undefined) throw new Error('the seed has no linked rows to use');
  return {
    customer,
    orgNumber: normalizedValue(normalizeOrgNumber(customer.companyNo)) ?? '',
    person,
    email: normalizedValue(normalizeEmail(person.emailAddress)) ?? '',
  };
}

it('a full cycle holds an ERP customer created again with the org number of a deleted one, instead of a second company', async () => {
  const { world, cycle, later } = await synced();
  const { customer, orgNumber } = linkedRows(world);
  world.erp.store.delete(customer.associateNo);
  const again = world.erp.store.insert({
    associateNo: world.erp.store.nextAssociateNo(),
    customerNo: world.erp.store.nextCustomerNo(),
    name: `${customer.name} (ny)`,
    companyNo: customer.companyNo,
    countryNo: 47,
  });
  for (let night = 0; night < 2; night += 1) {
    const report = await cycle(true);
    expect(report.mode).toBe('full');
    expect(companiesWithOrg(world, orgNumber)).toBe(1);
    expect(report.items).toContainEqual(
      expect.objectContaining({ entity: 'customer', outcome: 'candidates', associateNo: again.associateNo }),
    );
    later();
  }
});

it('a full cycle makes one HubSpot company for two ERP customers sharing an org number, even in different slices', async () => {
  const { world, cycle } = await synced();
  const shared = '923609016';
  const numbers = [0, 1].map(() => {
    const row = world.erp.store.insert({
      associateNo: world.erp.store.nextAssociateNo(),
      customerNo: world.erp.store.nextCustomerNo(),
      name: 'Delt Orgnummer AS',
      companyNo: shared,
      countryNo: 47,
    });
    return row.associateNo;
  });
  const report = await cycle(true, { chunkSize: 1 });
  expect(companiesWithOrg(world, shared)).toBe(1);
  const held = report.items.filter(
    (item) => item.outcome === 'candidates' && numbers.includes(item.associateNo ?? 0),
  );
  expect(held).toHaveLength(1);
});

it('a full cycle never asks HubSpot to create a contact whose email a linked contact has', async () => {
  const { world, cycle, later } = await synced();
  const { person, email } = linkedRows(world);
  const twin = world.erp.store.insert({
    associateNo: world.erp.store.nextAssociateNo(),
    name: 'Annen Person Samme Epost',
    emailAddress: person.emailAddress,
    contactPersonForAssociateNo: person.contactPersonForAssociateNo,
  });
  for (let night = 0; night < 2; night += 1) {
    const report = await cycle(true);
    expect(contactsWithEmail(world, email)).toBe(1);
    expect(report.items.filter((item) => item.outcome === 'failed')).toEqual([]);
    expect(report.items).toContainEqual(
      expect.objectContaining({ entity: 'contact', associateNo: twin.associateNo, outcome: 'skipped' }),
    );
    later();
  }
});

it('two linked contacts whose emails are swapped get one persistent reason, not a 409 every cycle', async () => {
  const { world, cycle, later, runtime } = await synced();
  const persons = [...world.erp.store.rows.values()].filter(
    (row) =>
      row.contactPersonForAssociateNo > 0 && normalizedValue(normalizeEmail(row.emailAddress)) !== null,
  );
  const [first, second] = persons;
  if (first === undefined || second === undefined)
    throw new Error('the seed needs two contact persons with emails');
  const [one, two] = [first.emailAddress, second.emailAddress];
  world.erp.store.update(first.associateNo, { emailAddress: two });
  world.erp.store.update(second.associateNo, { emailAddress: one });
  const report = await cycle(false);
  const failed = report.items.filter((item) => item.outcome === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  for (const item of failed) expect(item.reason).toBe('already-exists');
  later();
  // The next cycle may read the rows again (Business NXT's overlap window); after that they wait until one of the
  // records changes, or the nightly full cycle.
  await cycle(false);
  later();
  const next = await cycle(false);
  expect(next.items.filter((item) => item.outcome === 'failed')).toEqual([]);
  const held = (await runtime.store.errors()).filter((error) => error.rule === 'already-exists');
  expect(held.length).toBe(failed.length);
  expect(held.every((error) => error.related?.startsWith('hubspot ') && error.fixIn === 'either')).toBe(true);
});
