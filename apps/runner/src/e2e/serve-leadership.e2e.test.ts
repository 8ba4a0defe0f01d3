import { afterEach, expect, it } from 'vitest';
import { describeWithPostgres } from '../test-support/state-backends.js';
import { admin, run, startWorld, type World } from './cli-harness.js';
import { operatorSignedIn, readyz, usePostgresState } from './leadership-harness.js';
import {
  erpAdmin,
  eventually,
  metric,
  type RunningService,
  serviceEnv,
  startService,
  subscribe,
} from './serve-harness.js';

// Two `crm-sync serve` processes of the built CLI on one PostgreSQL state, against both simulators: one leads,
// the other stands by; killed, the leader's work passes to the standby, and nothing is created twice.
let world: World | undefined;
let database: { drop(): Promise<void> } | undefined;
const services: RunningService[] = [];
afterEach(async () => {
  await Promise.all(
    services.splice(0).map((service) => (service.child.exitCode === null ? service.stop('SIGKILL') : null)),
  );
  await world?.close();
  world = undefined;
  await database?.drop();
  database = undefined;
});

const liveCompanies = (w: World) =>
  [...w.crm.store.records.companies.values()].filter((record) => !record.archived);
const erpCustomers = (w: World) => [...w.erp.store.rows.values()].filter((row) => row.customerNo > 0);

function linkedPair(w: World, nth: number) {
  const row = erpCustomers(w)[nth];
  const company = liveCompanies(w).find(
    (record) => record.properties.get('visma_customer_no') === String(row?.customerNo),
  );
  if (row === undefined || company === undefined) throw new Error('no linked pair');
  return { row, company };
}

async function started(w: World, setup: boolean): Promise<RunningService> {
  const service = await startService(w, { setup });
  services.push(service);
  return service;
}

const logs = (service: RunningService) => service.output().stderr;

describeWithPostgres('crm-sync serve: two instances on one PostgreSQL state', () => {
  it('one leads, the other stands by (webhooks, console); SIGKILL the leader and the standby takes over', async () => {
    const w = await startWorld({ customers: 8, companies: 3, seed: 5 });
    world = w;
    database = await usePostgresState(w);
    serviceEnv(w);
    const first = await started(w, true);
    await eventually('the first instance leads', async () => (await readyz(first)).role === 'leader');
    await eventually(
      'the first (full) cycle',
      async () => (await metric(first, 'crm_sync_cycles_total', '{kind="full",outcome="ok"}')) === 1,
    );
    const customers = erpCustomers(w).length;
    expect(customers).toBe(11);

    const second = await started(w, false);
    expect(await readyz(second)).toEqual({ status: 200, ready: true, role: 'standby' });
    expect(await metric(second, 'crm_sync_leader')).toBe(0);
    expect(await metric(first, 'crm_sync_leader')).toBe(1);
    expect(await metric(second, 'crm_sync_cycles_total', '{kind="full",outcome="ok"}')).toBe(0);

    // The standby accepts the webhooks into the shared inbox; the leader syncs them.
    await subscribe(w, second);
    const inErp = linkedPair(w, 0);
    await admin(`${erpAdmin(w)}/associates/${inErp.row.associateNo}`, 'PATCH', { postalArea: 'Drøbak' });
    await eventually('the ERP edit in HubSpot', () => inErp.company.properties.get('city') === 'Drøbak');
    expect(
      await metric(second, 'crm_sync_webhook_deliveries_total', '{system="visma-nxt",outcome="accepted"}'),
    ).toBeGreaterThan(0);

    // Its console signs in and reads; a sync action is refused, naming the leader.
    const { browser, token } = await operatorSignedIn(w, second, 'olga');
    expect((await browser.get('/runs')).status).toBe(200);
    const refused = await browser.post('/actions/retry', {
      csrf_token: token,
      entity: 'customer',
      system: 'hubspot',
      id: inErp.company.id,
    });
    expect(refused.status).toBe(503);
    expect(refused.text).toContain(`this instance is the standby; the leader is `);
    expect(refused.text).toContain(`/${first.child.pid}`);

    // A `crm-sync run` from cron beside the idle leader takes the same lock and runs.
    expect((await run(w)).code).toBe(0);

    await first.stop('SIGKILL');
    const inCrm = linkedPair(w, 1);
    await admin(`${w.crm.baseUrl}/admin/companies/${inCrm.company.id}`, 'PATCH', { city: 'Hvitsten' });
    await eventually('the standby leads', async () => (await readyz(second)).role === 'leader', 30_000);
    expect(logs(second)).toMatch(/"msg":"became the leader \(generation 2\)"/u);
    expect(await metric(second, 'crm_sync_leader')).toBe(1);
    expect(await metric(second, 'crm_sync_leadership_changes_total')).toBe(1);
    await eventually(
      'the HubSpot edit in Business NXT',
      () => w.erp.store.rows.get(inCrm.row.associateNo)?.postalArea === 'Hvitsten',
      30_000,
    );
    expect(erpCustomers(w)).toHaveLength(customers);
    expect(new Set(liveCompanies(w).map((c) => c.properties.get('visma_customer_no'))).size).toBe(
      liveCompanies(w).length,
    );
    expect(liveCompanies(w)).toHaveLength(customers);
  });
});
