import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the balancer did with the simulators' deliveries. */
export interface BalancerCounts {
  /** Answered 2xx, by the instance that answered. */
  readonly delivered: Map<string, number>;
  /** Answered otherwise or not at all (an instance that was down): the simulator retries. */
  failed: number;
}

export interface WebhookBalancer {
  /** The public URL both simulators deliver to (`CRM_SYNC_PUBLIC_URL`: HubSpot signs the URL it calls). */
  readonly url: string;
  readonly counts: BalancerCounts;
  close(): Promise<void>;
}

const dropped = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A load balancer in front of the `crm-sync serve` instances, as HubSpot and Business NXT see one webhook URL in
 * production: each delivery goes to an instance drawn at random (`random`, seeded), dead or alive. A dead one's
 * connection is refused and the delivery answered 502, so the simulator retries as it does against a real URL
 * (its next attempt is drawn again).
 */
export async function startWebhookBalancer(
  instances: ReadonlyMap<string, string>,
  random: () => number,
): Promise<WebhookBalancer> {
  const counts: BalancerCounts = { delivered: new Map(), failed: 0 };
  const names = [...instances.keys()];
  const server = createServer((request, response) => {
    const name = names[Math.floor(random() * names.length)] ?? '';
    pass(request, response, instances.get(name) ?? '')
      .then((ok) => {
        if (ok) counts.delivered.set(name, (counts.delivered.get(name) ?? 0) + 1);
        else counts.failed += 1;
      })
      .catch(() => {
        counts.failed += 1;
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => stop(server),
  };
}

/** Passes one request on unchanged and answers with the instance's answer; `false` unless it was 2xx. */
async function pass(request: IncomingMessage, response: ServerResponse, target: string): Promise<boolean> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string' && !dropped.has(name)) headers[name] = value;
  const method = request.method ?? 'POST';
  const answer = await fetch(`${target}${request.url ?? '/'}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? null : Buffer.concat(chunks),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await answer.text();
  response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
  response.end(body);
  return answer.ok;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
