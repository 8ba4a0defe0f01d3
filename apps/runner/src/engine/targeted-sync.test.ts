import { afterEach, describe, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// The service's targeted sync (docs/DESIGN.md §5b): the records webhooks announced, with a cycle's rules, checked
// on both simulators' stores. Watermarks stay: the scheduled cycles still find everything.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function synced() {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 41 });
  expect((await scheduled.cycle(true)).exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

function linkedCustomer(world: ScheduledWorld['world'], nth: number) {
  const row = [...world.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0)[nth];
  if (row === undefined) throw new Error('the seed has no such customer');
  const company = [...world.crm.store.records.companies.values()].find(
    (record) => !record.archived && record.properties.get('visma_customer_no') === String(row.customerNo),
  );
  if (company === undefined) throw new Error(`customer ${row.customerNo} has no company`);
  return { row, company };
}

const liveCompanies = (world: ScheduledWorld['world']) =>
  [...world.crm.store.records.companies.values()].filter((record) => !record.archived);
const customers = (world: ScheduledWorld['world']) =>
  [...world.erp.store.rows.values()].filter((row) => row.customerNo > 0);

describe('a targeted sync', () => {
  it('carries an edit on each side by id, and only those records', async () => {
    const w = await synced();
    const inCrm = linkedCustomer(w.world, 0);
    const inErp = linkedCustomer(w.world, 1);
    const untouched = linkedCustomer(w.world, 2);
    w.world.crm.store.update(inCrm.company, { city: 'Drøbak' });
    w.world.erp.store.update(inErp.row.associateNo, { phone: '+47 22 33 44 55' });
    w.world.erp.store.update(untouched.row.associateNo, { postalArea: 'Moss' });
    const report = await w.targeted({ customer: [inCrm.company.id], associateNos: [inErp.row.associateNo] });
    expect(report.mode).toBe('targeted');
    expect(report.exitCode).toBe(0);
    expect(w.world.erp.store.rows.get(inCrm.row.associateNo)?.postalArea).toBe('Drøbak');
    expect(inErp.company.properties.get('phone')).toBe('+4722334455');
    // Not announced: left for the next cycle, which finds it.
    expect(untouched.company.properties.get('city')).not.toBe('Moss');
    w.later();
    expect((await w.cycle(false)).exitCode).toBe(0);
    expect(untouched.company.properties.get('city')).toBe('Moss');
  });

  it('creates a new company in Business NXT once, however often it is announced', async () => {
    const w = await synced();
    const before = customers(w.world).length;
    const created = w.world.crm.store.create('companies', {
      name: 'Fjordkraft Havn AS',
      city: 'Moss',
      lifecyclestage: 'customer',
      visma_org_number: '923609016',
    });
    for (let delivery = 0; delivery < 3; delivery += 1)
      expect((await w.targeted({ customer: [created.id] })).exitCode).toBe(0);
    expect(customers(w.world)).toHaveLength(before + 1);
    w.later();
    expect((await w.cycle(true)).exitCode).toBe(0);
    expect(customers(w.world)).toHaveLength(before + 1);
    expect(liveCompanies(w.world)).toHaveLength(before + 1);
  });

  it('follows a deletion in Business NXT and an archive in HubSpot as a full cycle would, bringing nothing back', async () => {
    const w = await synced();
    const deleted = linkedCustomer(w.world, 0);
    const archived = linkedCustomer(w.world, 1);
    w.world.erp.store.delete(deleted.row.associateNo);
    w.world.crm.store.archive(archived.company);
    const report = await w.targeted({
      customer: [archived.company.id],
      associateNos: [deleted.row.associateNo],
    });
    expect(report.exitCode).not.toBe(1);
    const links = await w.runtime.store.linksByCrmIds('customer', [deleted.company.id, archived.company.id]);
    expect(links.map((link) => link.status)).toEqual(['orphaned', 'orphaned']);
    w.later();
    await w.cycle(true);
    expect(w.world.erp.store.rows.has(deleted.row.associateNo)).toBe(false);
    expect(liveCompanies(w.world).some((company) => company.id === archived.company.id)).toBe(false);
  });

  it('moves the link to the record a HubSpot merge creates, creating nothing', async () => {
    const w = await synced();
    const linked = linkedCustomer(w.world, 0);
    const lead = w.world.crm.store.create('companies', { name: 'Havnelageret Lead' });
    const { record } = w.world.crm.store.merge(lead, linked.company);
    const before = customers(w.world).length;
    const report = await w.targeted({ customer: [record.id, lead.id, linked.company.id] });
    expect(report.exitCode).toBe(0);
    expect(customers(w.world)).toHaveLength(before);
    const [moved] = await w.runtime.store.linksByCrmIds('customer', [record.id]);
    expect(moved?.associateNo).toBe(linked.row.associateNo);
    expect(await w.runtime.store.linksByCrmIds('customer', [linked.company.id])).toEqual([]);
  });

  it("reads the HubSpot records while the other side's rows sync: each record read once", async () => {
    const w = await synced();
    const inCrm = linkedCustomer(w.world, 0);
    const inErp = linkedCustomer(w.world, 1);
    w.world.crm.store.update(inCrm.company, { city: 'Hvitsten' });
    w.world.erp.store.update(inErp.row.associateNo, { phone: '+47 64 95 00 00' });
    const before = { crm: w.world.crm.stats.requests, erp: w.world.erp.stats.requests };
    const report = await w.targeted({ customer: [inCrm.company.id], associateNos: [inErp.row.associateNo] });
    expect(report.exitCode).toBe(0);
    expect(w.world.erp.store.rows.get(inCrm.row.associateNo)?.postalArea).toBe('Hvitsten');
    expect(inErp.company.properties.get('phone')).toBe('+4764950000');
    // The requests of one direction after the other, none twice: in HubSpot the edited company read, the edited
    // row's company read (with the history of its newest-wins fields: both sides changed since the last sync) and
    // updated; in Business NXT the edited row read, the edited company's row read and updated.
    expect(w.world.crm.stats.requests - before.crm).toBe(4);
    expect(w.world.erp.stats.requests - before.erp).toBe(3);
  });

  it("reads the HubSpot records again when the other side's rows planned one of them (a merge survivor)", async () => {
    const w = await synced();
    const linked = linkedCustomer(w.world, 0);
    const lead = w.world.crm.store.create('companies', { name: 'Havnelageret Lead' });
    const { record } = w.world.crm.store.merge(lead, linked.company);
    // The row's edit comes by its link to the merged-away company, which HubSpot answers with the survivor: the
    // slice of the survivor read ahead is then stale (its link moves).
    w.world.erp.store.update(linked.row.associateNo, { phone: '+47 33 00 11 22' });
    const before = customers(w.world).length;
    const report = await w.targeted({ customer: [record.id], associateNos: [linked.row.associateNo] });
    expect(report.exitCode).toBe(0);
    expect(customers(w.world)).toHaveLength(before);
    const [moved] = await w.runtime.store.linksByCrmIds('customer', [record.id]);
    expect(moved?.associateNo).toBe(linked.row.associateNo);
    expect(w.world.crm.store.records.companies.get(record.id)?.properties.get('phone')).toBe('+4733001122');
  });

  it('leaves the watermarks where they were', async () => {
    const w = await synced();
    const before = await w.runtime.store.getWatermark('customer.hubspot');
    const { company } = linkedCustomer(w.world, 0);
    w.world.crm.store.update(company, { city: 'Son' });
    await w.targeted({ customer: [company.id] });
    expect(await w.runtime.store.getWatermark('customer.hubspot')).toBe(before);
  });
});

it('follows a contact moved to another company in HubSpot (an association change, which search does not show)', async () => {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 33 });
  const w = scheduled;
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const customerLinks = (await w.runtime.store.allLinks('customer', null, 1000)).filter(
    (link) => link.status === 'active',
  );
  const contactLinks = (await w.runtime.store.allLinks('contact', null, 1000)).filter(
    (link) => link.status === 'active',
  );
  const contact = contactLinks[0];
  const person = contact && w.world.erp.store.rows.get(contact.associateNo);
  const to = customerLinks.find((link) => link.associateNo !== person?.contactPersonForAssociateNo);
  if (contact === undefined || to === undefined) throw new Error('the seed has no contact to move');
  const moved = await w.runtime.clients.hubspot.associations.batchCreate('contacts', 'companies', [
    { fromId: contact.crmId, toId: to.crmId, typeId: 1 },
  ]);
  expect(moved.isOk()).toBe(true);
  const report = await w.targeted({ contact: [contact.crmId] });
  expect(report.exitCode).toBe(0);
  expect(w.world.erp.store.rows.get(contact.associateNo)?.contactPersonForAssociateNo).toBe(to.associateNo);
});

