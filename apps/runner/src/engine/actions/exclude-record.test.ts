import { afterEach, expect, it } from 'vitest';
import { readStatus } from '../../commands/status.js';
import {
  type ActionWorld,
  erpCustomer,
  hubspotCustomer,
  linkedCustomer,
  startActionWorld,
} from './action-world.js';
import { excludeRecord, previewExclusion } from './exclude-record.js';
import { includeRecord, previewInclusion } from './include-record.js';

// "Exclude from sync" and "include": an excluded record and its linked counterpart are left out of every cycle and
// targeted sync (never written, orphaned, deleted or created because of it), listed as excluded, and synced as
// usual once included. Checked on both simulators' stores.
let world: ActionWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function synced() {
  world = await startActionWorld({ customers: 6, companies: 0, seed: 41 });
  expect((await world.cycle(true)).exitCode).toBe(0);
  world.later();
  return world;
}

const liveCompanies = (w: ActionWorld) =>
  [...w.world.crm.store.records.companies.values()].filter((record) => !record.archived);
const customers = (w: ActionWorld) =>
  [...w.world.erp.store.rows.values()].filter((row) => row.customerNo > 0);

it('leaves an excluded linked pair edited on both sides untouched, and syncs both edits once included', async () => {
  const w = await synced();
  const { row, company } = linkedCustomer(w.world, 0);
  const other = linkedCustomer(w.world, 1);
  const preview = await previewExclusion(w.dependencies, hubspotCustomer(company.id));
  expect(preview.refusal).toBeUndefined();
  expect(preview.title).toBe(
    `Exclude HubSpot company ${company.id}, linked to Business NXT customer ${row.associateNo}`,
  );
  const excluded = await excludeRecord(
    w.dependencies,
    'cli:tester',
    hubspotCustomer(company.id),
    'under review',
  );
  expect(excluded.kind).toBe('done');

  w.world.crm.store.update(company, { city: 'Drøbak' });
  w.world.erp.store.update(row.associateNo, { phone: '+47 22 33 44 55' });
  w.world.crm.store.update(other.company, { city: 'Hurum' });
  const report = await w.cycle(false);
  expect(report.exitCode).toBe(0);
  expect(report.items).toContainEqual(
    expect.objectContaining({
      outcome: 'skipped',
      reason: 'excluded',
      crmId: company.id,
      associateNo: row.associateNo,
    }),
  );
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Drøbak');
  expect(company.properties.get('phone')).not.toBe('+4722334455');
  // Others sync as usual.
  expect(w.world.erp.store.rows.get(other.row.associateNo)?.postalArea).toBe('Hurum');
  // A targeted sync (webhooks announcing both edits) leaves them out too.
  w.later();
  const targeted = await w.targeted({ customer: [company.id], associateNos: [row.associateNo] });
  expect(targeted.exitCode).toBe(0);
  expect(targeted.items).toEqual([expect.objectContaining({ reason: 'excluded', crmId: company.id })]);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Drøbak');
  expect(company.properties.get('phone')).not.toBe('+4722334455');
  const held = (await readStatus(w.runtime.store)).held;
  expect(held).toContainEqual(
    expect.objectContaining({ reason: 'excluded', system: 'hubspot', recordId: company.id }),
  );

  // A full cycle reads them again: still untouched, the link still active.
  w.later();
  expect((await w.cycle(true)).exitCode).toBe(0);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Drøbak');
  const [link] = await w.runtime.store.linksByCrmIds('customer', [company.id]);
  expect(link?.status).toBe('active');

  w.later();
  const inclusion = await previewInclusion(w.dependencies, erpCustomer(row.associateNo));
  expect(inclusion.refusal).toBeUndefined();
  expect(inclusion.lines.join('\n')).toContain(`Business NXT customer ${row.associateNo}:`);
  const included = await includeRecord(w.dependencies, 'cli:tester', erpCustomer(row.associateNo));
  expect(included.kind).toBe('done');
  expect(included.kind === 'done' && included.report?.exitCode).toBe(0);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).toBe('Drøbak');
  expect(company.properties.get('phone')).toBe('+4722334455');
  expect(await w.runtime.store.exclusions()).toEqual([]);
  expect((await readStatus(w.runtime.store)).held).toEqual([]);
  w.later();
  const next = await w.cycle(false);
  expect(next.items).toEqual([]);

  const audit = await w.runtime.store.auditLog({ limit: 10 });
  expect(audit.map((entry) => [entry.action, entry.actor, entry.target])).toEqual([
    ['record.include', 'cli:tester', `customer visma-nxt ${row.associateNo}`],
    ['record.exclude', 'cli:tester', `customer hubspot ${company.id}`],
  ]);
  const [include, exclude] = audit;
  expect(exclude?.before).toMatchObject({ excluded: null, link: { status: 'active' } });
  expect(exclude?.after).toMatchObject({ excluded: { by: 'cli:tester', reason: 'under review' } });
  expect(include?.before).toMatchObject({ excluded: { record: `hubspot ${company.id}` } });
  expect(include?.after).toMatchObject({ excluded: null, run: { mode: 'targeted', exitCode: 0 } });
});

