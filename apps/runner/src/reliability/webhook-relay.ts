import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery, WebhookSystem } from './webhook-signing.js';

/**
 * What the relay does with a simulator's delivery: `forward` it to the service and answer with the service's
 * answer; `hold` it (answered 200, kept for the test to post later, in any order, any number of times); `drop` it
 * (answered 200, never passed on: a lost delivery, as if the subscription were gone); `fail` it (answered 503, so the
 * simulator retries until it gives up).
 */
export type RelayMode = 'forward' | 'hold' | 'drop' | 'fail';

export interface PostAnswer {
  readonly status: number;
  readonly body: string;
}

export interface WebhookRelay {
  /** The public URL the simulators call (`CRM_SYNC_PUBLIC_URL`): HubSpot signs its URLs under it. */
  readonly url: string;
  /** The service's own URL, set once it listens (again after a restart). */
  target: string | null;
  readonly mode: Record<WebhookSystem, RelayMode>;
  /** Every delivery the simulators made, in arrival order. */
  readonly received: Delivery[];
  /** Deliveries kept in `hold` mode, not yet taken. */
  readonly held: Delivery[];
  /** How many deliveries `drop` and `fail` kept from the service. */
  readonly lost: Record<'dropped' | 'failed', number>;
  /** Posts a delivery to the service as it is (headers and raw body). */
  post(delivery: Delivery): Promise<PostAnswer>;
  /** Takes the held deliveries (clearing the list). */
  take(): Delivery[];
  /** Requests under way (arriving or being posted on), and when the last one ended. */
  readonly activity: { inFlight: number; lastAt: number };
  close(): Promise<void>;
}

const systems: Record<string, WebhookSystem | undefined> = {
  '/webhooks/hubspot': 'hubspot',
  '/webhooks/visma-nxt': 'visma-nxt',
};

/**
 * A reverse proxy between the simulators' webhook senders and `crm-sync serve`, the way one stands in front of the
 * service in production, that can also duplicate, reorder, withhold and fail deliveries. It passes each request on
 * unchanged: HubSpot signs the URL it calls, which is the relay's, so the service is told it
 * (`CRM_SYNC_PUBLIC_URL`, https://developers.hubspot.com/docs/api/webhooks/validating-requests).
 */
export async function startWebhookRelay(): Promise<WebhookRelay> {
  const activity = { inFlight: 0, lastAt: Date.now() };
  const held: Delivery[] = [];
  const lost = { dropped: 0, failed: 0 };
  const relay = {
    url: '',
    target: null as string | null,
    mode: { hubspot: 'forward', 'visma-nxt': 'forward' } as Record<WebhookSystem, RelayMode>,
    received: [] as Delivery[],
    held,
    lost,
    activity,
    async post(delivery: Delivery): Promise<PostAnswer> {
      if (relay.target === null) return { status: 503, body: 'the service is not listening yet' };
      activity.inFlight += 1;
      try {
        const answer = await fetch(`${relay.target}${delivery.path}`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(20_000),
        });
        return { status: answer.status, body: await answer.text() };
      } catch (error) {
        return { status: 599, body: String(error) };
      } finally {
        activity.inFlight -= 1;
        activity.lastAt = Date.now();
      }
    },
    take: () => held.splice(0, held.length),
    close: async () => {},
  };
  const server = createServer((request, response) => {
    activity.inFlight += 1;
    receive(request, response, relay)
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      })
      .finally(() => {
        activity.inFlight -= 1;
        activity.lastAt = Date.now();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.close = () => stop(server);
  return relay;
}

async function receive(request: IncomingMessage, response: ServerResponse, relay: WebhookRelay) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const system = systems[path];
  if (system === undefined || request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
      headers[name] = value;
  const delivery: Delivery = {
    system,
    path: path as Delivery['path'],
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
  relay.received.push(delivery);
  const mode = relay.mode[system];
  if (mode === 'fail') {
    relay.lost.failed += 1;
    response.writeHead(503).end();
    return;
  }
  if (mode === 'drop') relay.lost.dropped += 1;
  if (mode === 'hold') relay.held.push(delivery);
  if (mode !== 'forward') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  const answer = await relay.post(delivery);
  response.writeHead(answer.status === 599 ? 502 : answer.status, { 'content-type': 'application/json' });
  response.end(answer.body);
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
