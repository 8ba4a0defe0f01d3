import { join } from 'node:path';
import type { Entity } from '@port-service/mapping';
import { afterEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../engine/report.js';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import type { StoredLink } from '../state/state-store.js';
import { admin, cli, run, startWorld, type World } from './cli-harness.js';

// HubSpot merges (a new record with a new id, both old ids resolving to it) followed by the real `crm-sync` CLI.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const live = (w: World, type: 'companies' | 'contacts') =>
  [...w.crm.store.records[type].values()].filter((record) => !record.archived);
const erpRows = (w: World) => [...w.erp.store.rows.values()];
const counts = (w: World) => ({
  companies: live(w, 'companies').length,
  contacts: live(w, 'contacts').length,
  customers: erpRows(w).filter((row) => row.customerNo > 0).length,
  persons: erpRows(w).filter((row) => row.contactPersonForAssociateNo > 0).length,
});
const created = (report: CycleReport) =>
  (['customer', 'contact'] as const).reduce(
    (sum, entity) =>
      sum +
      (report.entities[entity].applied['create-erp'] ?? 0) +
      (report.entities[entity].applied['create-crm'] ?? 0),
    0,
  );

async function linksOf(w: World, entity: Entity): Promise<StoredLink[]> {
  const store = openSqliteStateStore(join(w.dir, 'state.db'));
  try {
    return await store.allLinks(entity, null, 10_000);
  } finally {
    await store.close();
  }
}
const linkedTo = async (w: World, entity: Entity, crmId: string) =>
  (await linksOf(w, entity)).find((link) => link.crmId === crmId);

/** Moves the HubSpot watermarks on, as if cycles had passed in which HubSpot changed nothing. */
async function laterInHubSpot(w: World, ms: number): Promise<void> {
  const store = openSqliteStateStore(join(w.dir, 'state.db'));
  try {
    for (const entity of ['customer', 'contact'] as const)
      await store.setWatermark(`${entity}.hubspot`, new Date(Date.now() + ms).toISOString());
  } finally {
    await store.close();
  }
}

/** Merges as a HubSpot user or app would, through the API: the answer is the new record. */
async function merge(w: World, type: 'companies' | 'contacts', primaryId: string, otherId: string) {
  const response = await fetch(`${w.crm.baseUrl}/crm/v3/objects/${type}/merge`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.crm.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ primaryObjectId: primaryId, objectIdToMerge: otherId }),
  });
  expect(response.status).toBe(200);
  const merged = (await response.json()) as { id: string };
  expect([primaryId, otherId]).not.toContain(merged.id);
  return merged.id;
}

/**
 * What must hold in both systems whatever happened: no ERP record is the counterpart of two live HubSpot records
 * (by the actor number written back), and every active link joins a record that exists on each side.
 */
async function expectOneToOne(w: World): Promise<void> {
  for (const [type, entity] of [
    ['companies', 'customer'],
    ['contacts', 'contact'],
  ] as const) {
    const actors = live(w, type).flatMap((record) => record.properties.get('visma_actor_no') ?? []);
    expect(new Set(actors).size, `${type} sharing an actor number`).toBe(actors.length);
    for (const link of (await linksOf(w, entity)).filter((item) => item.status === 'active')) {
      expect(w.erp.store.rows.has(link.associateNo), `${entity} ${link.associateNo}`).toBe(true);
      expect(w.crm.store.resolve(type, link.crmId), `${type} ${link.crmId}`).toBeDefined();
    }
  }
}

let erpClockOffset = 0;

/** Two customers; the first has three contact persons. A lead company in HubSpot, never synced. */
async function syncedWorld(): Promise<World> {
  // Business NXT's records start out an hour old, so that an incremental read sees only what is edited later.
  erpClockOffset = -60 * 60_000;
  const w = await startWorld({ erp: { now: () => new Date(Date.now() + erpClockOffset) } });
  world = w;
  expect((await cli(w, ['setup'])).code).toBe(0);
  const associate = (values: Record<string, unknown>) =>
    admin(`${w.erp.adminUrl}/associates`, 'POST', values) as Promise<{ associateNo: number }>;
  const fjord = await associate({ customerNo: 10001, name: 'Fjordkraft AS', companyNo: '923609016' });
  await associate({ customerNo: 10002, name: 'Havn AS', companyNo: '974760673', postCode: '3263' });
  for (const [name, email] of [
    ['Kari Nordmann', 'kari@fjordkraft.no'],
    ['Ola Nordmann', 'ola@fjordkraft.no'],
    ['Per Hansen', 'per@fjordkraft.no'],
  ])
    await associate({ name, emailAddress: email, contactPersonForAssociateNo: fjord.associateNo });
  w.crm.store.create('companies', { name: 'Havn og Båt AS', lifecyclestage: 'lead' });
  const first = await run(w);
  expect(first.code).toBe(0);
  expect(counts(w)).toEqual({ companies: 3, contacts: 3, customers: 2, persons: 3 });
  return w;
}

const contactOf = (w: World, email: string) =>
  live(w, 'contacts').find((record) => record.properties.get('email') === email);
const companyNamed = (w: World, name: string) =>
  live(w, 'companies').find((record) => record.properties.get('name') === name);

