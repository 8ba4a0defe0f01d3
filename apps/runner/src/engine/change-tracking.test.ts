import { afterEach, describe, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// The second promise (docs/DESIGN.md §2): an edit made in either system reaches the other, whatever the clocks say and
// wherever a cycle was stopped. Checked on the simulators' own stores.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function synced(skewMs: { hubspot?: number; erp?: number } = {}) {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 31, skewMs });
  const first = await scheduled.cycle(true);
  expect(first.exitCode).toBe(0);
  return scheduled;
}

/** A linked customer's row and company, found by the ERP number HubSpot stores (`nth` customer). */
function linkedCustomer(world: ScheduledWorld['world'], nth = 0) {
  const row = [...world.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0)[nth];
  if (row === undefined) throw new Error('the seed has no customer');
  const company = [...world.crm.store.records.companies.values()].find(
    (record) => record.properties.get('visma_customer_no') === String(row.customerNo),
  );
  if (company === undefined) throw new Error(`customer ${row.customerNo} has no company`);
  return { row, company };
}

describe('clock differences cannot hide edits', () => {
  const minutes = 60_000;
  it.each([
    ['Business NXT 5 minutes behind', { erp: -5 * minutes }],
    ['Business NXT 3 minutes behind', { erp: -3 * minutes }],
    ['Business NXT 5 minutes ahead', { erp: 5 * minutes }],
    ['HubSpot 5 minutes behind', { hubspot: -5 * minutes }],
    ['HubSpot 8 minutes behind (past the search look-back)', { hubspot: -8 * minutes }],
    ['HubSpot 5 minutes ahead', { hubspot: 5 * minutes }],
  ])('%s: the next incremental cycle carries an edit on each side', async (_, skewMs) => {
    const w = await synced(skewMs);
    // A quiet incremental cycle first: it reads back the first cycle's own writes.
    w.later();
    expect((await w.cycle(false)).exitCode).toBe(0);
    // Edits right after the cycle, by each system's own clock, on two different customers.
    const inErp = linkedCustomer(w.world, 0);
    const inCrm = linkedCustomer(w.world, 1);
    w.world.erp.store.update(inErp.row.associateNo, { phone: '+47 22 33 44 55' });
    w.world.crm.store.update(inCrm.company, { city: 'Drøbak' });
    w.later();
    const second = await w.cycle(false);
    expect(second.mode).toBe('incremental');
    expect(second.exitCode).toBe(0);
    expect(inErp.company.properties.get('phone')).toBe('+4722334455');
    expect(w.world.erp.store.rows.get(inCrm.row.associateNo)?.postalArea).toBe('Drøbak');
  });
});

it("HubSpot's search-index lag: an edit the search does not show yet arrives the cycle after", async () => {
  // HubSpot documents that search may lag writes by a few seconds; the simulator's lag here is 2 minutes.
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 31, searchLagMs: 2 * 60_000 });
  const w = scheduled;
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  expect((await w.cycle(false)).exitCode).toBe(0);
  const { row, company } = linkedCustomer(w.world, 2);
  w.world.crm.store.update(company, { city: 'Son' });
  // Right away: the search does not show the edit yet.
  const early = await w.cycle(false);
  expect(early.entities.customer.read.hubspot).toBe(0);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Son');
  // The next cycle looks 5 minutes back from the watermark, and the index has caught up.
  w.later();
  expect((await w.cycle(false)).exitCode).toBe(0);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).toBe('Son');
});

