import Database from 'libsql';
import { admin, pause, startWorld, type World } from '../e2e/cli-harness.js';
import {
  erpAdmin,
  metric,
  type RunningService,
  serviceEnv,
  startService,
  webhookSecrets,
} from '../e2e/serve-harness.js';
import { type ApiWriteCounter, startApiWriteCounter } from './api-write-counter.js';
import { startWebhookRelay, type WebhookRelay } from './webhook-relay.js';
import { signedHubSpotDelivery } from './webhook-signing.js';

/**
 * One world of the webhook suite: both simulators, their API requests through the write counter, their webhooks
 * through the relay, and `crm-sync serve` (the built CLI) behind it, its first full cycle done.
 */
export interface WebhookWorld {
  readonly world: World;
  readonly relay: WebhookRelay;
  readonly writes: ApiWriteCounter;
  service: RunningService;
  /** `crm-sync serve` again on the same state (after a SIGKILL, say); the relay passes deliveries to it. */
  restart(): Promise<RunningService>;
  close(): Promise<void>;
}

// Time limits, each many times what the step takes on a developer's machine, so a loaded two-core machine passes
// and a step that hangs fails naming itself.
export const startUpMs = 30_000;
export const settleMs = 30_000;

export async function startWebhookWorld(options: {
  readonly customers: number;
  readonly companies: number;
  readonly seed: number;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<WebhookWorld> {
  const world = await startWorld({
    customers: options.customers,
    companies: options.companies,
    seed: options.seed,
  });
  const writes = await startApiWriteCounter({
    hubspotBaseUrl: world.crm.baseUrl,
    vismaGraphqlUrl: world.erp.graphqlUrl,
  });
  const relay = await startWebhookRelay();
  let service: RunningService | undefined;
  const close = async () => {
    if (service !== undefined && service.child.exitCode === null && service.child.signalCode === null)
      await service.stop('SIGKILL');
    await relay.close();
    await writes.close();
    await world.close();
  };
  try {
    serviceEnv(world, {
      HUBSPOT_BASE_URL: writes.hubspotUrl,
      VISMA_GRAPHQL_URL: writes.vismaGraphqlUrl,
      CRM_SYNC_PUBLIC_URL: relay.url,
      ...options.env,
    });
    const first = await startService(world);
    service = first;
    relay.target = first.url;
    await waitUntil(
      'the first (full) cycle',
      async () => (await metric(first, 'crm_sync_cycles_total', '{kind="full",outcome="ok"}')) >= 1,
      startUpMs,
    );
    await admin(`${world.crm.baseUrl}/admin/webhooks`, 'POST', {
      url: `${relay.url}/webhooks/hubspot`,
      clientSecret: webhookSecrets.hubspot,
    });
    await admin(`${erpAdmin(world)}/webhooks`, 'POST', {
      url: `${relay.url}/webhooks/visma-nxt`,
      secret: webhookSecrets.visma,
    });
  } catch (error) {
    await close();
    throw error;
  }
  const context: WebhookWorld = {
    world,
    relay,
    writes,
    service,
    async restart() {
      service = await startService(world, { setup: false });
      context.service = service;
      relay.target = service.url;
      return service;
    },
    close,
  };
  return context;
}

/** Waits until `check` holds, polling; throws naming `what` when `withinMs` passed first. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  withinMs: number = settleMs,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${withinMs / 1000} s waiting for ${what}`);
    await pause(25);
  }
}

// How long no webhook request may have moved before the world counts as quiet: the deliveries of the sync's own
// writes leave the simulators while its run is still recorded, so they are under way by then.
const quietForMs = 200;

/**
 * Waits until nothing is left to do: the service's inbox is empty (no event pending, so no targeted sync under
 * way) and no webhook delivery has moved for a while. Only ever used before checking that something did *not*
 * happen, or before reading write counts: a wrong guess can only hide a write, never invent one.
 */
export async function quiet(context: WebhookWorld, what: string): Promise<void> {
  await waitUntil(`${what}: an empty inbox and no webhook under way`, async () => {
    const { inFlight, lastAt } = context.relay.activity;
    if (inFlight > 0 || Date.now() - lastAt < quietForMs) return false;
    return (await metric(context.service, 'crm_sync_inbox_depth')) === 0;
  });
}

/** A `company.associationChange`/`contact.associationChange` pair as HubSpot sends it when a person moves a contact. */
export function contactMovedDelivery(
  relay: WebhookRelay,
  move: { readonly contactId: string; readonly companyId: string; readonly eventId: number },
) {
  const occurredAt = Date.now();
  // The event fields of https://developers.hubspot.com/docs/api/webhooks ("Webhook payloads", association events).
  const side = (from: 'contact' | 'company', fromId: string, toId: string, offset: number) => ({
    eventId: move.eventId + offset,
    subscriptionId: 90,
    portalId: 1234567,
    appId: 7654321,
    occurredAt,
    subscriptionType: `${from}.associationChange`,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    sourceId: 'userId:1100001',
    associationType: from === 'contact' ? 'CONTACT_TO_COMPANY' : 'COMPANY_TO_CONTACT',
    fromObjectId: Number(fromId),
    toObjectId: Number(toId),
    associationRemoved: false,
    isPrimaryAssociation: true,
  });
  const body = JSON.stringify([
    side('contact', move.contactId, move.companyId, 0),
    side('company', move.companyId, move.contactId, 1),
  ]);
  return signedHubSpotDelivery(body, {
    secret: webhookSecrets.hubspot,
    url: `${relay.url}/webhooks/hubspot`,
  });
}

/** All API requests both simulators served so far (reads and writes). */
export const apiRequests = (world: World) => world.crm.stats.requests + world.erp.stats.operations;

/**
 * The inbox's pending events in a stopped service's state file, read-only (the store is not opened, so nothing is
 * migrated or changed): how full the inbox was when the service died.
 */
export function pendingInbox(statePath: string): { pending: number; associations: number } {
  const db = new Database(statePath, { readonly: true });
  try {
    const row = db
      .prepare(
        "SELECT COUNT(*) AS pending, SUM(CASE WHEN kind = 'association' THEN 1 ELSE 0 END) AS associations FROM inbox WHERE settled_at IS NULL",
      )
      .get() as { pending: number; associations: number | null };
    return { pending: row.pending, associations: row.associations ?? 0 };
  } finally {
    db.close();
  }
}
