import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  receiveHubSpot,
  receiveVisma,
  refusal,
  type WebhookAnswer,
  type WebhookDelivery,
  type WebhookRouteOptions,
  type WebhookSystem,
} from './receive.js';

// HubSpot sends at most 100 events per request; Business NXT one row change. Anything far larger is refused
// without being read into memory.
const maxBodyBytes = 1024 * 1024;

const receivers: Record<string, readonly [WebhookSystem, typeof receiveHubSpot]> = {
  '/webhooks/hubspot': ['hubspot', receiveHubSpot],
  '/webhooks/visma-nxt': ['visma-nxt', receiveVisma],
};

/**
 * `POST /webhooks/hubspot` and `POST /webhooks/visma-nxt` on Node's own request and response, ahead of the web
 * framework: a burst is hundreds of deliveries (Business NXT sends one per changed row), and building a web
 * `Request` with a body stream for each cost about as much CPU as the rest of its handling together (measured in
 * docs/PERFORMANCE.md, "The service"). The body is read raw, the signature verified over it, the events stored and
 * the delivery answered at once; the sync runs later, from the inbox. Returns whether it took the request: every
 * other method and path is left to the caller.
 */
export function webhookIntake(options: WebhookRouteOptions) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'POST') return false;
    const path = (request.url ?? '').split('?', 1)[0] ?? '';
    const receiver = receivers[path];
    if (receiver === undefined) return false;
    const [system, receive] = receiver;
    readBody(request, (rawBody) => {
      if (rawBody === null) {
        const reason = `the body is larger than ${maxBodyBytes} bytes`;
        answer(response, refusal(options, system, 413, 'malformed', reason), true);
        return;
      }
      receive(deliveryOf(request, rawBody), options).then(
        (answered) => answer(response, answered, false),
        (error: unknown) => {
          options.error?.(error, system);
          options.count(system, 'failed');
          answer(response, { status: 500, body: { error: 'failed', reason: 'send it again' } }, false);
        },
      );
    });
    return true;
  };
}

function deliveryOf(request: IncomingMessage, rawBody: string): WebhookDelivery {
  return {
    method: request.method ?? 'POST',
    url: `http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`,
    headers: request.headers,
    rawBody,
  };
}

/** The body as text; `null` once it passes the limit (announced or counted), the rest is read and dropped. */
function readBody(request: IncomingMessage, done: (rawBody: string | null) => void): void {
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) {
    request.resume();
    done(null);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > maxBodyBytes) {
      over = true;
      chunks.length = 0;
      done(null);
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (!over) done(Buffer.concat(chunks).toString('utf8'));
  });
  request.on('error', () => {
    if (!over) request.destroy();
  });
}

function answer(response: ServerResponse, { status, body }: WebhookAnswer, close: boolean): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}
