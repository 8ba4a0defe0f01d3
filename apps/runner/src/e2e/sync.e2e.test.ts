import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, cli, run, startWorld, type World, writes } from './cli-harness.js';

// The real `crm-sync` CLI (built, spawned) against both simulators over HTTP on loopback.
let world: World | undefined;
afterEach(async () => {
  // With default settings the sync speaks HubSpot's 2026-09 API only: no request on /crm/v3 or /crm/v4.
  const served = Object.keys(world?.crm.stats.byApi ?? {});
  expect(served.filter((api) => /^crm\/v[34]\//u.test(api))).toEqual([]);
  if (world) expect(served).toContain('crm/objects/2026-09');
  await world?.close();
  world = undefined;
});

const companies = (w: World) =>
  [...w.crm.store.records.companies.values()].filter((record) => !record.archived);
const contacts = (w: World) =>
  [...w.crm.store.records.contacts.values()].filter((record) => !record.archived);
const erpCustomers = (w: World) => [...w.erp.store.rows.values()].filter((row) => (row.customerNo ?? 0) > 0);
const erpPersons = (w: World) =>
  [...w.erp.store.rows.values()].filter((row) => (row.contactPersonForAssociateNo ?? 0) > 0);
const digits = (value: string | null | undefined) => String(value ?? '').replace(/\D/gu, '');

async function synced(options: Parameters<typeof startWorld>[0]): Promise<World> {
  world = await startWorld(options);
  expect((await cli(world, ['setup'])).code).toBe(0);
  return world;
}

describe('crm-sync run against both simulators', () => {
  it('first sync in both directions, ERP numbers written back; a second cycle writes nothing', async () => {
    const w = await synced({ customers: 12, companies: 10, seed: 3 });
    const hubspotCustomers = companies(w).filter(
      (record) => record.properties.get('lifecyclestage') === 'customer',
    );
    const first = await run(w);
    expect(first.code).toBe(0);
    expect(first.report.mode).toBe('full');

    // Every ERP customer is in HubSpot, carrying its numbers.
    for (const row of erpCustomers(w)) {
      const matches = companies(w).filter(
        (record) => record.properties.get('visma_actor_no') === String(row.associateNo),
      );
      expect(matches).toHaveLength(1);
      expect(matches[0]?.properties.get('visma_customer_no')).toBe(String(row.customerNo));
    }
    // Every HubSpot customer is in Business NXT, and its numbers came back the same cycle.
    for (const company of hubspotCustomers) {
      const actor = Number(company.properties.get('visma_actor_no'));
      const row = w.erp.store.rows.get(actor);
      expect(row?.customerNo).toBeGreaterThan(0);
      expect(digits(row?.companyNo)).toBe(digits(company.properties.get('org_number')));
    }
    // Contact persons: each is in HubSpot, associated with its customer's company.
    for (const person of erpPersons(w)) {
      const contact = contacts(w).find(
        (record) => record.properties.get('visma_actor_no') === String(person.associateNo),
      );
      expect(contact, `contact person ${person.associateNo}`).toBeDefined();
      const company = companies(w).find(
        (record) => record.properties.get('visma_actor_no') === String(person.contactPersonForAssociateNo),
      );
      expect(
        w.crm.store.associationsOf('contacts', contact?.id ?? '', 'companies').map((a) => a.toId),
      ).toContain(company?.id);
    }
    // HubSpot contacts of customers are contact persons under the right customer.
    for (const contact of contacts(w)) {
      const [association] = w.crm.store.associationsOf('contacts', contact.id, 'companies');
      const company = w.crm.store.records.companies.get(association?.toId ?? '');
      if (company?.properties.get('lifecyclestage') !== 'customer') continue;
      const person = w.erp.store.rows.get(Number(contact.properties.get('visma_actor_no')));
      expect(person?.contactPersonForAssociateNo).toBe(Number(company.properties.get('visma_actor_no')));
    }

    const second = await run(w);
    expect(second.code).toBe(0);
    expect(writes(second.report)).toBe(0);
    const third = await run(w, ['--full']);
    expect(writes(third.report)).toBe(0);
  });

  it('carries incremental edits from each side to the other', async () => {
    // HubSpot's clock runs 20 minutes behind while the lead's contact is made: older than any look-back, so only
    // following its company can bring it into the incremental cycle.
    let offset = -20 * 60_000;
    const w = await synced({ customers: 8, companies: 6, seed: 4, crm: { now: () => Date.now() + offset } });
    const lead = w.crm.store.create('companies', {
      name: 'Snart Kunde AS',
      org_number: '923609016',
      lifecyclestage: 'lead',
    });
    const person = w.crm.store.create('contacts', {
      firstname: 'Lise',
      lastname: 'Leder',
      email: 'lise@snartkunde.no',
    });
    w.crm.store.associate('contacts', person.id, 'companies', lead.id, 1);
    offset = 0;
    await run(w);
    expect(person.properties.get('visma_actor_no')).toBeUndefined();
    const [first, second] = erpCustomers(w);
    const companyOf = (associateNo: number | undefined) =>
      companies(w).find((record) => record.properties.get('visma_actor_no') === String(associateNo));
    await admin(`${w.erp.adminUrl}/associates/${first?.associateNo}`, 'PATCH', {
      addressLine1: 'Kanalveien 7',
    });
    await admin(`${w.crm.adminUrl}/companies/${companyOf(second?.associateNo)?.id}`, 'PATCH', {
      city: 'Horten',
      zip: '3183',
    });
    // The lead becomes a customer: it is created in Business NXT, and its unchanged contact follows it.
    await admin(`${w.crm.adminUrl}/companies/${lead.id}`, 'PATCH', { lifecyclestage: 'customer' });
    const incremental = await run(w);
    expect(incremental.report.mode).toBe('incremental');
    const leadActor = Number(lead.properties.get('visma_actor_no'));
    expect(w.erp.store.rows.get(leadActor)?.customerNo).toBeGreaterThan(0);
    expect(w.erp.store.rows.get(Number(person.properties.get('visma_actor_no')))).toMatchObject({
      name: 'Lise Leder',
      contactPersonForAssociateNo: leadActor,
    });
    expect(incremental.code).toBe(0);
    expect(companyOf(first?.associateNo)?.properties.get('address')).toBe('Kanalveien 7');
    expect(w.erp.store.rows.get(second?.associateNo ?? 0)).toMatchObject({
      postalArea: 'Horten',
      postCode: '3183',
    });
    expect(writes((await run(w)).report)).toBe(0);
  });

  it('follows the field policies: erp-wins settles, manual queues a conflict that `conflicts resolve` settles', async () => {
    const w = await synced({
      customers: 4,
      seed: 5,
      policy: { customers: { fields: { phone: { policy: 'manual' } } } },
    });
    await run(w);
    const [row] = erpCustomers(w);
    const company = companies(w).find(
      (record) => record.properties.get('visma_actor_no') === String(row?.associateNo),
    );
    // Both sides change the address (erp-wins) and the phone (manual) differently.
    await admin(`${w.crm.adminUrl}/companies/${company?.id}`, 'PATCH', {
      address: 'CRM-gata 1',
      phone: '+47 33 11 11 11',
    });
    await admin(`${w.erp.adminUrl}/associates/${row?.associateNo}`, 'PATCH', {
      addressLine1: 'ERP-gata 2',
      phone: '33222222',
    });
    const cycle = await run(w);
    expect(cycle.code).toBe(0);
    expect(company?.properties.get('address')).toBe('ERP-gata 2');
    expect(cycle.report.items).toContainEqual(
      expect.objectContaining({ outcome: 'conflict', crmId: company?.id }),
    );
    const listed = JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout) as Array<{
      id: string;
      field: string;
    }>;
    expect(listed.map((conflict) => conflict.field)).toEqual(['phone']);
    const resolved = await cli(w, ['conflicts', 'resolve', listed[0]?.id ?? '', '--take', 'crm']);
    expect(resolved.code, resolved.stdout + resolved.stderr).toBe(0);
    expect(w.erp.store.rows.get(row?.associateNo ?? 0)?.phone).toBe('+4733111111');
    expect(JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout)).toEqual([]);
    expect(writes((await run(w)).report)).toBe(0);
  });

  it('`plan` shows every create field by field and writes nothing; emails and phones are masked unless asked', async () => {
    const w = await synced({ customers: 4, companies: 3, seed: 8 });
    const before = { companies: companies(w).length, rows: w.erp.store.rows.size };
    const email = /[\w.+-]+@[\w-]+\.[a-z]{2,}/u;
    const phone = /\+47\d{8}/u;
    const masked = await cli(w, ['plan', '--json']);
    expect(masked.code, masked.stderr).toBe(0);
    const plan = JSON.parse(masked.stdout) as { operations: Array<{ kind: string }> };
    expect(plan.operations.some((operation) => operation.kind === 'create-crm')).toBe(true);
    expect(masked.stdout).not.toMatch(email);
    expect(masked.stdout).not.toMatch(phone);
    const table = await cli(w, ['plan']);
    expect(table.stdout).toContain('→');
    expect(table.stdout).not.toMatch(email);
    const revealed = await cli(w, ['--log-personal-data', 'plan', '--json']);
    expect(revealed.stdout).toMatch(email);
    expect(revealed.stdout).toMatch(phone);
    expect({ companies: companies(w).length, rows: w.erp.store.rows.size }).toEqual(before);
  });

  it('links an existing record by organization number instead of creating a duplicate', async () => {
    world = await startWorld({ customers: 5, seed: 6 });
    const w = world;
    await cli(w, ['setup']);
    const [row] = erpCustomers(w);
    const org = String(row?.companyNo);
    const typed = w.crm.store.create('companies', {
      name: String(row?.name),
      org_number: `${org.slice(0, 3)} ${org.slice(3, 6)} ${org.slice(6)}`,
      lifecyclestage: 'customer',
    });
    const first = await run(w);
    expect(first.code).toBe(0);
    expect(companies(w).filter((record) => digits(record.properties.get('org_number')) === org)).toHaveLength(
      1,
    );
    expect(erpCustomers(w).filter((customer) => digits(customer.companyNo) === org)).toHaveLength(1);
    expect(typed.properties.get('visma_actor_no')).toBe(String(row?.associateNo));
  });

  it('reports a same name and postal code pair as candidates from either side, and creates neither', async () => {
    const w = await synced({ customers: 6, companies: 4, seed: 9 });
    const associateNo = w.erp.store.nextAssociateNo();
    w.erp.store.insert({
      associateNo,
      customerNo: w.erp.store.nextCustomerNo(),
      name: 'Fjordbris Bakeri AS',
      postCode: '0150',
      countryNo: 47,
    });
    const company = w.crm.store.create('companies', {
      name: 'FJORDBRIS BAKERI',
      zip: '0150',
      country: 'Norway',
      lifecyclestage: 'customer',
    });
    const fjordbris = (name: string | null | undefined) => /fjordbris/iu.test(name ?? '');
    for (const cycle of [['run', '--full'], ['run']]) {
      const result = await run(w, cycle.slice(1));
      expect(result.code, result.stderr).toBe(0);
      expect(companies(w).filter((record) => fjordbris(record.properties.get('name')))).toHaveLength(1);
      expect(erpCustomers(w).filter((row) => fjordbris(row.name))).toHaveLength(1);
      expect(result.report.items).toContainEqual(
        expect.objectContaining({ outcome: 'candidates', crmId: company.id, reason: 'name-and-postal-code' }),
      );
      // The next cycle reads both as changed again (an ERP edit) and still creates neither.
      await admin(`${w.erp.adminUrl}/associates/${associateNo}`, 'PATCH', { phone: '+4722334455' });
    }
  });

  it('reports invalid data per record with field and rule, and syncs every other record', async () => {
    const w = await synced({ customers: 3, seed: 7 });
    w.crm.store.create('companies', { name: 'Feil AS', org_number: '123456789', lifecyclestage: 'customer' });
    w.crm.store.create('companies', {
      name: 'Riktig AS',
      org_number: '923609016',
      lifecyclestage: 'customer',
    });
    const cycle = await run(w);
    expect(cycle.code).toBe(3);
    const skipped = cycle.report.items.filter((item) => item.outcome === 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.issues?.[0]).toMatchObject({ field: 'orgNumber', rule: 'org-number-check-digit' });
    expect(erpCustomers(w).some((row) => row.companyNo === '923609016')).toBe(true);
    expect(erpCustomers(w)).toHaveLength(4);
    const status = await cli(w, ['status']);
    expect(status.stdout).toContain('org-number-check-digit');
  });

  it('keeps the other side when a record is archived in HubSpot or deleted in Business NXT; follows HubSpot merges', async () => {
    const w = await synced({ customers: 6, seed: 8 });
    await run(w);
    const [archived, deleted, merged] = erpCustomers(w);
    const companyOf = (associateNo: number | undefined) =>
      companies(w).find((record) => record.properties.get('visma_actor_no') === String(associateNo));
    const archivedId = companyOf(archived?.associateNo)?.id;
    const mergedId = companyOf(merged?.associateNo)?.id;
    await admin(`${w.crm.adminUrl}/companies/${archivedId}/archive`, 'POST');
    await admin(`${w.erp.adminUrl}/associates/${deleted?.associateNo}`, 'DELETE');
    const survivor = w.crm.store.create('companies', { name: 'Overlevende AS', lifecyclestage: 'lead' });
    // HubSpot's merges create a new record with a new id: that one takes the link.
    const { id: mergedInto } = (await admin(`${w.crm.adminUrl}/companies/${survivor.id}/merge`, 'POST', {
      objectIdToMerge: mergedId,
    })) as { id: string };

    const cycle = await run(w, ['--full']);
    expect(cycle.code).toBe(0);
    expect(cycle.report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'orphaned', crmId: archivedId, reason: 'archived-in-hubspot' }),
        expect.objectContaining({
          outcome: 'orphaned',
          associateNo: deleted?.associateNo,
          reason: 'deleted-in-business-nxt',
        }),
        expect.objectContaining({
          outcome: 'relinked',
          crmId: mergedInto,
          associateNo: merged?.associateNo,
        }),
      ]),
    );
    // Nothing deleted on the other side, nothing re-created.
    expect(w.erp.store.rows.has(archived?.associateNo ?? 0)).toBe(true);
    expect(companyOf(deleted?.associateNo)).toBeDefined();
    expect(erpCustomers(w)).toHaveLength(5);
    const again = await run(w, ['--full']);
    expect(writes(again.report)).toBe(0);
    expect(erpCustomers(w)).toHaveLength(5);
  });

  it('rebuilds links after a lost state store (`relink`): the next run creates nothing', async () => {
    const w = await synced({ customers: 8, companies: 6, seed: 9 });
    await run(w);
    const counts = () => [
      w.crm.store.records.companies.size,
      w.crm.store.records.contacts.size,
      w.erp.store.rows.size,
    ];
    const before = counts();
    rmSync(join(w.dir, 'state.db'), { force: true });
    rmSync(join(w.dir, 'state.db-wal'), { force: true });
    rmSync(join(w.dir, 'state.db-shm'), { force: true });
    const relink = await cli(w, ['relink', '--json']);
    expect([0, 3]).toContain(relink.code);
    const report = JSON.parse(relink.stdout) as { entities: { customer: { applied: { link?: number } } } };
    expect(report.entities.customer.applied.link).toBe(erpCustomers(w).length);
    const next = await run(w);
    expect(next.report.mode).toBe('full');
    expect(counts()).toEqual(before);
    for (const entity of ['customer', 'contact'] as const) {
      expect(next.report.entities[entity].applied['create-erp'] ?? 0).toBe(0);
      expect(next.report.entities[entity].applied['create-crm'] ?? 0).toBe(0);
    }
  });
});
