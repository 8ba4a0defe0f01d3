import { createHmac } from 'node:crypto';

export interface HubSpotWebhookTarget {
  /** The full URL HubSpot calls (signed exactly as given). */
  readonly url: string;
  /** The app's client secret, the signing key of v3 signatures. */
  readonly clientSecret: string;
}

/**
 * Delivers event batches like HubSpot: a JSON array, signed with `X-HubSpot-Signature-v3` over
 * `method + uri + body + timestamp` (https://developers.hubspot.com/docs/api/webhooks/validating-requests),
 * retried with backoff on failure (HubSpot tries up to 10 times), `attemptNumber` counting.
 */
export function createHubSpotWebhookSender(
  targets: HubSpotWebhookTarget[],
  random: () => number,
  portalId: number,
) {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let nextEventId = 100;
  const send = (target: HubSpotWebhookTarget, events: Array<Record<string, unknown>>, attempt: number) => {
    if (stopped) return;
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', target.clientSecret)
      .update(`POST${target.url}${body}${timestamp}`)
      .digest('base64');
    fetch(target.url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
      signal: AbortSignal.timeout(5000),
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
      })
      .catch(() => {
        if (attempt + 1 >= 10) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            send(target, events, attempt + 1);
          },
          100 * 2 ** attempt * (0.5 + random()),
        );
        timers.add(timer);
      });
  };
  return {
    notify(event: Record<string, unknown>): void {
      const full = {
        eventId: nextEventId++,
        subscriptionId: 1,
        portalId,
        appId: 7654321,
        occurredAt: Date.now(),
        changeSource: 'CRM',
        ...event,
      };
      for (const target of targets) send(target, [full], 0);
    },
    add(target: HubSpotWebhookTarget): void {
      targets.push(target);
    },
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
