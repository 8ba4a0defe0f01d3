import { createHmac, randomUUID } from 'node:crypto';

export type WebhookSystem = 'hubspot' | 'visma-nxt';

/** One webhook request as it goes over the wire: the path it is posted to, its headers and its raw body. */
export interface Delivery {
  readonly system: WebhookSystem;
  readonly path: '/webhooks/hubspot' | '/webhooks/visma-nxt';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A HubSpot delivery signed as HubSpot signs it (https://developers.hubspot.com/docs/api/webhooks/validating-requests):
 * `X-HubSpot-Signature-v3` = base64 HMAC-SHA256 with the app's client secret over
 * `POST + the URL HubSpot called + body + timestamp`, and `X-HubSpot-Request-Timestamp`. `url` is the URL HubSpot
 * calls (the public one, in front of the service); none of its characters need HubSpot's decodings here.
 */
export function signedHubSpotDelivery(
  body: string,
  options: { readonly secret: string; readonly url: string; readonly timestamp?: number },
): Delivery {
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = createHmac('sha256', options.secret)
    .update(`POST${options.url}${body}${timestamp}`, 'utf8')
    .digest('base64');
  return {
    system: 'hubspot',
    path: '/webhooks/hubspot',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    },
    body,
  };
}

/**
 * A Business NXT `TableChange` notification signed as Visma Connect signs it
 * (https://docs.vismasoftware.no/businessnxtapi/webhooks/connect): `X-Vwd-Signature-v1` = base64 HMAC-SHA256 of the
 * body with the subscription's signature key.
 */
export function signedVismaDelivery(body: string, secret: string): Delivery {
  return {
    system: 'visma-nxt',
    path: '/webhooks/visma-nxt',
    headers: {
      'content-type': 'application/json',
      'x-vwd-signature-v1': createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
      'x-vwd-event-id': randomUUID(),
      'x-vwd-webhook-timestamp': new Date().toISOString(),
    },
    body,
  };
}

/** The same request with another body and the original signature headers: a replay with its body changed. */
export function withBody(delivery: Delivery, body: string): Delivery {
  return { ...delivery, body };
}

/** A delivery's events (HubSpot: an array; Business NXT: one `TableChange`), parsed. */
export function eventsOf(delivery: Delivery): Array<Record<string, unknown>> {
  const parsed = JSON.parse(delivery.body) as unknown;
  return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
}
