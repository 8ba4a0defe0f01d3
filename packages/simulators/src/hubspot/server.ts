import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFaults,
  dropAnswer,
  type FaultKind,
  type FaultSettings,
  faultKinds,
  injectTransportFault,
} from '../shared/faults.js';
import { parseJson, readBody, sendJson } from '../shared/http.js';
import { seededRandom } from '../shared/random.js';
import { createRateWindow } from '../shared/rate-window.js';
import { importUpdates } from './admin-import.js';
import { generateCompanies } from './generator.js';
import { modifiedProperty, type ObjectType } from './properties.js';
import { sendError, serialize } from './responses.js';
import { changesData, datedVersion, isSearch, parseRoute, requiredScope } from './routes.js';
import { handleAssociations } from './routes-associations.js';
import { handleObjects, mergeObjects } from './routes-objects.js';
import { handleProperties } from './routes-properties.js';
import { type HubSpotRecord, HubSpotStore } from './store.js';
import { type PortalValidationRules, parseRules } from './validation.js';
import { createHubSpotWebhookSender, type HubSpotWebhookTarget } from './webhooks.js';

export interface HubSpotSimulatorOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly seed?: number | undefined;
  /** Companies to generate, each with 0–3 contacts. Default 0. */
  readonly companies?: number | undefined;
  readonly accessToken?: string | undefined;
  /** The account's portal id (Hub ID): in the account details and in every webhook event. Default 1234567. */
  readonly portalId?: number | undefined;
  /**
   * Scopes the token has; a call needing another answers 403 MISSING_SCOPES. Default: every CRM scope. Settable
   * while running (`POST /admin/settings {scopes}`, `null` for every scope).
   */
  readonly scopes?: readonly string[] | undefined;
  /** Requests per rolling window (100 / 10 s by default: Free/Starter; 190, 250 on larger plans). */
  readonly perTenSeconds?: number | undefined;
  /** The rolling window; 10 s as at HubSpot, shorter to compress time in benchmarks. */
  readonly windowMs?: number | undefined;
  readonly dailyLimit?: number | undefined;
  /** Search requests per second (5 per account). */
  readonly searchPerSecond?: number | undefined;
  /** Writes reach search only after this lag. Default 0. Settable while running (`POST /admin/settings`). */
  readonly searchLagMs?: number | undefined;
  /**
   * The portal's validation rules (a required property, a pattern), enforced on the 2026-09 paths' creates and
   * updates. Replaceable while running (`POST /admin/validation-rules`).
   */
  readonly validationRules?: PortalValidationRules | undefined;
  readonly responseDelayMs?: number | undefined;
  readonly faults?: FaultSettings | undefined;
  readonly webhooks?: readonly HubSpotWebhookTarget[] | undefined;
  readonly now?: (() => number) | undefined;
}

export interface HubSpotSimulatorStats {
  requests: number;
  searches: number;
  rateLimited: number;
  daily: number;
  faults: Partial<Record<FaultKind, number>>;
  /**
   * Requests per API family and version: `crm/objects/2026-09`, `crm/v3/objects`, `crm/v4/associations`,
   * `crm/associations/2026-09`, `crm/properties/2026-09`, `account-info/2026-03`…
   */
  byApi: Record<string, number>;
}

export interface HubSpotSimulator {
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly portalId: number;
  readonly adminUrl: string;
  readonly store: HubSpotStore;
  readonly stats: HubSpotSimulatorStats;
  setFaults(settings: FaultSettings): void;
  /** Revokes the token (a key rotated or deleted in HubSpot): every call with the old one answers 401 from now on. */
  rotateToken(next: string): void;
  close(): Promise<void>;
}

const objectTypes = new Set<ObjectType>(['companies', 'contacts']);

/** Which API versions the simulator serves per family: 2026-09 and the legacy ones HubSpot's Node SDK still calls. */
const served: Record<string, readonly string[]> = {
  'crm/objects': ['v3', 'v4', datedVersion],
  'crm/associations': ['v4', datedVersion],
  'crm/properties': ['v3', datedVersion],
};

/**
 * A local HubSpot CRM (companies, contacts, associations, properties, search) on HubSpot's date-based API version
 * 2026-09 (`/crm/objects/2026-09/…`, `/crm/associations/2026-09/…`, `/crm/properties/2026-09/…`) and on the legacy
 * v3/v4 paths, with HubSpot's documented semantics, limits, faults and v3-signed webhooks, plus an admin surface for
 * tests (not part of HubSpot).
 */
