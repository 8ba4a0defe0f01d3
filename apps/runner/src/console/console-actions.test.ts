import { expect, it } from 'vitest';
import {
  type ActionWorld,
  actionWorldPerTest,
  linkedCustomer,
  reportCandidateCustomers,
} from '../engine/actions/action-world.js';
import { TestBrowser } from './test-browser.js';
import { addUser, consoleApp, signedIn } from './test-console.js';

// The console's actions wired to the engine (engine/actions/), through the routes as a browser posts them, against
// both simulators in-process: checked on both simulators' stores and in the audit log.
const worlds = actionWorldPerTest();

async function consoleOn(w: ActionWorld) {
  await addUser(w.runtime.store, 'olga', 'operator');
  const app = consoleApp(w.runtime.store, { now: w.now, service: { engine: w.dependencies } });
  return signedIn(app, 'olga');
}

it("resolves a conflict: the preview says what it writes and writes nothing, then the post writes HubSpot's value to Business NXT, audited", async () => {
  const { w, pair, conflict } = await worlds.withPhoneConflict();
  const { browser, token } = await consoleOn(w);
  const preview = await browser.get(`/conflicts/${conflict.id}/resolve?take=crm`);
  expect(preview.status).toBe(200);
  // An operator sees the values themselves.
  expect(preview.text).toContain(
    `Business NXT customer ${pair.row.associateNo}: phone: +4733222222 → +4733111111`,
  );
  expect(w.world.erp.store.rows.get(pair.row.associateNo)?.phone).toBe('33222222');
  const key = TestBrowser.field(preview.text, 'key') ?? '';
  const done = await browser.post(`/conflicts/${conflict.id}/resolve`, {
    csrf_token: token,
    take: 'crm',
    key: key.replaceAll('&quot;', '"'),
  });
  expect(done.status, done.text).toBe(200);
  expect(done.text).toContain(`Resolved ${conflict.id}.`);
  expect(w.world.erp.store.rows.get(pair.row.associateNo)?.phone).toBe('+4733111111');
  expect(pair.company.properties.get('phone')).toBe('+47 33 11 11 11');
  expect(await w.runtime.store.conflicts('open')).toEqual([]);
  const [entry] = await w.runtime.store.auditLog({ action: 'conflict.resolve', limit: 5 });
  expect(entry).toMatchObject({
    actor: 'olga',
    target: conflict.id,
    after: { status: 'resolved', resolution: 'crm' },
  });
});

it('writes nothing when the records changed since the preview (its key no longer matches)', async () => {
  const { w, pair, conflict } = await worlds.withPhoneConflict();
  const { browser, token } = await consoleOn(w);
  const preview = await browser.get(`/conflicts/${conflict.id}/resolve?take=erp`);
  const key = (TestBrowser.field(preview.text, 'key') ?? '').replaceAll('&quot;', '"');
  w.world.erp.store.update(pair.row.associateNo, { phone: '33444444' });
  const stale = await browser.post(`/conflicts/${conflict.id}/resolve`, {
    csrf_token: token,
    take: 'erp',
    key,
  });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('the records changed since the preview');
  expect(pair.company.properties.get('phone')).toBe('+47 33 11 11 11');
  expect((await w.runtime.store.conflicts('open')).map((open) => open.id)).toEqual([conflict.id]);
});

