import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { admin, cli, run, startWorld, type World } from './cli-harness.js';
import { firstLinkedCustomer } from './linked-customer.js';

// `crm-sync conflicts resolve`, the real CLI (built, spawned) against both simulators, goes through the engine
// action the console uses: the resolution writes both systems and is in the audit log under the operating-system
// user, with the conflict before and after.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function auditLog(w: World) {
  const store = openSqliteStateStore(join(w.dir, 'state.db'));
  try {
    return await store.auditLog({ limit: 10 });
  } finally {
    await store.close();
  }
}

const manualPhone = { customers: { fields: { phone: { policy: 'manual' } } } };

/** A linked customer whose phone both systems changed, with the manual policy: one open conflict. */
async function withPhoneConflict() {
  world = await startWorld({ customers: 4, seed: 5, policy: manualPhone });
  const w = world;
  expect((await cli(w, ['setup'])).code).toBe(0);
  expect((await run(w)).code).toBe(0);
  const { row, company } = firstLinkedCustomer(w);
  await admin(`${w.crm.adminUrl}/companies/${company.id}`, 'PATCH', { phone: '+47 33 11 11 11' });
  await admin(`${w.erp.adminUrl}/associates/${row.associateNo}`, 'PATCH', { phone: '33222222' });
  expect((await run(w)).code).toBe(0);
  const [conflict] = JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout) as Array<{
    id: string;
  }>;
  if (conflict === undefined) throw new Error('no conflict opened');
  return { w, row, company, conflict };
}

it('resolve --take crm writes HubSpot’s phone to Business NXT and Business NXT’s new city to HubSpot, audited as cli:<user>', async () => {
  const { w, row, company, conflict } = await withPhoneConflict();
  // Changed after the conflict opened: the resolution's sync of the pair carries it to HubSpot too.
  await admin(`${w.erp.adminUrl}/associates/${row.associateNo}`, 'PATCH', { postalArea: 'Hvitsten' });
  expect(await auditLog(w)).toEqual([]);

  const done = await cli(w, ['conflicts', 'resolve', conflict.id, '--take', 'crm']);
  expect(done.code, done.stdout + done.stderr).toBe(0);
  expect(done.stdout).toContain(`Resolving ${conflict.id} (customer ${company.id} ↔ ${row.associateNo}:`);
  expect(done.stdout).toContain(`Business NXT customer ${row.associateNo}: phone: +********22 → +********11`);
  expect(done.stdout).toContain(`HubSpot company ${company.id}: city: `);
  expect(done.stdout).toContain(`Resolved ${conflict.id}.`);
  expect(w.erp.store.rows.get(row.associateNo)?.phone).toBe('+4733111111');
  expect(company.properties.get('city')).toBe('Hvitsten');
  expect(company.properties.get('phone')).toBe('+47 33 11 11 11');
  expect(JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout)).toEqual([]);

  const [entry, ...others] = await auditLog(w);
  expect(others).toEqual([]);
  expect(entry).toMatchObject({
    actor: `cli:${userInfo().username}`,
    action: 'conflict.resolve',
    target: conflict.id,
    before: {
      status: 'open',
      field: 'phone',
      hubspot: { value: '+********11' },
      businessNxt: { value: '+********22' },
    },
    after: { status: 'resolved', resolution: 'crm', choice: { take: 'crm' }, failed: 0 },
  });
  expect(JSON.stringify(entry)).not.toContain('33 11 11 11');
});

it('resolve of an excluded pair’s conflict writes nothing and says to include it first, as the console does', async () => {
  const { w, row, company, conflict } = await withPhoneConflict();
  expect((await cli(w, ['exclude', 'hubspot', company.id])).code).toBe(0);

  const refused = await cli(w, ['conflicts', 'resolve', conflict.id, '--take', 'erp']);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain(`Could not resolve ${conflict.id}: it is excluded from the sync`);
  expect(refused.stdout).toContain(`crm-sync include hubspot ${company.id}`);
  expect(company.properties.get('phone')).toBe('+47 33 11 11 11');
  expect(w.erp.store.rows.get(row.associateNo)?.phone).toBe('33222222');
  expect((await auditLog(w)).map((entry) => entry.action)).toEqual(['record.exclude']);
});
