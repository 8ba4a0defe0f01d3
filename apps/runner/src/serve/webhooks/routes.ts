import { verifyWebhook } from '@port-service/visma-nxt';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { InboxEvent } from '../inbox-event.js';
import { hubSpotInboxEvents } from './hubspot-events.js';
import { signedUriCandidates } from './hubspot-request-uri.js';
import { verifyHubSpotSignature } from './hubspot-signature.js';
import { vismaInboxEvents } from './visma-events.js';

export type WebhookSystem = InboxEvent['system'];

/** How a delivery ended, for the `count` callback (a metric's label). */
export type WebhookOutcome =
  | 'accepted'
  | 'forged'
  | 'stale'
  | 'malformed'
  | 'wrong-company'
  | 'wrong-portal'
  | 'ignored'
  | 'failed'
  | 'not-configured';

export interface WebhookRouteOptions {
  readonly hubspot: {
    /** The app's client secret (`HUBSPOT_WEBHOOK_SECRET`); `null`: the endpoint answers 404. */
    readonly secret: string | null;
    /** Our app's id: events its own API writes caused are stored with `ownEcho`. */
    readonly appId: number | null;
    /** The URL HubSpot calls the service at, behind a reverse proxy (`https://sync.example.no`). */
    readonly publicBaseUrl: string | null;
  };
  /** The subscription's signature keys, several while one is rotated; none: the endpoint answers 404. */
  readonly visma: { readonly secrets: readonly string[] };
  /** The Business NXT company the service is bound to; `null` before the first cycle binds one. */
  readonly boundCompanyNo: () => Promise<number | null>;
  /** The HubSpot account (portal id) the service is bound to; `null` before the first cycle binds one, absent: unchecked. */
  readonly boundPortalId?: (() => Promise<number | null>) | undefined;
  /** Where deliveries for another account are reported (they are acknowledged, not synced). */
  readonly warn?: ((fields: Record<string, unknown>, message: string) => void) | undefined;
  /** Stores the events durably; when it throws, the delivery is answered 503 so the sender sends it again. */
  readonly accept: (events: readonly InboxEvent[]) => Promise<void>;
  readonly count: (system: WebhookSystem, outcome: WebhookOutcome) => void;
}

// HubSpot sends fewer than 100 events per request; Business NXT one row change. Anything far larger is refused
// before it is read into memory.
const maxBodyBytes = 1024 * 1024;

/**
 * `POST /webhooks/hubspot` and `POST /webhooks/visma-nxt`: verify the signature over the raw body, parse it, hand
 * the events to `accept` and answer at once (the sync runs later, from the inbox). Forged, stale and malformed
 * deliveries are refused and change nothing. Every delivery is counted by system and outcome.
 */
export function webhookRoutes(options: WebhookRouteOptions): Hono {
  const app = new Hono();
  const limit = (system: WebhookSystem) =>
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        refuse(c, options, system, 413, 'malformed', `the body is larger than ${maxBodyBytes} bytes`),
    });
  app.post('/webhooks/hubspot', limit('hubspot'), (c) => receiveHubSpot(c, options));
  app.post('/webhooks/visma-nxt', limit('visma-nxt'), (c) => receiveVisma(c, options));
  return app;
}

function refuse(
  c: Context,
  options: WebhookRouteOptions,
  system: WebhookSystem,
  status: 400 | 401 | 403 | 404 | 413,
  outcome: WebhookOutcome,
  reason: string,
): Response {
  options.count(system, outcome);
  return c.json({ error: outcome, reason }, status);
}

/** Hands the events to the inbox; 503 when it cannot take them, so the sender retries. */
async function store(
  c: Context,
  options: WebhookRouteOptions,
  system: WebhookSystem,
  events: readonly InboxEvent[],
  outcome: 'accepted' | 'ignored' | 'wrong-portal',
): Promise<Response> {
  if (events.length > 0) {
    try {
      await options.accept(events);
    } catch {
      options.count(system, 'failed');
      return c.json(
        { error: 'failed', reason: 'the inbox could not store the events; send them again' },
        503,
      );
    }
  }
  options.count(system, outcome);
  return c.json({ outcome, events: events.length }, 200);
}

