import { randomBytes } from 'node:crypto';
import { hubSpotSimulatorAppId } from '@port-service/simulators';
import type { Runtime } from '../commands/runtime.js';
import { hashPassword } from '../console/auth/password-hashing.js';
import { startSyncService } from '../serve/service.js';
import { loadServiceConfig } from '../serve/service-config.js';
import type { DemoWorld } from './scenario.js';

const secrets = { hubspot: 'demo-hubspot-client-secret', visma: 'demo-visma-signature-key' };

/**
 * `crm-sync serve` for a moment: the service on a free loopback port, both simulators delivering their signed
 * webhooks to it, one edit by a person on each side, and how long each took to reach the other system.
 */
export async function demoService(
  runtime: Runtime,
  world: DemoWorld,
  write: (text: string) => void,
  options: { readonly keepServing?: boolean | undefined } = {},
) {
  const loaded = loadServiceConfig({
    CRM_SYNC_HTTP_PORT: '0',
    CRM_SYNC_INTERVAL: '1h',
    HUBSPOT_WEBHOOK_SECRET: secrets.hubspot,
    HUBSPOT_APP_ID: String(hubSpotSimulatorAppId),
    VISMA_WEBHOOK_SECRETS: secrets.visma,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const service = await startSyncService(runtime, loaded.config);
  try {
    await until(() => service.state.lastCycle !== null, 30_000);
    await post(`${world.crm.adminUrl}/webhooks`, 'POST', {
      url: `${service.url}/webhooks/hubspot`,
      clientSecret: secrets.hubspot,
    });
    await post(`${world.erp.adminUrl}/webhooks`, 'POST', {
      url: `${service.url}/webhooks/visma-nxt`,
      secret: secrets.visma,
    });
    write(`  listening on ${service.url}; both simulators deliver signed webhooks to it`);
    const [, , , , erpPair, crmPair] = world.pairs;
    if (erpPair) {
      const started = Date.now();
      await post(`${world.erp.adminUrl}/associates/${erpPair.associateNo}`, 'PATCH', {
        addressLine1: 'Havnegata 1',
      });
      const company = world.crm.store.records.companies.get(erpPair.crmId);
      const arrived = await until(() => company?.properties.get('address') === 'Havnegata 1', 15_000);
      write(
        `  - address changed in Business NXT ${erpPair.associateNo}: ${arrived ? `in HubSpot ${erpPair.crmId} after ${seconds(started)}` : 'NOT in HubSpot after 15 s'}`,
      );
    }
    if (crmPair) {
      const started = Date.now();
      await post(`${world.crm.adminUrl}/companies/${crmPair.crmId}`, 'PATCH', {
        city: 'Horten',
        zip: '3183',
      });
      const arrived = await until(
        () => world.erp.store.rows.get(crmPair.associateNo)?.postalArea === 'Horten',
        15_000,
      );
      write(
        `  - city changed in HubSpot ${crmPair.crmId}: ${arrived ? `in Business NXT ${crmPair.associateNo} after ${seconds(started)}` : 'NOT in Business NXT after 15 s'}`,
      );
    }
    write(`  webhook deliveries: ${await deliveries(service.url)}`);
    const operator = await demoOperator(runtime);
    write(`\n  Operator console: ${service.url}/  (sign in as ${operator.name} / ${operator.password})`);
    if (options.keepServing) {
      write('  Serving until Ctrl-C; edit through the simulators and watch the console.');
      await untilInterrupted();
    } else {
      write('  (`pnpm demo --serve` keeps it running until Ctrl-C)');
    }
  } finally {
    await service.stop();
  }
}

/** A demo operator with a password made for this run (the demo's state is thrown away when it ends). */
async function demoOperator(runtime: Runtime): Promise<{ name: string; password: string }> {
  const name = 'demo-operator';
  const password = `demo-${randomBytes(6).toString('hex')}`;
  await runtime.store.addConsoleUser({
    name,
    role: 'operator',
    passwordHash: await hashPassword(password),
    createdAt: new Date().toISOString(),
  });
  return { name, password };
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function deliveries(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('crm_sync_webhook_deliveries_total{') && !line.endsWith(' 0'))
    .map((line) => line.replace('crm_sync_webhook_deliveries_total', ''))
    .join(', ');
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

async function post(url: string, method: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo ${method} ${url} answered ${response.status}`);
}