it("sets apart the sync's own write when Business NXT's webhook announces it, reading nothing from HubSpot", async () => {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 41 });
  const w = scheduled;
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const row = [...w.world.erp.store.rows.values()].find((candidate) => candidate.customerNo > 0);
  const company = [...w.world.crm.store.records.companies.values()].find(
    (record) => record.properties.get('visma_customer_no') === String(row?.customerNo),
  );
  if (row === undefined || company === undefined) throw new Error('no linked customer');
  // A HubSpot edit synced by id: the sync writes the row, and Business NXT's webhook then names that row.
  w.world.crm.store.update(company, { city: 'Svelvik' });
  expect((await w.targeted({ customer: [company.id] })).exitCode).toBe(0);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).toBe('Svelvik');
  const before = w.world.crm.stats.requests;
  const echo = await w.targeted({ associateNos: [row.associateNo] });
  expect(echo.exitCode).toBe(0);
  expect(echo.entities.customer.echoesSkipped).toBe(1);
  expect(w.world.crm.stats.requests).toBe(before);
  // A person's edit of the same row afterwards is no echo: it reaches HubSpot.
  w.world.erp.store.update(row.associateNo, { postalArea: 'Tofte', changedByUser: 'ERP-USER' });
  expect((await w.targeted({ associateNos: [row.associateNo] })).exitCode).toBe(0);
  expect(company.properties.get('city')).toBe('Tofte');
});
