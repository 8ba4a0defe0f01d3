import { afterEach, expect, it } from 'vitest';
import { type ActionWorld, reportCandidateCustomers, startActionWorld } from './action-world.js';
import { previewSeparate, separateCandidates } from './separate-candidates.js';

// "Keep separate" for a candidates pair: recorded as two different records, never reported as candidates of each
// other again, each then handled as unmatched (creates follow the policy). Checked on both simulators' stores.
let world: ActionWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const named = (w: ActionWorld, pattern: RegExp) => ({
  hubspot: [...w.world.crm.store.records.companies.values()].filter(
    (record) => !record.archived && pattern.test(record.properties.get('name') ?? ''),
  ).length,
  erp: [...w.world.erp.store.rows.values()].filter((row) => pattern.test(row.name ?? '')).length,
});

it('says what keeping a pair apart writes, then records it and creates the customer in HubSpot by the policy', async () => {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  const w = world;
  const { company, associateNo } = await reportCandidateCustomers(w);
  const preview = await previewSeparate(w.dependencies, company.id, associateNo);
  expect(preview.refusal).toBeUndefined();
  expect(preview.lines).toContainEqual(
    expect.stringContaining(`HubSpot: create a customer from Business NXT customer ${associateNo}`),
  );
  expect(named(w, /fjordbris/iu)).toEqual({ hubspot: 1, erp: 1 });

  const separated = await separateCandidates(w.dependencies, 'operator-kari', company.id, associateNo);
  expect(separated.kind).toBe('done');
  if (separated.kind !== 'done') return;
  expect(separated.report?.exitCode).toBe(0);
  // The lead stays in HubSpot only (not a customer by the filter); the customer now has its own company.
  expect(named(w, /fjordbris/iu)).toEqual({ hubspot: 2, erp: 1 });
  expect(await w.runtime.store.linksByCrmIds('customer', [company.id])).toEqual([]);
  const [link] = await w.runtime.store.linksByAssociateNos('customer', [associateNo]);
  expect(link?.crmId).not.toBe(company.id);
  expect(await w.runtime.store.errors()).toEqual([]);
  expect(await w.runtime.store.separatedPairs('customer')).toEqual([
    expect.objectContaining({ crmId: company.id, associateNo, separatedBy: 'operator-kari' }),
  ]);

  // Never reported again, even when both are read together.
  w.world.crm.store.update(company, { phone: '+47 22 00 11 22' });
  w.later();
  const full = await w.cycle(true);
  expect(full.items.filter((item) => item.outcome === 'candidates')).toEqual([]);
  expect(named(w, /fjordbris/iu)).toEqual({ hubspot: 2, erp: 1 });

  const [entry] = await w.runtime.store.auditLog({ action: 'candidates.separate', limit: 5 });
  expect(entry).toMatchObject({
    actor: 'operator-kari',
    target: `customer hubspot ${company.id} visma-nxt ${associateNo}`,
    before: { separated: false, held: [{ rule: 'candidates:name-and-postal-code' }] },
    after: { separated: true, held: [], run: { exitCode: 0 } },
  });
});

it('refuses a pair that is not a reported candidate, recording nothing', async () => {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  const w = world;
  const { company, associateNo } = await reportCandidateCustomers(w);
  const refused = await separateCandidates(w.dependencies, 'cli:tester', company.id, associateNo + 1);
  expect(refused).toMatchObject({ kind: 'refused' });
  expect(await w.runtime.store.separatedPairs('customer')).toEqual([]);
  expect(await w.runtime.store.auditLog({ limit: 5 })).toEqual([]);
  expect(named(w, /fjordbris/iu)).toEqual({ hubspot: 1, erp: 1 });
});
