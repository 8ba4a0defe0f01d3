import { afterEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, startSmtpReceiver } from '../serve/alerts/test-receivers.js';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { admin, cli, pause, run, startWorld, type World } from './cli-harness.js';
import {
  erpAdmin,
  eventually,
  metric,
  type RunningService,
  serviceEnv,
  startService,
  subscribe,
} from './serve-harness.js';

// `crm-sync serve` as people run it: the built CLI against both simulators, their signed webhooks delivered to it,
// invariants checked on both simulators' stores.
let world: World | undefined;
let service: RunningService | undefined;
afterEach(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  service = undefined;
  await world?.close();
  world = undefined;
});

async function started(extra: NodeJS.ProcessEnv = {}) {
  world = await startWorld({ customers: 8, companies: 3, seed: 5 });
  serviceEnv(world, extra);
  const running = await startService(world);
  service = running;
  await firstCycle(running);
  await subscribe(world, running);
  return { world, service: running };
}

const firstCycle = (running: RunningService) =>
  eventually(
    'the first (full) cycle',
    async () => (await metric(running, 'crm_sync_cycles_total', '{kind="full",outcome="ok"}')) === 1,
  );

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

describe('crm-sync serve', () => {
  it('sends one alert by email and chat when a cycle fails, and one when it syncs again', async () => {
    const smtp = await startSmtpReceiver({ user: 'alerts', password: 'mail-password-1' });
    const chat = await startHttpReceiver();
    try {
      world = await startWorld({ customers: 4, companies: 0, seed: 5 });
      serviceEnv(world, {
        CRM_SYNC_INTERVAL: '1s',
        CRM_SYNC_ALERT_STALE_AFTER: '1h',
        CRM_SYNC_ALERT_SMTP_URL: `smtp://alerts:mail-password-1@127.0.0.1:${smtp.port}`,
        CRM_SYNC_ALERT_EMAIL_FROM: 'crm-sync@example.no',
        CRM_SYNC_ALERT_EMAIL_TO: 'drift@example.no',
        CRM_SYNC_ALERT_WEBHOOK_URL: chat.url,
      });
      // No `crm-sync setup`: the sync's HubSpot properties are missing, so every cycle fails until they exist.
      const running = await startService(world, { setup: false });
      service = running;
      await eventually(
        'a failed cycle',
        async () => (await metric(running, 'crm_sync_cycles_total', '{kind="full",outcome="failed"}')) >= 2,
      );
      await eventually('the alert', () => smtp.mails.length === 1 && chat.posts.length === 1);
      expect(smtp.mails[0]?.subject).toContain('failed');
      expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
      const setup = await cli(world, ['setup']);
      expect(setup.code).toBe(0);
      await eventually('the recovery message', () => smtp.mails.length === 2 && chat.posts.length === 2);
      await eventually('ready again', async () => (await fetch(`${running.url}/readyz`)).status === 200);
      // Failing again and again, or syncing on, sends nothing more.
      await pause(2_500);
      expect(smtp.mails).toHaveLength(2);
      expect(chat.posts).toHaveLength(2);
    } finally {
      await Promise.all([smtp.close(), chat.close()]);
    }
  });

  it('carries an edit on each side within seconds through the webhooks, and a redelivery changes nothing', async () => {
    const { world: w, service: s } = await started();
    const inErp = linkedPair(w, 0);
    const inCrm = linkedPair(w, 1);
    await admin(`${erpAdmin(w)}/associates/${inErp.row.associateNo}`, 'PATCH', { postalArea: 'Drøbak' });
    await admin(`${w.crm.baseUrl}/admin/companies/${inCrm.company.id}`, 'PATCH', { city: 'Hvitsten' });
    await eventually('the ERP edit in HubSpot', () => inErp.company.properties.get('city') === 'Drøbak');
    await eventually(
      'the HubSpot edit in Business NXT',
      () => w.erp.store.rows.get(inCrm.row.associateNo)?.postalArea === 'Hvitsten',
    );
    expect(await metric(s, 'crm_sync_cycles_total', '{kind="targeted",outcome="ok"}')).toBeGreaterThan(0);
    expect(
      await metric(s, 'crm_sync_webhook_deliveries_total', '{system="hubspot",outcome="accepted"}'),
    ).toBeGreaterThan(0);
    expect(
      await metric(s, 'crm_sync_webhook_deliveries_total', '{system="visma-nxt",outcome="accepted"}'),
    ).toBeGreaterThan(0);
    expect(
      await metric(s, 'crm_sync_latency_seconds_count', '{direction="visma-nxt-to-hubspot"}'),
    ).toBeGreaterThan(0);
    expect(
      await metric(s, 'crm_sync_latency_seconds_count', '{direction="hubspot-to-visma-nxt"}'),
    ).toBeGreaterThan(0);
    // The sync's own writes came back as webhooks too: they settle without planning anything.
    await eventually('an empty inbox', async () => (await metric(s, 'crm_sync_inbox_depth')) === 0);
    expect(liveCompanies(w)).toHaveLength(
      new Set(liveCompanies(w).map((c) => c.properties.get('visma_customer_no'))).size,
    );
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('refuses a forged delivery, counting it, and changes nothing', async () => {
    const { world: w, service: s } = await started();
    const { company } = linkedPair(w, 2);
    const forged = await fetch(`${s.url}/webhooks/hubspot`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': 'bm90IGEgc2lnbmF0dXJl',
        'x-hubspot-request-timestamp': String(Date.now()),
      },
      body: JSON.stringify([
        {
          eventId: 1,
          subscriptionType: 'company.deletion',
          objectId: Number(company.id),
          portalId: 1234567,
          occurredAt: Date.now(),
        },
      ]),
    });
    expect(forged.status).toBe(401);
    expect(await metric(s, 'crm_sync_webhook_deliveries_total', '{system="hubspot",outcome="forged"}')).toBe(
      1,
    );
    expect(await metric(s, 'crm_sync_inbox_depth')).toBe(0);
    expect(company.archived).toBe(false);
  });

  it('stops on SIGTERM with exit 0, the lock released, and a `run` from cron after it finds nothing to do', async () => {
    const { world: w, service: s } = await started();
    const { row } = linkedPair(w, 3);
    await admin(`${erpAdmin(w)}/associates/${row.associateNo}`, 'PATCH', { phone: '22 33 44 55' });
    const stopped = await s.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('crm-sync serve: stopped');
    const store = openSqliteStateStore(w.env.CRM_SYNC_STATE ?? '');
    const lock = await store.acquireLock({ id: 'test', description: 'the test' }, 1000);
    await store.releaseLock('test');
    await store.close();
    expect(lock.ok).toBe(true);
    // Whatever the service did not get to, the next cycle carries; it never duplicates.
    const after = await run(w);
    expect(after.code).toBe(0);
    const again = await run(w);
    expect(again.code).toBe(0);
    expect(liveCompanies(w)).toHaveLength(
      new Set(liveCompanies(w).map((c) => c.properties.get('visma_customer_no'))).size,
    );
  });

  it('without webhooks, the schedule carries every edit', async () => {
    world = await startWorld({ customers: 6, companies: 0, seed: 9 });
    serviceEnv(world, { CRM_SYNC_INTERVAL: '2s', HUBSPOT_WEBHOOK_SECRET: '', VISMA_WEBHOOK_SECRETS: '' });
    const running = await startService(world);
    service = running;
    const w = world;
    await firstCycle(running);
    const { row, company } = linkedPair(w, 0);
    w.erp.store.update(row.associateNo, { postalArea: 'Son' });
    await eventually('the next incremental cycle', () => company.properties.get('city') === 'Son', 30_000);
    expect((await fetch(`${running.url}/webhooks/hubspot`, { method: 'POST', body: '[]' })).status).toBe(404);
  });
});
