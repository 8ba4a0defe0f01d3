import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionResult, execute, GraphQLError, getOperationAST, parse, validate } from 'graphql';
import {
  createFaults,
  dropAnswer,
  type FaultKind,
  type FaultSettings,
  injectTransportFault,
} from '../shared/faults.js';
import { parseJson, readBody, sendJson, sendText } from '../shared/http.js';
import { seededRandom } from '../shared/random.js';
import { createRateWindow } from '../shared/rate-window.js';
import { handleAdmin } from './admin.js';
import { generateAssociates } from './generator.js';
import { createRootValue, type RequestContext } from './resolvers.js';
import { schemaWithout } from './schema.js';
import { CompanyStore } from './store.js';
import { createWebhookSender, type WebhookTarget } from './webhooks.js';

export interface VismaNxtSimulatorOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  /** Seeds the generated data and the fault draws. Default 1. */
  readonly seed?: number | undefined;
  /** Customers to generate (each with 0–3 contact persons). Default 0. */
  readonly customers?: number | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  /** The granted company (Visma.net company id). Default 9112233. */
  readonly companyNo?: number | undefined;
  readonly tokenTtlSeconds?: number | undefined;
  /** Business NXT allows 600 requests a minute per token. */
  readonly requestsPerMinute?: number | undefined;
  /** The rate window; 60 s as in Business NXT, shorter to compress time in benchmarks. */
  readonly rateWindowMs?: number | undefined;
  /** Requests in progress per company; Business NXT allows 60. */
  readonly maxOutstanding?: number | undefined;
  readonly responseDelayMs?: number | undefined;
  /** Largest page served. Business NXT's is UNCONFIRMED; 500 is what public clients ask for. */
  readonly maxPageSize?: number | undefined;
  readonly faults?: FaultSettings | undefined;
  readonly webhooks?: readonly WebhookTarget[] | undefined;
  /** The simulator's clock, for tests. */
  readonly now?: (() => Date) | undefined;
  /**
   * The server's IANA time zone: `DateTime` values are its local time, without a zone, daylight saving included.
   * Default `Europe/Oslo`.
   */
  readonly timeZone?: string | undefined;
  /**
   * `Associate` columns the served schema lacks (e.g. `['contactPersonForAssociateNo']`): a live schema unlike the
   * client's assumptions, for tests of the schema check (`crm-sync doctor`). Rows keep their values.
   */
  readonly dropColumns?: readonly string[] | undefined;
}

export interface SimulatorStats {
  requests: number;
  tokenRequests: number;
  rateLimited: number;
  outstandingRejected: number;
  faults: Partial<Record<FaultKind, number>>;
  operations: number;
}

export interface VismaNxtSimulator {
  readonly tokenUrl: string;
  readonly graphqlUrl: string;
  readonly adminUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly companyNo: number;
  readonly store: CompanyStore;
  readonly stats: SimulatorStats;
  setFaults(settings: FaultSettings): void;
  close(): Promise<void>;
}

const unauthorizedHtml =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const serviceScope = 'business-graphql-service-api:access-group-based';
const maxBatch = 32;

/** Whether a request (one operation or a batch) holds a mutation. */
function hasMutation(body: unknown): boolean {
  return (Array.isArray(body) ? body : [body]).some((operation) => {
    const { query, operationName } = (operation ?? {}) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return false;
    try {
      const name = typeof operationName === 'string' ? operationName : null;
      return getOperationAST(parse(query), name)?.operation === 'mutation';
    } catch {
      return false;
    }
  });
}

/**
 * A local Business NXT: Visma Connect's token endpoint and the GraphQL service, with the documented limits,
 * injectable faults, signed webhooks, and an admin surface for tests (not part of the real API).
 */
