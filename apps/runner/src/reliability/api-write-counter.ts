import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Write requests one simulator received, by the path or operation that made them. */
export interface WriteCount {
  total: number;
  readonly byKind: Map<string, number>;
}

/** One write request as it arrived: which system, what made it, and when (`Date.now()`). */
export interface ApiWrite {
  readonly system: 'hubspot' | 'visma-nxt';
  readonly kind: string;
  readonly at: number;
}

export interface ApiWriteCounter {
  /** Point `HUBSPOT_BASE_URL` here. */
  readonly hubspotUrl: string;
  /** Point `VISMA_GRAPHQL_URL` here. */
  readonly vismaGraphqlUrl: string;
  readonly hubspot: WriteCount;
  readonly vismaNxt: WriteCount;
  /** Both counts as one line, for a failure message. */
  describe(): string;
  close(): Promise<void>;
}

// HubSpot's reads that are POSTs: searches (https://developers.hubspot.com/docs/api/crm/search) and batch reads
// (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects).
const hubSpotReads = [/\/search$/u, /\/batch\/read$/u];

/** A HubSpot request that writes: any method but GET, except the searches and batch reads. */
function hubSpotWriteKind(method: string, path: string): string | null {
  if (method === 'GET' || method === 'HEAD') return null;
  if (hubSpotReads.some((pattern) => pattern.test(path))) return null;
  return `${method} ${path.replace(/\/\d+(?=\/|$)/gu, '/{id}')}`;
}

/**
 * The mutations of a Business NXT GraphQL request (one operation or a batch,
 * https://docs.vismasoftware.no/businessnxtapi/features/batches): each operation whose document is a `mutation`.
 */
function vismaWriteKinds(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const operations = Array.isArray(parsed) ? parsed : [parsed];
  return operations.flatMap((operation) => {
    const query = (operation as { query?: unknown } | null)?.query;
    if (typeof query !== 'string' || !/^\s*mutation\b/u.test(query)) return [];
    return [/^\s*mutation\s+(\w+)/u.exec(query)?.[1] ?? 'mutation'];
  });
}

const add = (count: WriteCount, kind: string) => {
  count.total += 1;
  count.byKind.set(kind, (count.byKind.get(kind) ?? 0) + 1);
};

/**
 * A pass-through in front of both simulators' APIs that counts the write requests the sync sends them: what "no
 * extra writes" is measured with, at the simulators' door rather than in the sync's own report. Everything is
 * forwarded unchanged, answers included.
 */
export async function startApiWriteCounter(upstream: {
  readonly hubspotBaseUrl: string;
  readonly vismaGraphqlUrl: string;
  /** Told of each write as it arrives (the failover suite times them against the leaders' terms). */
  readonly onWrite?: (write: ApiWrite) => void;
}): Promise<ApiWriteCounter> {
  const hubspot: WriteCount = { total: 0, byKind: new Map() };
  const vismaNxt: WriteCount = { total: 0, byKind: new Map() };
  const hubspotOrigin = new URL(upstream.hubspotBaseUrl).origin;
  const vismaOrigin = new URL(upstream.vismaGraphqlUrl).origin;
  const hubspotServer = await listen((request) => {
    const kind = hubSpotWriteKind(request.method ?? 'GET', (request.url ?? '/').split('?')[0] ?? '/');
    if (kind !== null) add(hubspot, kind);
    if (kind !== null) upstream.onWrite?.({ system: 'hubspot', kind, at: Date.now() });
    return hubspotOrigin;
  });
  const vismaServer = await listen((_request, body) => {
    for (const kind of vismaWriteKinds(body.toString('utf8'))) {
      add(vismaNxt, kind);
      upstream.onWrite?.({ system: 'visma-nxt', kind, at: Date.now() });
    }
    return vismaOrigin;
  });
  const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const line = (count: WriteCount) =>
    `${count.total} (${[...count.byKind].map(([kind, n]) => `${kind} ×${n}`).join(', ') || 'none'})`;
  return {
    hubspotUrl: origin(hubspotServer),
    vismaGraphqlUrl: `${origin(vismaServer)}${new URL(upstream.vismaGraphqlUrl).pathname}`,
    hubspot,
    vismaNxt,
    describe: () => `HubSpot writes ${line(hubspot)}; Business NXT writes ${line(vismaNxt)}`,
    close: async () => {
      await Promise.all([close(hubspotServer), close(vismaServer)]);
    },
  };
}

/** A server that forwards every request to the origin `route` names (after counting it). */
function listen(route: (request: IncomingMessage, body: Buffer) => string): Promise<Server> {
  const server = createServer((request, response) => {
    forward(request, response, route).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`the write counter could not reach the simulator: ${String(error)}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const hopByHop = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  route: (request: IncomingMessage, body: Buffer) => string,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const target = route(request, body);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (!hopByHop.has(name) && typeof value === 'string') headers.set(name, value);
  const method = request.method ?? 'GET';
  const answer = await fetch(`${target}${request.url ?? '/'}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? null : body,
  });
  const payload = Buffer.from(await answer.arrayBuffer());
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!hopByHop.has(name) && name !== 'content-encoding') out[name] = value;
  });
  response.writeHead(answer.status, out);
  response.end(payload);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
