import { createHmac } from 'node:crypto';
import { postWebhook } from '../shared/webhook-post.js';

export interface HubSpotWebhookTarget {
  /** The full URL HubSpot calls (signed as HubSpot signs it: a few percent-encodings decoded). */
  readonly url: string;
  /** The app's client secret, the signing key of v3 signatures. */
  readonly clientSecret: string;
}

/** One event of a delivery, without its `attemptNumber` (set per attempt). */
export type WebhookEvent = Readonly<Record<string, unknown>>;

// "HubSpot sets a concurrency limit of 10 requests when sending subscription event data associated with an account
// that installed your app [...] Each request can contain up to 100 events." and "HubSpot will send multiple
// notifications when a lot of events have occurred within a short period of time [...] in batches and not one per
// request." (https://developers.hubspot.com/docs/api/webhooks, "Webhook settings" and "Webhook payloads").
const maxEventsPerRequest = 100;
const maxConcurrentRequests = 10;
// "HubSpot will attempt to re-send failed notifications up to 10 times" (same page, "Retries").
const maxAttempts = 10;
// "your service takes longer than five seconds to send back a response" counts as a failure (same page).
const timeoutMs = 5000;

// The percent-encodings HubSpot decodes in the URI it signs (the v3 section of
// https://developers.hubspot.com/docs/api/webhooks/validating-requests). Written here from the documentation, not
// imported from @port-service/hubspot's verifier: the simulator stands in for HubSpot, so a mistake in the client's
// reading of the rule must fail against it, not be shared by both sides.
const decodedInUri: ReadonlyArray<readonly [RegExp, string]> = [
  [/%3A/giu, ':'],
  [/%2F/giu, '/'],
  [/%3F/giu, '?'],
  [/%40/giu, '@'],
  [/%21/giu, '!'],
  [/%24/giu, '$'],
  [/%27/giu, "'"],
  [/%28/giu, '('],
  [/%29/giu, ')'],
  [/%2A/giu, '*'],
  [/%2C/giu, ','],
  [/%3B/giu, ';'],
];
const signedUri = (url: string) =>
  decodedInUri.reduce((text, [pattern, to]) => text.replace(pattern, to), url);

/**
 * The delivery of one target's events as HubSpot batches them: events queued in the same turn of the event loop (one
 * write, one import) or while all 10 requests are in flight go out together, up to 100 a request, at most 10
 * requests in flight; a request is signed with `X-HubSpot-Signature-v3` over `method + uri + body + timestamp`
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests) and a failed one is sent again with the same
 * events, `attemptNumber` counting from 0, after a jittered backoff.
 */
export function createBatchedDelivery(target: HubSpotWebhookTarget, random: () => number) {
  const queue: WebhookEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let scheduled = false;
  let stopped = false;

  const post = (events: readonly WebhookEvent[], attempt: number): void => {
    if (stopped) return;
    inFlight += 1;
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', target.clientSecret)
      .update(`POST${signedUri(target.url)}${body}${timestamp}`)
      .digest('base64');
    postWebhook(
      target.url,
      body,
      {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
      timeoutMs,
    )
      .then((status) => {
        if (status < 200 || status > 299) throw new Error(String(status));
      })
      .catch(() => retryLater(events, attempt))
      .finally(() => {
        inFlight -= 1;
        flush();
      });
  };

  const retryLater = (events: readonly WebhookEvent[], attempt: number): void => {
    if (stopped || attempt + 1 >= maxAttempts) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        post(events, attempt + 1);
      },
      100 * 2 ** attempt * (0.5 + random()),
    );
    timers.add(timer);
  };

  function flush(): void {
    scheduled = false;
    while (!stopped && queue.length > 0 && inFlight < maxConcurrentRequests)
      post(queue.splice(0, maxEventsPerRequest), 0);
  }

  return {
    /** Queues the events one change made; they leave with whatever else is queued by the next turn. */
    enqueue(events: readonly WebhookEvent[]): void {
      if (stopped || events.length === 0) return;
      queue.push(...events);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    stop(): void {
      stopped = true;
      queue.length = 0;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
