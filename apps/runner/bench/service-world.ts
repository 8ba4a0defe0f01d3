import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { openRuntime, type Runtime, requireBinding } from '../src/commands/runtime.js';
import { admin, startWorld, type World } from '../src/e2e/cli-harness.js';
import { erpAdmin, simulatorAppId, webhookSecrets } from '../src/e2e/serve-harness.js';
import { type SyncService, startSyncService } from '../src/serve/service.js';
import { loadServiceConfig } from '../src/serve/service-config.js';
import { customersData, seedErp } from './data.js';

/** The simulators' default limits, written out so the section can state them. */
export const serviceLimits = {
  hubspot: { requests: 100, windowMs: 10_000 },
  visma: { requests: 600, windowMs: 60_000 },
} as const;

/** A customer linked on both sides by the first cycle. */
export interface LinkedPair {
  readonly associateNo: number;
  readonly companyId: string;
}

export interface ServiceWorld {
  readonly world: World;
  readonly runtime: Runtime;
  readonly service: SyncService;
  /** Every linked customer, in the order Business NXT holds them (the same every run: the data is seeded). */
  readonly pairs: readonly LinkedPair[];
  close(): Promise<void>;
}

/**
 * Both simulators at their default limits with `customers` seeded customers in Business NXT (`perCustomer` contact
 * persons each), `crm-sync setup`, the service in this process (as `crm-sync serve` runs it: binding checked,
 * `startSyncService`), its first cycle, and then both simulators' signed webhooks pointed at it.
 */
export async function startServiceWorld(options: {
  seed: number;
  customers: number;
  perCustomer: number;
}): Promise<ServiceWorld> {
  const world = await startWorld({
    seed: options.seed,
    crm: { perTenSeconds: serviceLimits.hubspot.requests, windowMs: serviceLimits.hubspot.windowMs },
    erp: { requestsPerMinute: serviceLimits.visma.requests, maxPageSize: 500 },
  });
  seedErp(world, customersData(options.customers, options.perCustomer, options.seed));
  Object.assign(world.env, {
    CRM_SYNC_HTTP_PORT: '0',
    // The schedule is kept out of the measurement: only webhooks carry the edits (the first cycle still runs).
    CRM_SYNC_INTERVAL: '1h',
    CRM_SYNC_FULL_AT: `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`,
    CRM_SYNC_FULL_AT_TIME_ZONE: 'UTC',
    HUBSPOT_WEBHOOK_SECRET: webhookSecrets.hubspot,
    HUBSPOT_APP_ID: String(simulatorAppId),
    VISMA_WEBHOOK_SECRETS: webhookSecrets.visma,
  });
  const runtime = await openRuntime({ logLevel: 'silent' }, world.env);
  for (const type of ['companies', 'contacts'] as const)
    await runtime.clients.hubspot.properties.ensureProperties(
      type,
      syncPropertyGroup,
      syncPropertySpecs()[type],
    );
  const bound = await requireBinding(runtime, true);
  if (bound.isErr()) throw new Error(`the service cannot bind the state: ${bound.error}`);
  const loaded = loadServiceConfig(world.env);
  if (!loaded.ok) throw new Error(`service settings: ${loaded.errors.join('; ')}`);
  const service = await startSyncService(runtime, loaded.config);
  await firstCycle(service);
  await subscribe(world, service.url);
  return {
    world,
    runtime,
    service,
    pairs: linkedPairs(world),
    async close() {
      await service.stop();
      await runtime.close();
      await world.close();
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
async function subscribe(world: World, url: string): Promise<void> {
  await admin(`${world.crm.baseUrl}/admin/webhooks`, 'POST', {
    url: `${url}/webhooks/hubspot`,
    clientSecret: webhookSecrets.hubspot,
  });
  await admin(`${erpAdmin(world)}/webhooks`, 'POST', {
    url: `${url}/webhooks/visma-nxt`,
    secret: webhookSecrets.visma,
  });
}

/** The customers the first cycle linked: a Business NXT customer and the company carrying its customer number. */
function linkedPairs(world: World): LinkedPair[] {
  const companyOf = new Map<string, string>();
  for (const company of world.crm.store.records.companies.values()) {
    const customerNo = company.properties.get('visma_customer_no');
    if (!company.archived && customerNo) companyOf.set(customerNo, company.id);
  }
  const pairs: LinkedPair[] = [];
  for (const row of world.erp.store.rows.values()) {
    const companyId = row.customerNo > 0 ? companyOf.get(String(row.customerNo)) : undefined;
    if (companyId !== undefined) pairs.push({ associateNo: row.associateNo, companyId });
  }
  return pairs;
}
