import { afterEach, describe, expect, it } from 'vitest';
import { cli, finished, run, spawnCli, startWorld, type World, writes } from './cli-harness.js';
import { waitFor, within } from './deadline.js';

// The real CLI under rate limits, a SIGKILL in the middle of applying, two runs at once, bad configuration.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const live = (w: World) => [...w.crm.store.records.companies.values()].filter((record) => !record.archived);
const erpCustomers = (w: World) => [...w.erp.store.rows.values()].filter((row) => (row.customerNo ?? 0) > 0);
const digits = (value: string | null | undefined) => String(value ?? '').replace(/\D/gu, '');

/** No organization number on two customers of either side, and every ERP customer in HubSpot exactly once. */
function expectNoDuplicates(w: World): void {
  const crmOrgs = live(w)
    .map((record) => digits(record.properties.get('org_number')))
    .filter((org) => org !== '');
  expect(new Set(crmOrgs).size).toBe(crmOrgs.length);
  const erpOrgs = erpCustomers(w)
    .map((row) => digits(row.companyNo))
    .filter((org) => org !== '');
  expect(new Set(erpOrgs).size).toBe(erpOrgs.length);
  for (const row of erpCustomers(w))
    expect(
      live(w).filter((record) => record.properties.get('visma_actor_no') === String(row.associateNo)),
    ).toHaveLength(1);
}

describe('crm-sync under pressure', () => {
  it('respects HubSpot rate limits: no 429 reaches the report', async () => {
    world = await startWorld({
      customers: 40,
      companies: 30,
      seed: 11,
      crm: { perTenSeconds: 6, windowMs: 1000 },
    });
    await cli(world, ['setup']);
    const cycle = await run(world);
    expect([0, 3]).toContain(cycle.code);
    expect(cycle.report.items.filter((item) => item.reason === 'rate-limited')).toEqual([]);
    expect(cycle.report.entities.customer.failed + cycle.report.entities.contact.failed).toBe(0);
    expectNoDuplicates(world);
  });

  it('reruns after a SIGKILL during apply without duplicates or lost records', async () => {
    world = await startWorld({
      customers: 60,
      companies: 40,
      seed: 12,
      crm: { responseDelayMs: 15 },
      erp: { responseDelayMs: 15 },
    });
    const w = world;
    await cli(w, ['setup']);
    const rowsBefore = w.erp.store.rows.size;
    const companiesBefore = w.crm.store.records.companies.size;
    const child = spawnCli(w, ['run', '--json']);
    const done = finished(child);
    // Kill as soon as the first creates land on either side: mid-apply. (A run that ends before it creates
    // anything fails the expectation below, instead of being waited for.)
    await waitFor(
      () =>
        w.erp.store.rows.size !== rowsBefore ||
        w.crm.store.records.companies.size !== companiesBefore ||
        child.exitCode !== null,
      'the first create of the run',
      60_000,
    );
    child.kill('SIGKILL');
    expect((await within(done, 'the killed run', 60_000, child)).signal).toBe('SIGKILL');

    const rerun = await run(w);
    expect([0, 3]).toContain(rerun.code);
    expectNoDuplicates(w);
    // Every HubSpot customer reached Business NXT and every ERP customer reached HubSpot.
    for (const company of live(w).filter((record) => record.properties.get('lifecyclestage') === 'customer'))
      expect(w.erp.store.rows.has(Number(company.properties.get('visma_actor_no')))).toBe(true);
    const settled = await run(w);
    expect(writes(settled.report)).toBe(0);
  });

  it('lets one of two concurrent cycles run; the other exits 75 naming the holder', async () => {
    world = await startWorld({ customers: 30, seed: 13, erp: { responseDelayMs: 250 } });
    await cli(world, ['setup']);
    const [a, b] = await Promise.all([cli(world, ['run']), cli(world, ['run'])]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 75]);
    const loser = a.code === 75 ? a : b;
    expect(loser.stdout).toMatch(/another cycle is running \(crm-sync pid \d+ on /u);
    const status = await cli(world, ['status', '--json']);
    expect(JSON.parse(status.stdout).runs).toHaveLength(1);
    expect(writes((await run(world)).report)).toBe(0);
  });

  it('exits 2 naming every configuration problem', async () => {
    world = await startWorld({});
    world.env.VISMA_COMPANY_NO = 'abc';
    delete world.env.HUBSPOT_ACCESS_TOKEN;
    const result = await cli(world, ['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('VISMA_COMPANY_NO must be a positive whole number');
    expect(result.stderr).toContain('HUBSPOT_ACCESS_TOKEN is required');
  });

  it('doctor checks every part and says ok', async () => {
    world = await startWorld({ customers: 1 });
    const before = await cli(world, ['doctor']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('run `crm-sync setup`');
    await cli(world, ['setup']);
    const after = await cli(world, ['doctor']);
    expect(after.stdout).not.toContain('FAIL');
    expect(after.code).toBe(0);
  });
});
