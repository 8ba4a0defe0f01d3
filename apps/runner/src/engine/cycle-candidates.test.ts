import { afterEach, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// Candidates whose twin was not read in the same pass (docs/DESIGN.md §4): a record that no sure key matches is held as
// a candidate when the other system has one of the same name (and postal code, or customer), instead of being
// created there a second time. The clock moves as a schedule's would, so HubSpot's look-back does not re-read.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function scheduledWorld(policy?: Record<string, unknown>) {
  scheduled = await startScheduledWorld({
    customers: 5,
    companies: 3,
    seed: 12,
    ...(policy === undefined ? {} : { policy }),
  });
  const w = scheduled.world;
  return {
    w,
    later: scheduled.later,
    cycle: (full: boolean) => (scheduled as ScheduledWorld).cycle(full),
    /** A linked pair after the first cycle: the HubSpot company and its customer's associate number. */
    linkedPair: () => {
      const company = [...w.crm.store.records.companies.values()].find(
        (record) => !record.archived && (record.properties.get('visma_actor_no') ?? '') !== '',
      );
      return { companyId: company?.id ?? '', associateNo: Number(company?.properties.get('visma_actor_no')) };
    },
    /** How many records with this name each side holds. */
    named: (pattern: RegExp) => ({
      hubspot: [...w.crm.store.records.contacts.values(), ...w.crm.store.records.companies.values()].filter(
        (record) =>
          !record.archived &&
          pattern.test(
            `${record.properties.get('name') ?? ''} ${record.properties.get('firstname') ?? ''} ${record.properties.get('lastname') ?? ''}`,
          ),
      ).length,
      erp: [...w.erp.store.rows.values()].filter((row) => pattern.test(row.name ?? '')).length,
    }),
  };
}

it('holds a new ERP customer whose name and postal code a HubSpot company has, instead of creating it there', async () => {
  const { w, later, cycle, named } = await scheduledWorld();
  // A lead: not a customer by the filter, so the first cycle leaves it in HubSpot only.
  const company = w.crm.store.create('companies', {
    name: 'FJORDBRIS BAKERI',
    zip: '0150',
    country: 'Norway',
    lifecyclestage: 'lead',
  });
  later();
  expect((await cycle(true)).exitCode).toBe(0);
  later();
  const associateNo = w.erp.store.nextAssociateNo();
  w.erp.store.insert({
    associateNo,
    customerNo: w.erp.store.nextCustomerNo(),
    name: 'Fjordbris Bakeri AS',
    postCode: '0150',
    countryNo: 47,
  });
  const report = await cycle(false);
  expect(report.mode).toBe('incremental');
  expect(named(/fjordbris/iu)).toEqual({ hubspot: 1, erp: 1 });
  expect(report.items).toContainEqual(
    expect.objectContaining({ outcome: 'candidates', crmId: company.id, reason: 'name-and-postal-code' }),
  );
  expect(report.items.find((item) => item.crmId === company.id)?.message).toContain(
    `visma-nxt ${associateNo}`,
  );
});

it('holds a new HubSpot contact named like a contact person of its customer that it was not read with', async () => {
  const { w, later, cycle, linkedPair, named } = await scheduledWorld();
  expect((await cycle(true)).exitCode).toBe(0);
  const pair = linkedPair();
  later();
  // The person is older than the contact, so only the HubSpot pass reads the pair.
  w.erp.store.insert(
    {
      associateNo: w.erp.store.nextAssociateNo(),
      name: 'Kjellfrid Q. Testesen',
      contactPersonForAssociateNo: pair.associateNo,
    },
    true,
  );
  const contact = w.crm.store.create('contacts', { firstname: 'Kjellfrid', lastname: 'Q. Testesen' });
  w.crm.store.associate('contacts', contact.id, 'companies', pair.companyId, 1);
  const report = await cycle(false);
  expect(named(/testesen/iu)).toEqual({ hubspot: 1, erp: 1 });
  expect(report.items).toContainEqual(
    expect.objectContaining({ entity: 'contact', outcome: 'candidates', crmId: contact.id }),
  );
});

it('holds a new contact person named like a HubSpot contact of its company that did not change', async () => {
  // HubSpot contacts stay in HubSpot here, so the contact is unlinked when the person appears.
  const { w, later, cycle, linkedPair, named } = await scheduledWorld({ contacts: { createInErp: false } });
  expect((await cycle(true)).exitCode).toBe(0);
  const pair = linkedPair();
  const contact = w.crm.store.create('contacts', { firstname: 'Hallvard', lastname: 'Z. Prøvesen' });
  w.crm.store.associate('contacts', contact.id, 'companies', pair.companyId, 1);
  later();
  expect((await cycle(false)).exitCode).toBe(0);
  later();
  const associateNo = w.erp.store.nextAssociateNo();
  w.erp.store.insert({
    associateNo,
    name: 'Hallvard Z. Prøvesen',
    contactPersonForAssociateNo: pair.associateNo,
  });
  const report = await cycle(false);
  expect(named(/prøvesen/iu)).toEqual({ hubspot: 1, erp: 1 });
  expect(report.items).toContainEqual(
    expect.objectContaining({ entity: 'contact', outcome: 'candidates', crmId: contact.id }),
  );
});