/**
 * HubSpot's webhook deliveries (https://developers.hubspot.com/docs/api/webhooks), signed as
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests describes.
 */
async function receiveHubSpot(c: Context, options: WebhookRouteOptions): Promise<Response> {
  const { secret, appId, publicBaseUrl } = options.hubspot;
  if (secret === null || secret === '')
    return refuse(
      c,
      options,
      'hubspot',
      404,
      'not-configured',
      'HubSpot webhooks are off: no HUBSPOT_WEBHOOK_SECRET',
    );
  const rawBody = await c.req.text();
  const now = Date.now();
  const headers = c.req.raw.headers;
  const uris = signedUriCandidates(c.req.url, headers, publicBaseUrl);
  const check = verifyHubSpotSignature({ method: c.req.method, uris, rawBody, headers, secret, now });
  if (!check.ok) {
    const stale = check.reason === 'stale';
    const reason = stale
      ? 'X-HubSpot-Request-Timestamp is more than 5 minutes from now'
      : `the HubSpot signature does not verify (${check.reason})`;
    return refuse(c, options, 'hubspot', 401, stale ? 'stale' : 'forged', reason);
  }
  let boundPortalId: number | null;
  try {
    boundPortalId = (await options.boundPortalId?.()) ?? null;
  } catch {
    options.count('hubspot', 'failed');
    return c.json({ error: 'failed', reason: 'the bound account could not be read; send it again' }, 503);
  }
  const parsed = hubSpotInboxEvents(rawBody, { appId, receivedAt: now, boundPortalId });
  if (parsed.isErr()) return refuse(c, options, 'hubspot', 400, 'malformed', parsed.error);
  const { events, ignored, otherPortals } = parsed.value;
  if (otherPortals.size > 0) {
    // Acknowledged (a refusal would only make HubSpot send them again for a day), never synced.
    options.warn?.(
      { boundPortalId, otherPortals: Object.fromEntries(otherPortals) },
      `HubSpot delivered events of another account than the bound portal ${boundPortalId}: acknowledged, not synced`,
    );
    return store(c, options, 'hubspot', events, 'wrong-portal');
  }
  return store(c, options, 'hubspot', events, events.length === 0 && ignored > 0 ? 'ignored' : 'accepted');
}

/**
 * Business NXT's `TableChange` notifications through Visma Connect
 * (https://docs.vismasoftware.no/businessnxtapi/webhooks, signature: https://docs.vismasoftware.no/businessnxtapi/webhooks/connect).
 */
async function receiveVisma(c: Context, options: WebhookRouteOptions): Promise<Response> {
  const secrets = options.visma.secrets.filter((secret) => secret !== '');
  if (secrets.length === 0)
    return refuse(
      c,
      options,
      'visma-nxt',
      404,
      'not-configured',
      'Business NXT webhooks are off: no signature key',
    );
  const rawBody = await c.req.text();
  if (!verifyWebhook(rawBody, c.req.raw.headers, secrets))
    return refuse(c, options, 'visma-nxt', 401, 'forged', 'the Business NXT signature does not verify');
  let bound: number | null;
  try {
    bound = await options.boundCompanyNo();
  } catch {
    options.count('visma-nxt', 'failed');
    return c.json({ error: 'failed', reason: 'the bound company could not be read; send it again' }, 503);
  }
  const delivery = vismaInboxEvents(rawBody, bound, Date.now());
  if (delivery.isErr()) {
    const { outcome, reason } = delivery.error;
    return refuse(c, options, 'visma-nxt', outcome === 'wrong-company' ? 403 : 400, outcome, reason);
  }
  if (delivery.value.outcome === 'ignored') return store(c, options, 'visma-nxt', [], 'ignored');
  return store(c, options, 'visma-nxt', delivery.value.events, 'accepted');
}
