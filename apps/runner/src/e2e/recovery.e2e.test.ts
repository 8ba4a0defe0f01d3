import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { admin, cli, run, startWorld, type World, writes } from './cli-harness.js';

// Recovery keeps decisions (docs/DESIGN.md §4): after the state store and its hash key are lost, `relink` + `run`
// rebuild what people archived, deleted or restored from the systems themselves, and bring nothing back. The real
// CLI, with both systems' stores checked directly.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const live = <T extends { archived: boolean; mergedInto: string | null }>(records: Iterable<T>) =>
  [...records].filter((record) => !record.archived && record.mergedInto === null);
const carrying = (w: World, type: 'companies' | 'contacts', associateNo: number | undefined) =>
  live(w.crm.store.records[type].values()).filter(
    (record) => record.properties.get('visma_actor_no') === String(associateNo),
  );

/** Loses the state store and the hash key: everything the runner keeps in its directory. */
function loseState(w: World): void {
  for (const name of readdirSync(w.dir))
    if (name !== 'policy.json') rmSync(join(w.dir, name), { recursive: true, force: true });
}

it('after a lost state store, what was archived in HubSpot or deleted in Business NXT stays gone', async () => {
  world = await startWorld({ customers: 6, companies: 4, seed: 31 });
  const w = world;
  expect((await cli(w, ['setup'])).code).toBe(0);
  expect((await run(w)).code).toBe(0);
  const customers = [...w.erp.store.rows.values()].filter((row) => row.customerNo > 0);
  const persons = [...w.erp.store.rows.values()].filter((row) => row.contactPersonForAssociateNo > 0);
  const [archivedCustomer, deletedCustomer] = customers;
  const archivedPerson = persons.find(
    (person) => person.contactPersonForAssociateNo !== deletedCustomer?.associateNo,
  );
  const archivedCompany = carrying(w, 'companies', archivedCustomer?.associateNo)[0];
  const archivedContact = carrying(w, 'contacts', archivedPerson?.associateNo)[0];
  const deletedCompany = carrying(w, 'companies', deletedCustomer?.associateNo)[0];
  if (!archivedCompany || !archivedContact || !deletedCompany || !deletedCustomer)
    throw new Error('the seed lacks the linked records this test needs');
  // People remove records, and the state store is lost before any cycle saw it.
  w.crm.store.archive(archivedCompany);
  w.crm.store.archive(archivedContact);
  w.erp.store.delete(deletedCustomer.associateNo);
  loseState(w);
  const sizes = () => [w.erp.store.rows.size, live(w.crm.store.records.companies.values()).length];
  const before = sizes();

  const relink = await cli(w, ['relink', '--json']);
  expect([0, 3]).toContain(relink.code);
  for (const args of [[], ['--full'], []]) {
    const cycle = await run(w, args);
    expect(cycle.code, cycle.stderr).not.toBe(1);
    expect(carrying(w, 'companies', archivedCustomer?.associateNo)).toHaveLength(0);
    expect(carrying(w, 'contacts', archivedPerson?.associateNo)).toHaveLength(0);
    expect(w.erp.store.rows.has(deletedCustomer.associateNo)).toBe(false);
    expect(sizes()).toEqual(before);
    for (const entity of ['customer', 'contact'] as const) {
      expect(cycle.report.entities[entity].applied['create-crm'] ?? 0).toBe(0);
      expect(cycle.report.entities[entity].applied['create-erp'] ?? 0).toBe(0);
    }
  }
  // Held, with both ids, the reason and where to fix it, in `status`.
  const status = await cli(w, ['status', '--json']);
  const { held } = JSON.parse(status.stdout) as { held: Array<Record<string, string>> };
  expect(held).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        reason: 'archived-in-hubspot',
        recordId: String(archivedCustomer?.associateNo),
        related: `hubspot ${archivedCompany.id}`,
        fixIn: 'visma-nxt',
      }),
      expect.objectContaining({
        reason: 'deleted-in-business-nxt',
        recordId: deletedCompany.id,
        related: `visma-nxt ${deletedCustomer.associateNo}`,
        fixIn: 'hubspot',
      }),
      expect.objectContaining({ entity: 'contact', reason: 'archived-in-hubspot' }),
    ]),
  );

  // Restored in HubSpot: the link is active again and the pair syncs (the address is Business NXT's to win).
  w.crm.store.restore(archivedCompany);
  w.crm.store.update(archivedCompany, { city: 'STAVERN' });
  const restored = await run(w);
  expect(restored.report.items).toContainEqual(
    expect.objectContaining({ outcome: 'restored', crmId: archivedCompany.id }),
  );
  const erpCity = w.erp.store.rows.get(archivedCustomer?.associateNo ?? 0)?.postalArea;
  expect(w.crm.store.records.companies.get(archivedCompany.id)?.properties.get('city')).toBe(erpCity);
  expect(writes((await run(w)).report)).toBe(0);
  expect(carrying(w, 'companies', archivedCustomer?.associateNo)).toHaveLength(1);
});

it('after a lost state store, a HubSpot merge of two linked companies is not undone', async () => {
  world = await startWorld({ customers: 4, companies: 0, seed: 32 });
  const w = world;
  expect((await cli(w, ['setup'])).code).toBe(0);
  expect((await run(w)).code).toBe(0);
  const [first, second] = [...w.erp.store.rows.values()].filter((row) => row.customerNo > 0);
  const primary = carrying(w, 'companies', first?.associateNo)[0];
  const loser = carrying(w, 'companies', second?.associateNo)[0];
  if (!primary || !loser || !second) throw new Error('the seed lacks two linked customers');
  const merged = (await admin(`${w.crm.adminUrl}/companies/${primary.id}/merge`, 'POST', {
    objectIdToMerge: loser.id,
  })) as { id: string };
  loseState(w);
  const companies = () => live(w.crm.store.records.companies.values()).length;
  const before = companies();

  expect([0, 3]).toContain((await cli(w, ['relink'])).code);
  for (const args of [[], ['--full']]) {
    const cycle = await run(w, args);
    expect(cycle.code, cycle.stderr).not.toBe(1);
    expect(companies()).toBe(before);
    expect(carrying(w, 'companies', second.associateNo)).toHaveLength(0);
    expect(cycle.report.entities.customer.applied['create-crm'] ?? 0).toBe(0);
  }
  const status = await cli(w, ['status', '--json']);
  const { held } = JSON.parse(status.stdout) as { held: Array<Record<string, string>> };
  expect(held).toContainEqual(
    expect.objectContaining({
      reason: 'merged-in-hubspot',
      recordId: String(second.associateNo),
      related: `hubspot ${merged.id}`,
    }),
  );
});