it('excludes a record from the attention page’s form, audited under the operator, and offers to include it again', async () => {
  const w = await worlds.start({ customers: 3, companies: 0, seed: 7 });
  expect((await w.cycle(true)).exitCode).toBe(0);
  const { company } = linkedCustomer(w.world, 0);
  const { browser, token } = await consoleOn(w);
  const form = {
    csrf_token: token,
    entity: 'customer',
    system: 'hubspot',
    id: company.id,
    reason: 'moving to another ERP',
    back: '/attention',
  };
  const excluded = await browser.post('/actions/exclude', form);
  expect(excluded.status, excluded.text).toBe(200);
  expect(excluded.text).toContain(`Excluded HubSpot company ${company.id}`);
  expect(await w.runtime.store.exclusions('customer')).toMatchObject([
    { system: 'hubspot', recordId: company.id, excludedBy: 'olga', reason: 'moving to another ERP' },
  ]);
  expect(await w.runtime.store.auditLog({ action: 'record.exclude', limit: 5 })).toMatchObject([
    { actor: 'olga', target: `customer hubspot ${company.id}` },
  ]);
  const attention = (await browser.get('/attention')).text;
  expect(attention).toContain('id="rule-excluded"');
  expect(attention).toContain('Include again');
  // Excluding it twice is refused, and says why.
  const again = await browser.post('/actions/exclude', form);
  expect(again.status).toBe(409);
  expect(again.text).toContain('excluded already');
  const included = await browser.post('/actions/include', form);
  expect(included.status, included.text).toBe(200);
  expect(await w.runtime.store.exclusions('customer')).toEqual([]);
  expect(await w.runtime.store.auditLog({ action: 'record.include', limit: 5 })).toMatchObject([
    { actor: 'olga' },
  ]);
});

it('retries a record now: a targeted sync writes its HubSpot edit to Business NXT before any cycle', async () => {
  const w = await worlds.start({ customers: 3, companies: 0, seed: 7 });
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const { company, row } = linkedCustomer(w.world, 1);
  w.world.crm.store.update(company, { city: 'Hvitsten' });
  const { browser, token } = await consoleOn(w);
  const preview = await browser.get(
    `/actions/retry?entity=customer&system=hubspot&id=${company.id}&back=/attention`,
  );
  expect(preview.status).toBe(200);
  expect(preview.text).toContain('Hvitsten');
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Hvitsten');
  const retried = await browser.post('/actions/retry', {
    csrf_token: token,
    entity: 'customer',
    system: 'hubspot',
    id: company.id,
  });
  expect(retried.status, retried.text).toBe(200);
  expect(w.world.erp.store.rows.get(row.associateNo)?.postalArea).toBe('Hvitsten');
  expect((await w.runtime.store.runs(1))[0]?.mode).toBe('targeted');
});

it('links a candidate pair from its buttons: the link is recorded and the pair synced', async () => {
  const w = await worlds.start({ customers: 5, companies: 3, seed: 12 });
  const { company, associateNo } = await reportCandidateCustomers(w);
  const { browser, token } = await consoleOn(w);
  expect((await browser.get('/attention')).text).toContain(`name="crmId" value="${company.id}"`);
  const linked = await browser.post('/actions/link', {
    csrf_token: token,
    crmId: company.id,
    associateNo: String(associateNo),
  });
  expect(linked.status, linked.text).toBe(200);
  expect(await w.runtime.store.linksByCrmIds('customer', [company.id])).toMatchObject([
    { associateNo, status: 'active' },
  ]);
  expect(company.properties.get('visma_actor_no')).toBe(String(associateNo));
  expect(await w.runtime.store.auditLog({ action: 'candidates.link', limit: 5 })).toMatchObject([
    { actor: 'olga' },
  ]);
});

it('keeps a candidate pair separate from its buttons: never candidates again, each synced on its own', async () => {
  const w = await worlds.start({ customers: 5, companies: 3, seed: 12 });
  const { company, associateNo } = await reportCandidateCustomers(w);
  const { browser, token } = await consoleOn(w);
  const preview = await browser.get(`/actions/separate?crmId=${company.id}&associateNo=${associateNo}`);
  expect(preview.status).toBe(200);
  expect(preview.text).toContain('Keep separate');
  const kept = await browser.post('/actions/separate', {
    csrf_token: token,
    crmId: company.id,
    associateNo: String(associateNo),
  });
  expect(kept.status, kept.text).toBe(200);
  expect(await w.runtime.store.separatedPairs('customer')).toMatchObject([
    { crmId: company.id, associateNo, separatedBy: 'olga' },
  ]);
  expect(await w.runtime.store.linksByCrmIds('customer', [company.id])).toEqual([]);
});