it('never orphans an excluded pair whose HubSpot record is archived, nor brings anything back; included, it follows', async () => {
  const w = await synced();
  const { row, company } = linkedCustomer(w.world, 0);
  expect((await excludeRecord(w.dependencies, 'cli:tester', erpCustomer(row.associateNo), null)).kind).toBe(
    'done',
  );
  const companiesBefore = liveCompanies(w).length;
  const customersBefore = customers(w).length;
  w.world.crm.store.archive(company);
  const report = await w.cycle(true);
  expect(report.exitCode).toBe(0);
  expect(report.items.filter((item) => item.outcome === 'orphaned')).toEqual([]);
  const [link] = await w.runtime.store.linksByCrmIds('customer', [company.id]);
  expect(link?.status).toBe('active');
  expect(liveCompanies(w)).toHaveLength(companiesBefore - 1);
  expect(customers(w)).toHaveLength(customersBefore);

  w.later();
  const included = await includeRecord(w.dependencies, 'cli:tester', hubspotCustomer(company.id));
  expect(included.kind).toBe('done');
  const [after] = await w.runtime.store.linksByCrmIds('customer', [company.id]);
  expect(after?.status).toBe('orphaned');
  expect(w.world.erp.store.rows.has(row.associateNo)).toBe(true);
  expect(liveCompanies(w)).toHaveLength(companiesBefore - 1);
});

it('creates neither an excluded new record nor the one it would have matched; included, the two link', async () => {
  const w = await synced();
  const associateNo = w.world.erp.store.nextAssociateNo();
  w.world.erp.store.insert({
    associateNo,
    customerNo: w.world.erp.store.nextCustomerNo(),
    name: 'Fjordkraft Havn AS',
    companyNo: '923609016',
    postCode: '1530',
    countryNo: 47,
  });
  const excluded = await excludeRecord(w.dependencies, 'cli:tester', erpCustomer(associateNo), 'duplicate?');
  expect(excluded.kind).toBe('done');
  // A HubSpot company with the same org number: it would link to the row, so it is not created either.
  const company = w.world.crm.store.create('companies', {
    name: 'Fjordkraft Havn',
    org_number: '923609016',
    lifecyclestage: 'customer',
  });
  const companiesBefore = liveCompanies(w).length;
  const customersBefore = customers(w).length;
  w.later();
  const report = await w.cycle(false);
  expect(report.exitCode).toBe(0);
  expect(liveCompanies(w)).toHaveLength(companiesBefore);
  expect(customers(w)).toHaveLength(customersBefore);
  expect(await w.runtime.store.linksByAssociateNos('customer', [associateNo])).toEqual([]);
  expect(report.items).toContainEqual(
    expect.objectContaining({ reason: 'excluded', associateNo, crmId: null }),
  );

  w.later();
  const included = await includeRecord(w.dependencies, 'cli:tester', erpCustomer(associateNo));
  expect(included.kind).toBe('done');
  const [link] = await w.runtime.store.linksByAssociateNos('customer', [associateNo]);
  expect(link?.crmId).toBe(company.id);
  expect(liveCompanies(w)).toHaveLength(companiesBefore);
  expect(customers(w)).toHaveLength(customersBefore);
});

it('refuses to exclude twice, or to include what is not excluded, writing nothing', async () => {
  const w = await synced();
  const { row, company } = linkedCustomer(w.world, 0);
  expect((await excludeRecord(w.dependencies, 'cli:a', hubspotCustomer(company.id), null)).kind).toBe('done');
  const again = await excludeRecord(w.dependencies, 'cli:b', erpCustomer(row.associateNo), null);
  expect(again).toEqual({
    kind: 'refused',
    message: expect.stringContaining(`its linked hubspot ${company.id} is excluded already (by cli:a`),
  });
  const other = linkedCustomer(w.world, 1);
  const included = await includeRecord(w.dependencies, 'cli:b', hubspotCustomer(other.company.id));
  expect(included).toEqual({ kind: 'refused', message: expect.stringContaining('is not excluded') });
  expect((await w.runtime.store.auditLog({ limit: 10 })).map((entry) => entry.actor)).toEqual(['cli:a']);
});

it('waits for a running cycle: an exclusion is not recorded while another holds the lock', async () => {
  const w = await synced();
  const { company } = linkedCustomer(w.world, 0);
  const holder = { id: 'elsewhere/1/cycle', description: 'crm-sync pid 1 on elsewhere' };
  expect((await w.runtime.store.acquireLock(holder, 60_000)).ok).toBe(true);
  const excluded = await excludeRecord(w.dependencies, 'cli:tester', hubspotCustomer(company.id), null);
  expect(excluded).toEqual({
    kind: 'locked',
    message: expect.stringContaining('crm-sync pid 1 on elsewhere'),
  });
  expect(await w.runtime.store.exclusions()).toEqual([]);
  await w.runtime.store.releaseLock(holder.id);
});

it('leaves out an excluded contact and its contact person; included, both edits sync', async () => {
  const w = await synced();
  const [link] = (await w.runtime.store.allLinks('contact', null, 1000)).filter(
    (candidate) => candidate.status === 'active',
  );
  const contact = link && w.world.crm.store.records.contacts.get(link.crmId);
  if (link === undefined || contact === undefined) throw new Error('the seed has no linked contact');
  const ref = { entity: 'contact', system: 'hubspot', id: link.crmId } as const;
  expect((await excludeRecord(w.dependencies, 'cli:tester', ref, null)).kind).toBe('done');
  w.world.crm.store.update(contact, { mobilephone: '+47 912 34 567' });
  w.world.erp.store.update(link.associateNo, { phone: '+47 22 11 00 99' });
  const report = await w.cycle(false);
  expect(report.exitCode).toBe(0);
  expect(report.items).toEqual([
    expect.objectContaining({ entity: 'contact', reason: 'excluded', crmId: link.crmId }),
  ]);
  expect(w.world.erp.store.rows.get(link.associateNo)?.mobilePhone).not.toBe('+4791234567');
  expect(contact.properties.get('phone')).not.toBe('+4722110099');
  w.later();
  expect((await includeRecord(w.dependencies, 'cli:tester', ref)).kind).toBe('done');
  expect(w.world.erp.store.rows.get(link.associateNo)?.mobilePhone).toBe('+4791234567');
  expect(contact.properties.get('phone')).toBe('+4722110099');
});
