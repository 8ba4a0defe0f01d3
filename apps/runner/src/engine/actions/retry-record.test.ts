import { afterEach, expect, it } from 'vitest';
import { type ActionWorld, erpCustomer, hubspotCustomer, startActionWorld } from './action-world.js';
import { excludeRecord } from './exclude-record.js';
import { findRecord } from './find-record.js';
import { previewRetry, retryRecord } from './retry-record.js';

// "Retry now" for a held or failed record: a targeted sync of it and its counterpart, said before it writes and
// audited. Checked on both simulators' stores.
let world: ActionWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function withHeldCompany() {
  world = await startActionWorld({ customers: 4, companies: 0, seed: 41 });
  const w = world;
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const company = w.world.crm.store.create('companies', {
    name: 'Tofte Båtservice AS',
    phone: '12',
    lifecyclestage: 'customer',
  });
  const report = await w.cycle(false);
  expect(report.exitCode).toBe(3);
  expect(report.items).toContainEqual(
    expect.objectContaining({ outcome: 'skipped', reason: 'invalid-data', crmId: company.id }),
  );
  w.later();
  return { w, company };
}

const namedRows = (w: ActionWorld, name: string) =>
  [...w.world.erp.store.rows.values()].filter((row) => row.name === name);

it('says what retrying a held record writes, then syncs it now, with the held record and link audited', async () => {
  const { w, company } = await withHeldCompany();
  // Fixed in HubSpot; without a retry the record would wait for the next cycle.
  w.world.crm.store.update(company, { phone: '+47 33 12 34 56' });
  const preview = await previewRetry(w.dependencies, hubspotCustomer(company.id));
  expect(preview.refusal).toBeUndefined();
  expect(preview.title).toBe(`Retry HubSpot company ${company.id}, not linked`);
  expect(preview.lines).toContainEqual(
    expect.stringMatching(/^Held now: hubspot \d+, phone \(phone-invalid\)/u),
  );
  expect(preview.lines).toContainEqual(
    expect.stringMatching(/^Business NXT: create a customer from HubSpot company \d+ \(.*phone: \+\*{8}56/u),
  );
  expect(namedRows(w, 'Tofte Båtservice AS')).toEqual([]);

  const retried = await retryRecord(w.dependencies, 'operator-kari', hubspotCustomer(company.id));
  expect(retried.kind).toBe('done');
  if (retried.kind !== 'done') return;
  expect(retried.report?.mode).toBe('targeted');
  expect(retried.report?.exitCode).toBe(0);
  const [row] = namedRows(w, 'Tofte Båtservice AS');
  expect(row?.phone).toBe('+4733123456');
  expect(company.properties.get('visma_actor_no')).toBe(String(row?.associateNo));
  expect(await w.runtime.store.errors()).toEqual([]);

  const [entry] = await w.runtime.store.auditLog({ action: 'record.retry', limit: 5 });
  expect(entry).toMatchObject({ actor: 'operator-kari', target: `customer hubspot ${company.id}` });
  expect(entry?.before).toMatchObject({ link: null, held: [{ field: 'phone', rule: 'phone-invalid' }] });
  expect(entry?.after).toMatchObject({
    link: { crmId: company.id, associateNo: row?.associateNo, status: 'active' },
    held: [],
    run: { mode: 'targeted', exitCode: 0 },
  });
});

it('keeps a record held when its cause is still there, and says so', async () => {
  const { w, company } = await withHeldCompany();
  const retried = await retryRecord(w.dependencies, 'cli:tester', hubspotCustomer(company.id));
  expect(retried.kind).toBe('done');
  if (retried.kind !== 'done') return;
  expect(retried.report?.exitCode).toBe(3);
  expect(retried.lines).toContainEqual(expect.stringContaining('skipped: customer hubspot'));
  expect(namedRows(w, 'Tofte Båtservice AS')).toEqual([]);
  expect((await w.runtime.store.errors()).map((error) => error.rule)).toEqual(['phone-invalid']);
});

it('refuses an excluded record, and finds which entity an id is', async () => {
  const { w, company } = await withHeldCompany();
  const found = await findRecord(w.dependencies, 'hubspot', company.id);
  expect(found).toEqual({ ok: true, ref: hubspotCustomer(company.id) });
  const [row] = [...w.world.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0);
  if (row === undefined) throw new Error('no customer');
  expect(await findRecord(w.dependencies, 'visma-nxt', String(row.associateNo))).toEqual({
    ok: true,
    ref: erpCustomer(row.associateNo),
  });
  expect(await findRecord(w.dependencies, 'visma-nxt', '99999')).toMatchObject({ ok: false });
  expect(await findRecord(w.dependencies, 'hubspot', 'abc')).toMatchObject({ ok: false });

  expect((await excludeRecord(w.dependencies, 'cli:tester', hubspotCustomer(company.id), null)).kind).toBe(
    'done',
  );
  w.world.crm.store.update(company, { phone: '+47 33 12 34 56' });
  expect((await previewRetry(w.dependencies, hubspotCustomer(company.id))).refusal).toContain(
    `include it first with \`crm-sync include hubspot ${company.id}\``,
  );
  expect(await retryRecord(w.dependencies, 'cli:tester', hubspotCustomer(company.id))).toMatchObject({
    kind: 'refused',
  });
  expect(namedRows(w, 'Tofte Båtservice AS')).toEqual([]);
});
