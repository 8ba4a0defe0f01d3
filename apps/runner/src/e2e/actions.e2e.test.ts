import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { admin, cli, run, startWorld, type World } from './cli-harness.js';

// `crm-sync exclude`, `include` and `retry`, the real CLI (built, spawned) against both simulators: an excluded
// linked pair edited on both sides stays as it is through a cycle, is listed by `status`, and syncs once included;
// each action is in the audit log under the operating-system user.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('exclude leaves a pair edited on both sides alone through a cycle; include syncs both edits; both audited', async () => {
  world = await startWorld({ customers: 4, seed: 5 });
  const w = world;
  expect((await cli(w, ['setup'])).code).toBe(0);
  expect((await run(w)).code).toBe(0);
  const [row] = [...w.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0);
  const company = [...w.crm.store.records.companies.values()].find(
    (record) => record.properties.get('visma_actor_no') === String(row?.associateNo),
  );
  if (row === undefined || company === undefined) throw new Error('no linked customer');

  const excluded = await cli(w, ['exclude', 'hubspot', company.id, '--reason', 'under review']);
  expect(excluded.code, excluded.stdout + excluded.stderr).toBe(0);
  expect(excluded.stdout).toContain(
    `Exclude HubSpot company ${company.id}, linked to Business NXT customer ${row.associateNo}:`,
  );
  await admin(`${w.crm.adminUrl}/companies/${company.id}`, 'PATCH', { city: 'Drøbak' });
  await admin(`${w.erp.adminUrl}/associates/${row.associateNo}`, 'PATCH', { phone: '33222222' });
  const cycle = await run(w);
  expect(cycle.code).toBe(0);
  expect(cycle.report.items).toContainEqual(
    expect.objectContaining({ reason: 'excluded', crmId: company.id, associateNo: row.associateNo }),
  );
  expect(w.erp.store.rows.get(row.associateNo)?.postalArea).not.toBe('Drøbak');
  expect(company.properties.get('phone')).not.toBe('+4733222222');
  const status = await cli(w, ['status']);
  expect(status.stdout).toMatch(new RegExp(`customer +excluded +hubspot ${company.id} `, 'u'));

  const included = await cli(w, ['include', 'visma-nxt', String(row.associateNo)]);
  expect(included.code, included.stdout + included.stderr).toBe(0);
  expect(w.erp.store.rows.get(row.associateNo)?.postalArea).toBe('Drøbak');
  expect(company.properties.get('phone')).toBe('+4733222222');

  const usage = await cli(w, ['candidates', 'link', company.id, 'x1']);
  expect(usage.code).toBe(2);
  const missing = await cli(w, ['retry', 'hubspot', '999999999']);
  expect(missing.code).toBe(2);
  expect(missing.stdout).toContain('HubSpot record 999999999 is neither a customer nor a contact');

  const store = openSqliteStateStore(join(w.dir, 'state.db'));
  try {
    const audit = await store.auditLog({ limit: 5 });
    expect(audit.map((entry) => entry.action)).toEqual(['record.include', 'record.exclude']);
    for (const entry of audit) expect(entry.actor).toMatch(/^cli:/u);
  } finally {
    await store.close();
  }
});
