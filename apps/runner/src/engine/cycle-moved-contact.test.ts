import { afterEach, expect, it } from 'vitest';
import { readStatus } from '../commands/status.js';
import type { StoredLink } from '../state/state-store.js';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// A linked contact moved to another company in one system is followed in the other (policy `contacts.customer`,
// default direction `both`); a move to a company that is not a synced customer is held in `status` until it is
// resolved, without anyone running --full. Checked on the simulators' own stores.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function synced() {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 33 });
  const first = await scheduled.cycle(true);
  expect(first.exitCode).toBe(0);
  scheduled.later();
  // The next cycle reads the first one's writes again (its echo); after it, nothing has changed anywhere.
  expect((await scheduled.cycle(false)).exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

async function allLinks(world: ScheduledWorld, entity: 'customer' | 'contact'): Promise<StoredLink[]> {
  return (await world.runtime.store.allLinks(entity, null, 1000)).filter((link) => link.status === 'active');
}

/** A linked contact, its customer, and another linked customer to move it to. */
async function pairToMove(world: ScheduledWorld) {
  const customers = await allLinks(world, 'customer');
  const contacts = await allLinks(world, 'contact');
  for (const contact of contacts) {
    const person = world.world.erp.store.rows.get(contact.associateNo);
    const from = customers.find((link) => link.associateNo === person?.contactPersonForAssociateNo);
    const to = customers.find((link) => link !== from);
    if (person && from && to) return { contact, from, to };
  }
  throw new Error('the seed has no linked contact and two linked customers');
}

function companiesOf(world: ScheduledWorld, contactId: string) {
  const associated = world.world.crm.store.associationsOf('contacts', contactId, 'companies');
  return {
    primary: associated.filter((item) => item.typeIds.includes(1)).map((item) => item.toId),
    all: associated.map((item) => item.toId),
  };
}

/** Moves a contact's primary company the way a HubSpot user or another integration does: associations v4. */
async function moveInHubSpot(world: ScheduledWorld, contactId: string, companyId: string) {
  const moved = await world.runtime.clients.hubspot.associations.batchCreate('contacts', 'companies', [
    { fromId: contactId, toId: companyId, typeId: 1 },
  ]);
  expect(moved.isOk()).toBe(true);
  expect(companiesOf(world, contactId).primary).toEqual([companyId]);
}

function parentOf(world: ScheduledWorld, associateNo: number): number | undefined {
  return world.world.erp.store.rows.get(associateNo)?.contactPersonForAssociateNo;
}

async function heldOn(world: ScheduledWorld, contactId: string) {
  return (await readStatus(world.runtime.store)).held.filter(
    (record) => record.entity === 'contact' && record.recordId === contactId,
  );
}

const writesOf = (report: Awaited<ReturnType<ScheduledWorld['cycle']>>) =>
  Object.entries(report.entities.contact.applied).filter(([kind]) =>
    ['create-erp', 'create-crm', 'update-erp', 'update-crm'].includes(kind),
  );

it('an ERP contact person moved to another customer moves the HubSpot primary company, in an incremental cycle', async () => {
  const world = await synced();
  const { contact, from, to } = await pairToMove(world);
  world.world.erp.store.update(contact.associateNo, { contactPersonForAssociateNo: to.associateNo });
  const report = await world.cycle(false);
  expect(report.exitCode).toBe(0);
  const companies = companiesOf(world, contact.crmId);
  expect(companies.primary).toEqual([to.crmId]);
  // The old company stays associated, without the primary label: a move deletes nothing.
  expect(companies.all).toContain(from.crmId);
  expect(parentOf(world, contact.associateNo)).toBe(to.associateNo);
  world.later();
  const echo = await world.cycle(false);
  expect(writesOf(echo)).toEqual([]);
  expect(companiesOf(world, contact.crmId).primary).toEqual([to.crmId]);
});

it('a HubSpot contact moved to another linked customer moves the ERP contact person: seen when the contact is read', async () => {
  const world = await synced();
  const { contact, from, to } = await pairToMove(world);
  await moveInHubSpot(world, contact.crmId, to.crmId);
  // An association change does not touch the contact's lastmodifieddate: the incremental search does not see it.
  await world.cycle(false);
  expect(parentOf(world, contact.associateNo)).toBe(from.associateNo);
  world.later();
  // The nightly full cycle reads every contact with its companies.
  const full = await world.cycle(true);
  expect(full.exitCode).toBe(0);
  expect(parentOf(world, contact.associateNo)).toBe(to.associateNo);
  expect(companiesOf(world, contact.crmId).primary).toEqual([to.crmId]);
  world.later();
  expect(writesOf(await world.cycle(false))).toEqual([]);
  expect(parentOf(world, contact.associateNo)).toBe(to.associateNo);

  // Moved back together with an edit of the contact: the incremental cycle reads it and follows both.
  await moveInHubSpot(world, contact.crmId, from.crmId);
  const edited = await world.runtime.clients.hubspot.contacts.batchUpdate([
    { id: contact.crmId, properties: { phone: '+47 33 12 34 56' } },
  ]);
  expect(edited.isOk()).toBe(true);
  world.later();
  await world.cycle(false);
  expect(parentOf(world, contact.associateNo)).toBe(from.associateNo);
  expect(world.world.erp.store.rows.get(contact.associateNo)?.phone).toBe('+4733123456');
});

/** Moves a linked contact to a new HubSpot lead company (not a customer by the default filter) and holds it. */
async function movedToLead(world: ScheduledWorld) {
  const { contact, from } = await pairToMove(world);
  const created = await world.runtime.clients.hubspot.companies.batchCreate([
    { properties: { name: 'Ny Interessent AS', lifecyclestage: 'lead' } },
  ]);
  const lead = created.isOk() ? created.value[0] : undefined;
  if (lead === undefined || lead.isErr()) throw new Error('could not create the lead company');
  const leadId = lead.value.id;
  await moveInHubSpot(world, contact.crmId, leadId);
  const full = await world.cycle(true);
  expect(full.exitCode).toBe(0);
  expect(await heldOn(world, contact.crmId)).toEqual([
    expect.objectContaining({
      reason: 'customer-not-synced',
      system: 'hubspot',
      field: 'customer',
      related: expect.stringContaining(`hubspot ${leadId}`),
    }),
  ]);
  const since = (await heldOn(world, contact.crmId))[0]?.since;
  // Held across cycles, not reported once: the contact person stays with its customer meanwhile.
  for (let cycle = 0; cycle < 2; cycle += 1) {
    world.later();
    await world.cycle(false);
    expect(await heldOn(world, contact.crmId)).toEqual([
      expect.objectContaining({ reason: 'customer-not-synced', field: 'customer', since }),
    ]);
    expect(parentOf(world, contact.associateNo)).toBe(from.associateNo);
  }
  world.later();
  return { contact, from, leadId };
}

it('a contact moved to a company that is not synced is held in status until the company becomes a customer', async () => {
  const world = await synced();
  const { contact, leadId } = await movedToLead(world);
  const promoted = await world.runtime.clients.hubspot.companies.batchUpdate([
    { id: leadId, properties: { lifecyclestage: 'customer' } },
  ]);
  expect(promoted.isOk()).toBe(true);
  const report = await world.cycle(false);
  expect(report.exitCode).toBe(0);
  const customer = (await allLinks(world, 'customer')).find((link) => link.crmId === leadId);
  expect(customer).toBeDefined();
  expect(parentOf(world, contact.associateNo)).toBe(customer?.associateNo);
  expect(await heldOn(world, contact.crmId)).toEqual([]);
});

it('a contact moved to a company that is not synced is released once moved back, without a full cycle', async () => {
  const world = await synced();
  const { contact, from } = await movedToLead(world);
  await moveInHubSpot(world, contact.crmId, from.crmId);
  const report = await world.cycle(false);
  expect(report.exitCode).toBe(0);
  expect(await heldOn(world, contact.crmId)).toEqual([]);
  expect(parentOf(world, contact.associateNo)).toBe(from.associateNo);
});
