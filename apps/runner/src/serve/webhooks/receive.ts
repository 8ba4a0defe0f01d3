import { verifyWebhook } from '@port-service/visma-nxt';
import type { InboxEvent } from '../inbox-event.js';
import type { WebhookOutcome } from '../metrics.js';
import { hubSpotInboxEvents } from './hubspot-events.js';
import { headerReader, signedUriCandidates } from './hubspot-request-uri.js';
import { verifyHubSpotSignature } from './hubspot-signature.js';
import { vismaInboxEvents } from './visma-events.js';

export type WebhookSystem = InboxEvent['system'];

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
  /** Where a delivery that failed unexpectedly (a bug) is reported; it is answered 500 and sent again. */
  readonly error?: ((error: unknown, system: WebhookSystem) => void) | undefined;
  /** Stores the events durably; when it throws, the delivery is answered 503 so the sender sends it again. */
  readonly accept: (events: readonly InboxEvent[]) => Promise<void>;
  readonly count: (system: WebhookSystem, outcome: WebhookOutcome) => void;
}

/** One delivery as it arrived, before anything is parsed. */
export interface WebhookDelivery {
  readonly method: string;
  /** The URL as the service received it (scheme, host, path and query). */
  readonly url: string;
  /** The headers as Node received them (names in lower case). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body exactly as received. */
  readonly rawBody: string;
}

/** What the delivery is answered: a status and a JSON body. */
export interface WebhookAnswer {
  readonly status: 200 | 400 | 401 | 403 | 404 | 413 | 500 | 503;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A refusal: counted, answered with the outcome and the reason, nothing stored. */
export function refusal(
  options: Pick<WebhookRouteOptions, 'count'>,
  system: WebhookSystem,
  status: WebhookAnswer['status'],
  outcome: WebhookOutcome,
  reason: string,
): WebhookAnswer {
  options.count(system, outcome);
  return { status, body: { error: outcome, reason } };
}

/** Hands the events to the inbox; 503 when it cannot take them, so the sender retries. */
async function store(
  options: WebhookRouteOptions,
  system: WebhookSystem,
  events: readonly InboxEvent[],
  outcome: 'accepted' | 'ignored' | 'wrong-portal',
): Promise<WebhookAnswer> {
  if (events.length > 0) {
    try {
      await options.accept(events);
    } catch {
      return failed(options, system, 'the inbox could not store the events; send them again');
    }
  }
  options.count(system, outcome);
  return { status: 200, body: { outcome, events: events.length } };
}

function failed(options: WebhookRouteOptions, system: WebhookSystem, reason: string): WebhookAnswer {
  options.count(system, 'failed');
  return { status: 503, body: { error: 'failed', reason } };
}

/**
 * HubSpot's webhook deliveries (https://developers.hubspot.com/docs/api/webhooks), signed as
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests describes.
 */
export async function receiveHubSpot(
  delivery: WebhookDelivery,
  options: WebhookRouteOptions,
): Promise<WebhookAnswer> {
  const { secret, appId, publicBaseUrl } = options.hubspot;
  if (secret === null || secret === '')
    return refusal(
      options,
      'hubspot',
      404,
      'not-configured',
      'HubSpot webhooks are off: no HUBSPOT_WEBHOOK_SECRET',
    );
  const { rawBody } = delivery;
  const headers = headerReader(delivery.headers);
  const now = Date.now();
  const uris = signedUriCandidates(delivery.url, headers, publicBaseUrl);
  const check = verifyHubSpotSignature({ method: delivery.method, uris, rawBody, headers, secret, now });
  if (!check.ok) {
    const stale = check.reason === 'stale';
    const reason = stale
      ? 'X-HubSpot-Request-Timestamp is more than 5 minutes from now'
      : `the HubSpot signature does not verify (${check.reason})`;
    return refusal(options, 'hubspot', 401, stale ? 'stale' : 'forged', reason);
  }
  let boundPortalId: number | null;
  try {
    boundPortalId = (await options.boundPortalId?.()) ?? null;
  } catch {
    return failed(options, 'hubspot', 'the bound account could not be read; send it again');
  }
  const parsed = hubSpotInboxEvents(rawBody, { appId, receivedAt: now, boundPortalId });
  if (parsed.isErr()) return refusal(options, 'hubspot', 400, 'malformed', parsed.error);
  const { events, ignored, otherPortals } = parsed.value;
  if (otherPortals.size > 0) {
    // Acknowledged (a refusal would only make HubSpot send them again for a day), never synced.
    options.warn?.(
      { boundPortalId, otherPortals: Object.fromEntries(otherPortals) },
      `HubSpot delivered events of another account than the bound portal ${boundPortalId}: acknowledged, not synced`,
    );
    return store(options, 'hubspot', events, 'wrong-portal');
  }
  return store(options, 'hubspot', events, events.length === 0 && ignored > 0 ? 'ignored' : 'accepted');
}

/**
 * Business NXT's `TableChange` notifications through Visma Connect
 * (https://docs.vismasoftware.no/businessnxtapi/webhooks, signature: https://docs.vismasoftware.no/businessnxtapi/webhooks/connect).
 */
export async function receiveVisma(
  delivery: WebhookDelivery,
  options: WebhookRouteOptions,
): Promise<WebhookAnswer> {
  const secrets = options.visma.secrets.filter((secret) => secret !== '');
  if (secrets.length === 0)
    return refusal(
      options,
      'visma-nxt',
      404,
      'not-configured',
      'Business NXT webhooks are off: no signature key',
    );
  const { rawBody } = delivery;
  if (!verifyWebhook(rawBody, delivery.headers, secrets))
    return refusal(options, 'visma-nxt', 401, 'forged', 'the Business NXT signature does not verify');
  let bound: number | null;
  try {
    bound = await options.boundCompanyNo();
  } catch {
    return failed(options, 'visma-nxt', 'the bound company could not be read; send it again');
  }
  const parsed = vismaInboxEvents(rawBody, bound, Date.now());
  if (parsed.isErr()) {
    const { outcome, reason } = parsed.error;
    return refusal(options, 'visma-nxt', outcome === 'wrong-company' ? 403 : 400, outcome, reason);
  }
  if (parsed.value.outcome === 'ignored') return store(options, 'visma-nxt', [], 'ignored');
  return store(options, 'visma-nxt', parsed.value.events, 'accepted');
}
