import { afterEach, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// The policy's `customers.createDefaults`: Business NXT column values for the customers the sync creates there,
// on create only. A value the mapping sets is kept, and an update never writes a default.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

const createDefaults = { customerPriceGroup1: 3, paymentTerms: 14, currencyNo: 2, languageNo: 47 };

it('gives new Business NXT customers the defaults, and an update leaves the columns alone', async () => {
  scheduled = await startScheduledWorld({
    customers: 1,
    companies: 2,
    seed: 57,
    policy: { customers: { createInErp: 'all', createDefaults } },
  });
  const world = scheduled;
  const erp = world.world.erp.store;
  const existing = [...erp.rows.values()].filter((row) => row.customerNo > 0);
  expect(existing).toHaveLength(1);

  const first = await world.cycle(true);
  expect(first.exitCode).toBe(0);
  expect(first.entities.customer.applied['create-erp']).toBe(2);
  const links = (await world.runtime.store.allLinks('customer', null, 100)).filter(
    (link) => link.status === 'active',
  );
  const created = links
    .filter((link) => !existing.some((row) => row.associateNo === link.associateNo))
    .map((link) => ({ link, row: erp.rows.get(link.associateNo) }));
  expect(created).toHaveLength(2);
  for (const { row } of created) {
    expect(row).toMatchObject(createDefaults);
    // The mapped columns are the HubSpot company's.
    expect(row?.name).not.toBe('');
    expect(row?.customerNo).toBeGreaterThan(0);
  }
  // The customer that was there already (created in HubSpot from Business NXT) got no default.
  expect(erp.rows.get(existing[0]?.associateNo ?? 0)).toMatchObject({ paymentTerms: 0, currencyNo: 0 });

  // A person changes a defaulted column in Business NXT; then the company is renamed in HubSpot.
  const [{ link, row } = { link: undefined, row: undefined }] = created;
  if (link === undefined || row === undefined) throw new Error('no created customer');
  world.later();
  erp.update(row.associateNo, { paymentTerms: 30 });
  world.later();
  const company = world.world.crm.store.records.companies.get(link.crmId);
  if (company === undefined) throw new Error(`no company ${link.crmId}`);
  world.world.crm.store.update(company, { name: 'Renamed Havn AS' });
  world.later();

  const second = await world.cycle(false);
  expect(second.exitCode).toBe(0);
  expect(second.entities.customer.applied['update-erp']).toBe(1);
  expect(second.entities.customer.applied['create-erp'] ?? 0).toBe(0);
  expect(erp.rows.get(row.associateNo)).toMatchObject({
    name: 'Renamed Havn AS',
    paymentTerms: 30,
    customerPriceGroup1: 3,
    currencyNo: 2,
    languageNo: 47,
  });
  // The other customers: not touched by the update.
  expect(erp.rows.get(existing[0]?.associateNo ?? 0)).toMatchObject({ paymentTerms: 0, currencyNo: 0 });
});