describe('crm-sync follows HubSpot merges', () => {
  it('holds a merge of contacts linked to different persons as a conflict, and moves the link of a merge with one linked record; nothing is ever created', async () => {
    const w = await syncedWorld();
    const kari = contactOf(w, 'kari@fjordkraft.no');
    const ola = contactOf(w, 'ola@fjordkraft.no');
    const linksBefore = {
      kari: (await linkedTo(w, 'contact', kari?.id ?? ''))?.associateNo,
      ola: (await linkedTo(w, 'contact', ola?.id ?? ''))?.associateNo,
    };
    expect(linksBefore.kari).not.toBe(linksBefore.ola);

    // Two people merged by mistake: one HubSpot record, two Business NXT contact persons.
    const joined = await merge(w, 'contacts', kari?.id ?? '', ola?.id ?? '');
    const before = counts(w);
    const conflicted = await run(w);
    expect(conflicted.code).toBe(0);
    expect(conflicted.report.items).toContainEqual(
      expect.objectContaining({
        entity: 'contact',
        outcome: 'conflict',
        crmId: joined,
        reason: 'merged-records-linked-differently',
      }),
    );
    expect(conflicted.report.items.filter((item) => item.outcome === 'relinked')).toEqual([]);
    expect(created(conflicted.report)).toBe(0);
    expect(counts(w)).toEqual(before);
    // The links stay where they were, on the merged-away ids; the new record has none.
    expect((await linkedTo(w, 'contact', kari?.id ?? ''))?.associateNo).toBe(linksBefore.kari);
    expect((await linkedTo(w, 'contact', ola?.id ?? ''))?.associateNo).toBe(linksBefore.ola);
    expect(await linkedTo(w, 'contact', joined)).toBeUndefined();

    // Ten minutes on, HubSpot has nothing new; an edit in Business NXT to one of the two persons reaches the new
    // record through its old id alone (the other link is not in that slice): it is still held, not relinked.
    await laterInHubSpot(w, 10 * 60_000);
    erpClockOffset = 0;
    await admin(`${w.erp.adminUrl}/associates/${linksBefore.kari}`, 'PATCH', { phone: '+4733123456' });
    const edited = await run(w);
    expect(edited.report.entities.contact.read).toEqual({ hubspot: 0, vismaNxt: 1 });
    expect(edited.report.items.filter((item) => item.outcome === 'relinked')).toEqual([]);
    expect(created(edited.report)).toBe(0);
    expect(await linkedTo(w, 'contact', joined)).toBeUndefined();
    expect(counts(w)).toEqual(before);

    // A duplicate added in HubSpot since the last cycle, merged with a linked contact: the new record takes the link.
    const fjordkraft = companyNamed(w, 'Fjordkraft AS');
    const per = contactOf(w, 'per@fjordkraft.no');
    const perLink = await linkedTo(w, 'contact', per?.id ?? '');
    const duplicate = w.crm.store.create('contacts', {
      firstname: 'Per',
      lastname: 'Hansen',
      phone: '92099720',
    });
    w.crm.store.associate('contacts', duplicate.id, 'companies', fjordkraft?.id ?? '', 1);
    const perMerged = await merge(w, 'contacts', duplicate.id, per?.id ?? '');
    // A linked company merged into an unsynced lead: the new company takes the customer's link.
    const havn = companyNamed(w, 'Havn AS');
    const havnLink = await linkedTo(w, 'customer', havn?.id ?? '');
    const lead = companyNamed(w, 'Havn og Båt AS');
    const havnMerged = await merge(w, 'companies', lead?.id ?? '', havn?.id ?? '');
    const beforeRelink = counts(w);
    const relinked = await run(w);
    expect(relinked.code).toBe(0);
    expect(relinked.report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entity: 'contact',
          outcome: 'relinked',
          crmId: perMerged,
          associateNo: perLink?.associateNo,
        }),
        expect.objectContaining({
          entity: 'customer',
          outcome: 'relinked',
          crmId: havnMerged,
          associateNo: havnLink?.associateNo,
        }),
      ]),
    );
    expect(created(relinked.report)).toBe(0);
    expect(counts(w)).toEqual(beforeRelink);
    expect(await linkedTo(w, 'contact', perMerged)).toMatchObject({
      associateNo: perLink?.associateNo,
      status: 'active',
    });
    expect(await linkedTo(w, 'customer', havnMerged)).toMatchObject({
      associateNo: havnLink?.associateNo,
      status: 'active',
    });
    expect(await linkedTo(w, 'contact', per?.id ?? '')).toBeUndefined();
    // The survivor syncs as a linked pair: the duplicate's phone reached the contact person.
    expect(w.erp.store.rows.get(perLink?.associateNo ?? 0)?.phone.replace(/\D/gu, '')).toContain('92099720');
    const status = JSON.parse((await cli(w, ['status', '--json'])).stdout) as {
      links: Record<Entity, { active: number; orphaned: number }>;
    };
    expect(status.links).toEqual({
      customer: { active: 2, orphaned: 0 },
      contact: { active: 3, orphaned: 0 },
    });

    // Later cycles, incremental and full, create nothing either, and the conflict is still there.
    for (const args of [[], ['--full']]) {
      const later = await run(w, args);
      expect(later.code, `run ${args.join(' ')}`).toBe(0);
      expect(created(later.report), `run ${args.join(' ')}`).toBe(0);
      expect(counts(w)).toEqual(beforeRelink);
    }
    const full = await run(w, ['--full']);
    expect(full.report.items).toContainEqual(
      expect.objectContaining({
        outcome: 'conflict',
        crmId: joined,
        reason: 'merged-records-linked-differently',
      }),
    );
    expect(full.report.items.filter((item) => item.outcome === 'orphaned')).toEqual([]);
    await expectOneToOne(w);
  });
});