export async function startVismaNxtSimulator(
  options: VismaNxtSimulatorOptions = {},
): Promise<VismaNxtSimulator> {
  const now = options.now ?? (() => new Date());
  const schema = schemaWithout(options.dropColumns ?? []);
  const random = seededRandom(options.seed ?? 1);
  const clientId = options.clientId ?? 'port-service-sync';
  const clientSecret = options.clientSecret ?? 'simulator-secret';
  const companyNo = options.companyNo ?? 9112233;
  const store = new CompanyStore(now, options.timeZone ?? 'Europe/Oslo');
  generateAssociates(store, options.customers ?? 0, options.seed ?? 1);
  const companies = new Map([[companyNo, { name: 'Port-Service Øst AS', store }]]);
  const root = createRootValue({ companies, customerNo: 1234567, maxPageSize: options.maxPageSize ?? 5000 });
  const tokens = new Map<string, number>();
  const rate = createRateWindow(options.rateWindowMs ?? 60_000, () => now().getTime());
  // Business NXT answers neither 423 nor 477.
  const faults = createFaults(options.faults ?? { rate: 0 }, random, [
    '429',
    '500',
    '502',
    '503',
    'timeout',
    'reset',
    'malformed-json',
  ]);
  const webhooks = createWebhookSender(options.webhooks ?? [], random);
  const stats: SimulatorStats = {
    requests: 0,
    tokenRequests: 0,
    rateLimited: 0,
    outstandingRejected: 0,
    faults: {},
    operations: 0,
  };
  let outstanding = 0;

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    stats.tokenRequests += 1;
    const form = new URLSearchParams(await readBody(request));
    const basic = /^Basic (.+)$/iu.exec(request.headers.authorization ?? '');
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic[1] ?? '', 'base64')
          .toString('utf8')
          .split(':')
      : [];
    const id = form.get('client_id') ?? basicId;
    const secret = form.get('client_secret') ?? basicSecret;
    if (form.get('grant_type') !== 'client_credentials')
      return sendJson(response, 400, { error: 'unsupported_grant_type' });
    if (id !== clientId || secret !== clientSecret)
      return sendJson(response, 401, { error: 'invalid_client' });
    const scopes = (form.get('scope') ?? '').split(' ');
    if (!scopes.includes(serviceScope)) return sendJson(response, 400, { error: 'invalid_scope' });
    const accessToken = randomUUID();
    const ttl = options.tokenTtlSeconds ?? 3600;
    tokens.set(accessToken, now().getTime() + ttl * 1000);
    sendJson(response, 200, {
      access_token: accessToken,
      expires_in: ttl,
      token_type: 'Bearer',
      scope: serviceScope,
    });
  };

  const runOperation = async (
    body: unknown,
  ): Promise<ExecutionResult & { extensions?: Record<string, unknown> }> => {
    stats.operations += 1;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { query?: unknown }).query !== 'string'
    ) {
      return { errors: [new GraphQLError('Request must have a "query" string.')] };
    }
    const { query, variables, operationName } = body as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return { errors: invalid };
    const operation = getOperationAST(document, operationName ?? null);
    if (!operation)
      return { errors: [new GraphQLError('Could not determine which operation to run (operationName).')] };
    // Only the configured application can get a token, so every write is its own.
    const context: RequestContext = { rowErrors: [], warnings: [], changes: [], user: clientId };
    const rootValue = operation.operation === 'mutation' ? { useCompany: root.mutationUseCompany } : root;
    const result = await execute({
      schema,
      document,
      rootValue,
      contextValue: context,
      variableValues: variables ?? {},
      operationName,
    });
    for (const change of context.changes) webhooks.notify({ ...change, timestamp: now().toISOString() });
    const errors = [...(result.errors ?? []), ...context.rowErrors];
    return {
      ...result,
      ...(errors.length > 0 ? { errors } : {}),
      ...(context.warnings.length > 0 ? { extensions: { warnings: context.warnings } } : {}),
    };
  };

  const injectFault = (
    kind: Exclude<FaultKind, 'reset-after-write'>,
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
    if (kind === '429') {
      sendText(response, 429, 'Too Many Requests');
      return;
    }
    injectTransportFault(
      kind,
      request,
      response,
      faults.settings,
      '{"data": {"useCompany": {"associate": {"totalCount": 1, "items": [',
    );
  };

  const graphql = async (request: IncomingMessage, response: ServerResponse) => {
    stats.requests += 1;
    const bearer = /^Bearer (.+)$/iu.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = bearer === undefined ? undefined : tokens.get(bearer);
    if (bearer === undefined || expiresAt === undefined || expiresAt <= now().getTime()) {
      await readBody(request);
      return sendText(response, 401, unauthorizedHtml, 'text/html');
    }
    const allowed = rate.take(bearer, options.requestsPerMinute ?? 600);
    if (!allowed.ok) {
      stats.rateLimited += 1;
      await readBody(request);
      response.writeHead(429, {
        'content-type': 'text/plain',
        'retry-after': String(Math.max(1, Math.ceil(allowed.retryAfterMs / 1000))),
      });
      return response.end('API rate limit exceeded');
    }
    const fault = faults.draw();
    if (fault !== null && fault !== 'reset-after-write') {
      await readBody(request);
      return injectFault(fault, request, response);
    }
    const parsed = parseJson(await readBody(request));
    if (!parsed.ok)
      return sendJson(response, 400, { errors: [{ message: 'The request body is not JSON.' }] });
    if (fault === 'reset-after-write' && hasMutation(parsed.value)) {
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
      dropAnswer(request, response);
    }
    if (outstanding >= (options.maxOutstanding ?? 60)) {
      stats.outstandingRejected += 1;
      const limit = options.maxOutstanding ?? 60;
      const error = {
        message: `Company ${companyNo} has ${limit} requests in progress. Limit is ${limit}.`,
        extensions: { code: 'OUTSTANDING_LIMIT_EXCEEDED', limit },
      };
      return sendJson(
        response,
        200,
        Array.isArray(parsed.value) ? parsed.value.map(() => ({ errors: [error] })) : { errors: [error] },
      );
    }
    outstanding += 1;
    try {
      if (options.responseDelayMs)
        await new Promise((resolve) => setTimeout(resolve, options.responseDelayMs));
      if (Array.isArray(parsed.value)) {
        if (parsed.value.length > maxBatch) {
          return sendJson(response, 400, {
            errors: [{ message: `A batch request can contain at most ${maxBatch} operations.` }],
          });
        }
        const results = [];
        for (const operation of parsed.value) results.push(await runOperation(operation));
        return sendJson(response, 200, results);
      }
      return sendJson(response, 200, await runOperation(parsed.value));
    } finally {
      outstanding -= 1;
    }
  };

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const handle = async () => {
      if (request.method === 'POST' && path === '/connect/token') return token(request, response);
      if (request.method === 'POST' && (path === '/api/graphql-service' || path === '/api/graphql'))
        return graphql(request, response);
      if (path.startsWith('/admin/'))
        return handleAdmin(request, response, {
          store,
          stats,
          faults,
          webhooks,
          seed: options.seed ?? 1,
          companyNo,
        });
      sendJson(response, 404, { error: 'not_found', path });
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: 'simulator_error', message: String(error) });
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    tokenUrl: `${origin}/connect/token`,
    graphqlUrl: `${origin}/api/graphql-service`,
    adminUrl: `${origin}/admin`,
    clientId,
    clientSecret,
    companyNo,
    store,
    stats,
    setFaults: (settings) => faults.set(settings),
    close: () =>
      new Promise<void>((resolve, reject) => {
        webhooks.stop();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
