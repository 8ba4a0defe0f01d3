import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { openRuntime, type Runtime, requireBinding } from '../src/commands/runtime.js';
import { admin } from '../src/e2e/cli-harness.js';
import { simulatorAppId, webhookSecrets } from '../src/e2e/serve-harness.js';
import { type SyncService, startSyncService } from '../src/serve/service.js';
import { loadServiceConfig } from '../src/serve/service-config.js';
import type { LinkedPair } from './simulator-edits.js';
import { type SimulatorProcess, startSimulatorProcess } from './simulator-link.js';

export type { LinkedPair } from './simulator-edits.js';

/** The simulators' default limits, written out so the section can state them. */
export const serviceLimits = {
  hubspot: { requests: 100, windowMs: 10_000 },
  visma: { requests: 600, windowMs: 60_000 },
} as const;

export interface ServiceWorld {
  /** Both simulators, in a process of their own. */
  readonly simulators: SimulatorProcess;
  readonly runtime: Runtime;
  readonly service: SyncService;
  /** Every linked customer, in the order Business NXT holds them (the same every run: the data is seeded). */
  readonly pairs: readonly LinkedPair[];
  close(): Promise<void>;
}

/**
 * Both simulators at their default limits in a child process (simulator-process.ts), with `customers` seeded
 * customers in Business NXT (`perCustomer` contact persons each); `crm-sync setup`, the service in this process (as
 * `crm-sync serve` runs it: binding checked, `startSyncService`), its first cycle, and then both simulators' signed
 * webhooks pointed at it.
 */
export async function startServiceWorld(options: {
  seed: number;
  customers: number;
  perCustomer: number;
  pollMs: number;
}): Promise<ServiceWorld> {
  const simulators = await startSimulatorProcess({ ...options, limits: serviceLimits });
  const env: NodeJS.ProcessEnv = {
    ...simulators.env,
    CRM_SYNC_HTTP_PORT: '0',
    // The schedule is kept out of the measurement: only webhooks carry the edits (the first cycle still runs).
    CRM_SYNC_INTERVAL: '1h',
    CRM_SYNC_FULL_AT: `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`,
    CRM_SYNC_FULL_AT_TIME_ZONE: 'UTC',
    HUBSPOT_WEBHOOK_SECRET: webhookSecrets.hubspot,
    HUBSPOT_APP_ID: String(simulatorAppId),
    VISMA_WEBHOOK_SECRETS: webhookSecrets.visma,
  };
  const runtime = await openRuntime({ logLevel: 'silent' }, env);
  for (const type of ['companies', 'contacts'] as const)
    await runtime.clients.hubspot.properties.ensureProperties(
      type,
      syncPropertyGroup,
      syncPropertySpecs()[type],
    );
  const bound = await requireBinding(runtime, true);
  if (bound.isErr()) throw new Error(`the service cannot bind the state: ${bound.error}`);
  const loaded = loadServiceConfig(env);
  if (!loaded.ok) throw new Error(`service settings: ${loaded.errors.join('; ')}`);
  const service = await startSyncService(runtime, loaded.config);
  await firstCycle(service);
  await subscribe(simulators, service.url);
  return {
    simulators,
    runtime,
    service,
    pairs: await simulators.pairs(),
    async close() {
      await service.stop();
      await runtime.close();
      await simulators.close();
    },
  };
}

async function firstCycle(service: SyncService): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (service.state.lastCycle === null) {
    if (Date.now() > deadline) throw new Error('the service ran no first cycle within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (service.state.lastCycle.failed)
    throw new Error(`the service's first (${service.state.lastCycle.mode}) cycle failed`);
}

/**
 * The simulators' admin surface (not part of either API; packages/simulators): each delivers its signed webhooks
 * to the service from now on, HubSpot's v3-signed batches and Business NXT's `TableChange` notifications.
 */
async function subscribe(simulators: SimulatorProcess, url: string): Promise<void> {
  await admin(`${simulators.crmBaseUrl}/admin/webhooks`, 'POST', {
    url: `${url}/webhooks/hubspot`,
    clientSecret: webhookSecrets.hubspot,
  });
  await admin(`${simulators.erpAdminUrl}/webhooks`, 'POST', {
    url: `${url}/webhooks/visma-nxt`,
    secret: webhookSecrets.visma,
  });
}
