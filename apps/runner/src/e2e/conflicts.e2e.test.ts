import { afterEach, expect, it } from 'vitest';
import { admin, cli, run, startWorld, type World } from './cli-harness.js';

// `crm-sync conflicts list` and `conflicts resolve`, the real CLI (built, spawned) against both simulators.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('list shows both values masked with who changed each; resolve --dry-run says what it would write, then resolve writes it', async () => {
  world = await startWorld({
    customers: 4,
    seed: 5,
    policy: { customers: { fields: { phone: { policy: 'manual' } } } },
  });
  const w = world;
  expect((await cli(w, ['setup'])).code).toBe(0);
  await run(w);
  await run(w);
  const [row] = [...w.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0);
  const company = [...w.crm.store.records.companies.values()].find(
    (record) => record.properties.get('visma_actor_no') === String(row?.associateNo),
  );
  if (row === undefined || company === undefined) throw new Error('no linked customer');
  await admin(`${w.crm.adminUrl}/companies/${company.id}`, 'PATCH', { phone: '+47 33 11 11 11' });
  await admin(`${w.erp.adminUrl}/associates/${row.associateNo}`, 'PATCH', { phone: '33222222' });
  expect((await run(w)).code).toBe(0);

  const listed = await cli(w, ['conflicts', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toMatch(/id +entity +field +system +record +value +changed +by +reason +since/u);
  expect(listed.stdout).toMatch(
    new RegExp(`customer +phone +HubSpot +${company.id} +\\+\\*{8}11 +\\S+ +CRM_UI +both-changed`, 'u'),
  );
  expect(listed.stdout).toMatch(
    // Business NXT's time as it wrote it: local time without a zone, `yyyy-MM-dd HH:mm:ss.fffffff`.
    new RegExp(
      `Business NXT +${row.associateNo} +\\+\\*{8}22 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{7} +unknown`,
      'u',
    ),
  );
  expect(listed.stdout).not.toContain('33 11 11 11');

  const json = JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout) as Array<
    Record<string, unknown>
  >;
  expect(json).toEqual([
    expect.objectContaining({
      entity: 'customer',
      field: 'phone',
      crmId: company.id,
      associateNo: row.associateNo,
      hubspot: expect.objectContaining({ value: '+********11', changedBy: 'CRM_UI' }),
      businessNxt: expect.objectContaining({ value: '+********22', changedBy: null }),
    }),
  ]);
  const id = String(json[0]?.id);

  const unsaid = await cli(w, ['conflicts', 'resolve', id]);
  expect(unsaid.code).toBe(2);
  expect(unsaid.stdout).toContain('--take crm|erp for a field, --link <associateNo> for a HubSpot merge');

  const dry = await cli(w, ['conflicts', 'resolve', id, '--take', 'crm', '--dry-run']);
  expect(dry.code, dry.stdout + dry.stderr).toBe(0);
  expect(dry.stdout).toContain(`Business NXT customer ${row.associateNo}: phone: +********22 → +********11`);
  expect(dry.stdout).toContain(`HubSpot company ${company.id}: nothing`);
  expect(dry.stdout).toContain('Dry run: nothing written.');
  expect(w.erp.store.rows.get(row.associateNo)?.phone).toBe('33222222');

  // Not a terminal: no question.
  const done = await cli(w, ['conflicts', 'resolve', id, '--take', 'crm']);
  expect(done.code, done.stdout + done.stderr).toBe(0);
  expect(done.stdout).toContain(`Business NXT customer ${row.associateNo}: phone: +********22 → +********11`);
  expect(done.stdout).toContain(`Resolved ${id}.`);
  expect(w.erp.store.rows.get(row.associateNo)?.phone).toBe('+4733111111');
  expect(JSON.parse((await cli(w, ['conflicts', 'list', '--json'])).stdout)).toEqual([]);
});