export async function startHubSpotSimulator(
  options: HubSpotSimulatorOptions = {},
): Promise<HubSpotSimulator> {
  const now = options.now ?? Date.now;
  const random = seededRandom(options.seed ?? 1);
  let accessToken = options.accessToken ?? 'pat-na1-simulator-token';
  const portalId = options.portalId ?? 1234567;
  const store = new HubSpotStore(now, options.searchLagMs ?? 0);
  generateCompanies(store, options.companies ?? 0, options.seed ?? 1);
  const windowMs = options.windowMs ?? 10_000;
  const burst = createRateWindow(windowMs, now);
  const search = createRateWindow(1000, now);
  const faults = createFaults(options.faults ?? { rate: 0 }, random, faultKinds);
  const webhooks = createHubSpotWebhookSender([...(options.webhooks ?? [])], random, portalId, now);
  const stats: HubSpotSimulatorStats = {
    requests: 0,
    searches: 0,
    rateLimited: 0,
    daily: 0,
    faults: {},
    byApi: {},
  };
  let scopes: readonly string[] | null = options.scopes ?? null;
  let rules: PortalValidationRules = options.validationRules ?? {};
  const limit = options.perTenSeconds ?? 100;
  const dailyLimit = options.dailyLimit ?? 250_000;
  const fault = (
    kind: Exclude<FaultKind, 'reset-after-write'>,
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
    if (kind === '429') {
      sendError(response, 429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      });
      return;
    }
    if (kind === '423') {
      sendError(response, 423, 'LOCKED', 'The resource is locked; try again in a few seconds.');
      return;
    }
    if (kind === '477') {
      sendError(
        response,
        477,
        'MIGRATION_IN_PROGRESS',
        'This portal is being migrated; try again later.',
        {},
        { 'retry-after': '2' },
      );
      return;
    }
    injectTransportFault(
      kind,
      request,
      response,
      faults.settings,
      '{"results": [{"id": "1", "properties": {',
    );
  };

  const api = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    stats.requests += 1;
    const route = parseRoute(url.pathname);
    stats.byApi[route.key] = (stats.byApi[route.key] ?? 0) + 1;
    const body = parseJson((await readBody(request)) || '{}');
    if ((request.headers.authorization ?? '') !== `Bearer ${accessToken}`) {
      return sendError(
        response,
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const needed = requiredScope(route, request.method ?? 'GET');
    if (scopes && needed !== null && !scopes.includes(needed)) {
      return sendError(
        response,
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call.",
        {
          errors: [
            {
              message: 'One or more of the following scopes are required.',
              context: { requiredGranularScopes: [needed] },
            },
          ],
        },
      );
    }
    // Search bodies are capped at 3,000 characters (https://developers.hubspot.com/docs/api-reference/search/guide).
    if (isSearch(route) && body.ok && JSON.stringify(body.value).length > 3000) {
      return sendError(
        response,
        400,
        'VALIDATION_ERROR',
        'The search request body may be at most 3000 characters',
      );
    }
    if (isSearch(route)) {
      stats.searches += 1;
      const allowed = search.take('account', options.searchPerSecond ?? 5);
      if (!allowed.ok) {
        stats.rateLimited += 1;
        return sendError(response, 429, 'RATE_LIMITS', 'You have reached your secondly limit.', {
          errorType: 'RATE_LIMIT',
        });
      }
    } else {
      if (stats.daily >= dailyLimit) {
        return sendError(response, 429, 'RATE_LIMITS', 'You have reached your daily limit.', {
          errorType: 'RATE_LIMIT',
          policyName: 'DAILY',
        });
      }
      const allowed = burst.take('app', limit);
      if (!allowed.ok) {
        stats.rateLimited += 1;
        return sendError(response, 429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        });
      }
      stats.daily += 1;
      response.setHeader('x-hubspot-ratelimit-daily', String(dailyLimit));
      response.setHeader('x-hubspot-ratelimit-daily-remaining', String(dailyLimit - stats.daily));
      response.setHeader('x-hubspot-ratelimit-interval-milliseconds', String(windowMs));
      response.setHeader('x-hubspot-ratelimit-max', String(limit));
      response.setHeader('x-hubspot-ratelimit-remaining', String(allowed.remaining));
    }
    const drawn = faults.draw();
    if (drawn === 'reset-after-write') {
      if (changesData(route, request.method ?? 'GET')) {
        stats.faults[drawn] = (stats.faults[drawn] ?? 0) + 1;
        dropAnswer(request, response);
      }
    } else if (drawn !== null) return fault(drawn, request, response);
    if (!body.ok) return sendError(response, 400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1');
    if (options.responseDelayMs) await new Promise((resolve) => setTimeout(resolve, options.responseDelayMs));
    const json = (typeof body.value === 'object' && body.value !== null ? body.value : {}) as Record<
      string,
      unknown
    >;
    const method = request.method ?? 'GET';
    const { family, version, rest, dateBased } = route;
    // Account details, date-based and legacy:
    // https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details
    if (family === 'account-info' && (version === '2026-03' || version === 'v3') && rest[0] === 'details') {
      if (method !== 'GET' || rest.length !== 1)
        return sendError(response, 404, 'OBJECT_NOT_FOUND', `No route ${method} ${url.pathname}`);
      return sendJson(response, 200, {
        portalId,
        accountType: 'STANDARD',
        timeZone: 'Europe/Oslo',
        companyCurrency: 'NOK',
        additionalCurrencies: [],
        utcOffset: '+01:00',
        utcOffsetMilliseconds: 3_600_000,
        uiDomain: 'app-eu1.hubspot.com',
        dataHostingLocation: 'eu1',
      });
    }
    if (!served[family]?.includes(version))
      return sendError(response, 404, 'OBJECT_NOT_FOUND', `No route ${method} ${url.pathname}`);
    const [type, ...after] = rest;
    const objectType = objectTypes.has(type as ObjectType) ? (type as ObjectType) : null;
    // One record's associations: `/crm/{v4/objects|objects/2026-09}/{type}/{id}/associations/…`.
    if (family === 'crm/objects' && version !== 'v3' && after[1] === 'associations')
      return handleAssociations(
        store,
        { dateBased, area: 'objects', parts: rest },
        method,
        body.value,
        response,
        (change) => webhooks.associationChanged(change),
      );
    if (family === 'crm/associations')
      return handleAssociations(
        store,
        { dateBased, area: 'associations', parts: rest },
        method,
        body.value,
        response,
        (change) => webhooks.associationChanged(change),
      );
    if (family === 'crm/objects' && version !== 'v4' && objectType)
      return handleObjects(
        { store, now, webhooks, dateBased, rules },
        objectType,
        after,
        method,
        url.searchParams,
        json,
        response,
      );
    if (family === 'crm/properties' && objectType)
      return handleProperties(store, objectType, after, method, json, response, now, dateBased);
    sendError(response, 404, 'OBJECT_NOT_FOUND', `No route ${method} ${url.pathname}`);
  };

  const admin = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const body = parseJson((await readBody(request)) || '{}');
    const json = (
      body.ok && typeof body.value === 'object' && body.value !== null ? body.value : {}
    ) as Record<string, unknown>;
    const [, , type, id, action] = url.pathname.split('/');
    if (url.pathname === '/admin/stats') return sendJson(response, 200, stats);
    if (url.pathname === '/admin/seed') {
      generateCompanies(store, Number(json.companies ?? 0), Number(json.seed ?? options.seed ?? 1));
      return sendJson(response, 200, {
        companies: store.records.companies.size,
        contacts: store.records.contacts.size,
      });
    }
    if (url.pathname === '/admin/faults') {
      faults.set({
        rate: Number(json.rate ?? 0),
        kinds: Array.isArray(json.kinds) ? (json.kinds as FaultKind[]) : undefined,
      });
      return sendJson(response, 200, faults.settings);
    }
    if (url.pathname === '/admin/webhooks') {
      webhooks.add({ url: String(json.url), clientSecret: String(json.clientSecret) });
      return sendJson(response, 201, { url: json.url });
    }
    // `{searchLagMs?, scopes?}`: the search index lag (for writes from now on) and the token's scopes (`null`: all).
    if (url.pathname === '/admin/settings' && request.method === 'POST') {
      const lag = json.searchLagMs;
      const given = json.scopes;
      if (lag !== undefined && (typeof lag !== 'number' || !Number.isFinite(lag) || lag < 0))
        return sendJson(response, 400, { error: 'searchLagMs must be a number of milliseconds, 0 or more' });
      if (
        given !== undefined &&
        given !== null &&
        !(Array.isArray(given) && given.every((scope) => typeof scope === 'string'))
      )
        return sendJson(response, 400, {
          error: 'scopes must be a list of scope names, or null for every scope',
        });
      if (typeof lag === 'number') store.searchLagMs = lag;
      if (given !== undefined) scopes = given as string[] | null;
      return sendJson(response, 200, { searchLagMs: store.searchLagMs, scopes });
    }
    // `{companies?: [...], contacts?: [...]}`: replaces the portal's validation rules (enforced on 2026-09).
    if (url.pathname === '/admin/validation-rules' && request.method === 'POST') {
      const parsed = body.ok ? parseRules(body.value) : 'Invalid JSON';
      if (typeof parsed === 'string') return sendJson(response, 400, { error: parsed });
      rules = parsed;
      return sendJson(response, 200, rules);
    }
    if (objectTypes.has(type as ObjectType)) {
      const objectType = type as ObjectType;
      const known = new Set(store.properties[objectType].keys());
      const everything = (record: HubSpotRecord) => serialize(record, [...known], known);
      if (id === undefined && request.method === 'GET')
        return sendJson(response, 200, [...store.records[objectType].values()].map(everything));
      if (id === undefined && request.method === 'POST') {
        const created = store.create(objectType, json as Record<string, string>);
        webhooks.notify(objectType, 'creation', created, {}, 'CRM_UI');
        return sendJson(response, 201, everything(created));
      }
      // An import that updates many records "as a user in HubSpot" (`{inputs: [{id, properties}]}`): each
      // record changes as one edit would, and the events go out batched (webhook-batches.ts), `IMPORT` as source.
      if (id === 'batch' && action === 'update' && request.method === 'POST') {
        const updated = importUpdates(store, objectType, json.inputs);
        if (typeof updated === 'string') return sendJson(response, 400, { error: updated });
        for (const { record, before } of updated)
          webhooks.propertyChanges(objectType, record, before, 'IMPORT');
        return sendJson(response, 200, { updated: updated.length });
      }
      const record = id === undefined ? undefined : store.records[objectType].get(id);
      if (record === undefined) return sendJson(response, 404, { error: 'not found' });
      // Edits "as a user in HubSpot": the modified date moves and webhooks fire.
      if (action === undefined && request.method === 'PATCH') {
        const before = new Map(record.properties);
        store.update(record, json as Record<string, string>);
        webhooks.propertyChanges(objectType, record, before, 'CRM_UI');
        return sendJson(response, 200, everything(record));
      }
      if (action === 'archive' && request.method === 'POST') {
        store.archive(record);
        webhooks.notify(objectType, 'deletion', record, {}, 'CRM_UI');
        return sendJson(response, 200, everything(record));
      }
      // A restore from the recycle bin "as a user in HubSpot" (the API has none): 409 when it cannot be restored.
      if (action === 'restore' && request.method === 'POST') {
        if (!record.archived)
          return sendJson(response, 409, { error: `${type} ${record.id} is not archived` });
        try {
          store.restore(record);
        } catch (error) {
          return sendJson(response, 409, { error: error instanceof Error ? error.message : String(error) });
        }
        webhooks.notify(objectType, 'restore', record, {}, 'CRM_UI');
        return sendJson(response, 200, everything(record));
      }
      // A merge "as a user in HubSpot": the same as the API's (a new record with a new id), event included.
      if (action === 'merge' && request.method === 'POST') {
        const merged = mergeObjects({ store, webhooks }, objectType, record.id, String(json.objectIdToMerge));
        if (merged === null) return sendJson(response, 404, { error: 'both records must exist and be live' });
        return sendJson(response, 200, everything(merged));
      }
      if (action === undefined && request.method === 'GET')
        return sendJson(response, 200, {
          ...everything(record),
          modified: record.properties.get(modifiedProperty[objectType]),
        });
    }
    sendJson(response, 404, { error: 'not_found', path: url.pathname });
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handle = url.pathname.startsWith('/admin/') ? admin : api;
    handle(request, response, url).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { status: 'error', message: String(error), category: 'INTERNAL_ERROR' });
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const origin = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    accessToken,
    portalId,
    adminUrl: `${origin}/admin`,
    store,
    stats,
    setFaults: (settings) => faults.set(settings),
    rotateToken: (next) => {
      accessToken = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        webhooks.stop();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