describe('what a cycle owes is state', () => {
  /** A lead in Business NXT (no customer number) with two contact persons, linked to nothing yet. */
  function leadWithContacts(world: ScheduledWorld['world']) {
    const store = world.erp.store;
    const lead = store.insert({
      associateNo: store.nextAssociateNo(),
      name: 'Lysaker Slipp AS',
      countryNo: 47,
    });
    for (const [name, email] of [
      ['Kari Slipp', 'kari@lysaker-slipp.no'],
      ['Ola Slipp', 'ola@lysaker-slipp.no'],
    ] as const) {
      store.insert({
        associateNo: store.nextAssociateNo(),
        name,
        emailAddress: email,
        contactPersonForAssociateNo: lead.associateNo,
      });
    }
    return lead;
  }
  const contactsOf = (world: ScheduledWorld['world'], domain: string) =>
    [...world.crm.store.records.contacts.values()].filter(
      (record) => !record.archived && (record.properties.get('email') ?? '').endsWith(domain),
    ).length;

  it('a lead that became a customer before a failed contacts phase gets its contacts the next incremental cycle', async () => {
    const w = await synced();
    const lead = leadWithContacts(w.world);
    w.later();
    expect((await w.cycle(false)).exitCode).toBe(0);
    expect(contactsOf(w.world, '@lysaker-slipp.no')).toBe(0);

    // The lead becomes a customer; the contact persons themselves do not change.
    w.later();
    w.world.erp.store.update(lead.associateNo, { customerNo: w.world.erp.store.nextCustomerNo() });
    // HubSpot's token is revoked as soon as the contacts phase plans: a 401 storm.
    const failed = await w.cycle(false, {
      onPlan: (entity) => {
        if (entity === 'contact') w.world.crm.rotateToken('revoked');
      },
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.entities.customer.applied['create-crm']).toBe(1);
    expect(contactsOf(w.world, '@lysaker-slipp.no')).toBe(0);
    expect(await w.runtime.store.owedContacts()).toHaveLength(1);

    // The token is fixed; the contacts changed in neither system, yet the next incremental cycle syncs them.
    w.world.crm.rotateToken(w.world.crm.accessToken);
    w.later();
    const next = await w.cycle(false);
    expect(next.mode).toBe('incremental');
    expect(next.exitCode).toBe(0);
    expect(contactsOf(w.world, '@lysaker-slipp.no')).toBe(2);
    expect(await w.runtime.store.owedContacts()).toHaveLength(0);
  });

  it('the customer watermarks moved with the customer work; the contacts watermarks did not', async () => {
    const w = await synced();
    const before = {
      customer: await w.runtime.store.getWatermark('customer.visma-nxt'),
      contact: await w.runtime.store.getWatermark('contact.visma-nxt'),
    };
    const { row } = linkedCustomer(w.world);
    w.later();
    w.world.erp.store.update(row.associateNo, { phone: '+47 99 88 77 66' });
    const failed = await w.cycle(false, {
      onProgress: (progress) => {
        if (progress.entity === 'contact') w.world.crm.rotateToken('revoked');
      },
    });
    expect(failed.exitCode).toBe(1);
    expect(await w.runtime.store.getWatermark('customer.visma-nxt')).not.toBe(before.customer);
    expect(await w.runtime.store.getWatermark('contact.visma-nxt')).toBe(before.contact);
  });
});

describe('a stop request', () => {
  it('finishes the slice in flight, records the run interrupted, and the rerun completes everything', async () => {
    scheduled = await startScheduledWorld({ customers: 12, companies: 0, seed: 32 });
    const w = scheduled;
    const controller = new AbortController();
    const stopped = await w.cycle(true, {
      chunkSize: 4,
      // Asked to stop while the first slice of customers is applied.
      onPlan: () => controller.abort('SIGTERM'),
      signal: controller.signal,
    });
    expect(stopped.exitCode).toBe(143);
    expect(stopped.interrupted).toBe('SIGTERM');
    const runs = await w.runtime.store.runs(1);
    expect(runs[0]?.exitCode).toBe(143);
    // The lock is free again, and no watermark moved: the rerun is a first (full) cycle.
    expect(await w.runtime.store.getWatermark('customer.hubspot')).toBeNull();
    const created = stopped.entities.customer.applied['create-crm'] ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(12);

    w.later();
    const rerun = await w.cycle(false);
    expect(rerun.mode).toBe('full');
    expect(rerun.exitCode).toBe(0);
    const customers = [...w.world.erp.store.rows.values()].filter((row) => row.customerNo > 0);
    const persons = [...w.world.erp.store.rows.values()].filter((row) => row.contactPersonForAssociateNo > 0);
    const companies = [...w.world.crm.store.records.companies.values()].filter((record) => !record.archived);
    expect(companies).toHaveLength(customers.length);
    expect(w.world.crm.store.records.contacts.size).toBeGreaterThanOrEqual(
      persons.filter((person) => person.emailAddress !== '').length,
    );
  });
});
