import ky from 'ky';
import { ResultAsync } from 'neverthrow';
import pLimit from 'p-limit';
import { createAccountApi } from './account.js';
import { apiPaths, defaultApiVersion, type HubSpotApiVersion } from './api-version.js';
import { createAssociationsApi } from './associations.js';
import { createObjectsApi, type ObjectType } from './objects/objects.js';
import {
  type ChangedSinceOptions,
  searchByValues,
  searchChangedSince,
  searchLatestModified,
} from './objects/search.js';
import { createPropertiesApi } from './properties.js';
import {
  createTransport,
  type HubSpotRequestInfo,
  type HubSpotRetryPolicy,
  type TransportOptions,
} from './transport/http-transport.js';
import { createWindowLimiter } from './transport/limiter.js';

/** Settings for `createHubSpotClient`. Only the access token is required. */
export interface HubSpotClientSettings {
  /** A private-app / service-key token, or a function giving the current one (read on every request). */
  readonly accessToken: string | (() => string | Promise<string>);
  /** Default `https://api.hubapi.com`. */
  readonly baseUrl?: string | undefined;
  /**
   * HubSpot's API version: `2026-09` (default) or `legacy` (the `/crm/v3` and `/crm/v4` paths, only for accounts
   * that must; HubSpot ends them in 2027). See `api-version.ts` for what differs.
   */
  readonly apiVersion?: HubSpotApiVersion | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly retry?: Partial<HubSpotRetryPolicy> | undefined;
  /** Requests per rolling 10 s (100 by default; 190 or 250 on larger plans) and searches per second (4). */
  readonly rateLimit?:
    | { readonly perTenSeconds?: number | undefined; readonly searchPerSecond?: number | undefined }
    | undefined;
  /** Requests in flight at once. Default 6. */
  readonly concurrency?: number | undefined;
  /** Per request. Default 30 s. */
  readonly timeoutMs?: number | undefined;
  /** Told about every HTTP request (method, path, attempt, status, duration); never the token or bodies. */
  readonly onRequest?: ((info: HubSpotRequestInfo) => void) | undefined;
  /** Told about every 429; return `false` to stop instead of retrying. */
  readonly onRateLimit?: TransportOptions['onRateLimit'];
  /** Clock, sleep and randomness, for tests. */
  readonly clock?:
    | {
        readonly now: () => number;
        readonly sleep: (ms: number) => Promise<void>;
        readonly random: () => number;
      }
    | undefined;
}

/**
 * A typed HubSpot CRM client for companies and contacts, their associations and properties. Every method returns
 * a `ResultAsync` of the value or a `HubSpotError`; nothing throws but bad settings.
 */
export function createHubSpotClient(settings: HubSpotClientSettings) {
  const token = settings.accessToken;
  if (typeof token === 'string' ? token === '' : typeof token !== 'function') {
    throw new TypeError('createHubSpotClient: accessToken is required');
  }
  const clock = settings.clock ?? {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  const paths = apiPaths(settings.apiVersion ?? defaultApiVersion);
  const transport = createTransport({
    http: ky.create({
      fetch: settings.fetch ?? globalThis.fetch,
      retry: 0,
      throwHttpErrors: false,
      timeout: false,
    }),
    baseUrl: (settings.baseUrl ?? 'https://api.hubapi.com').replace(/\/$/u, ''),
    accessToken: typeof token === 'string' ? () => token : token,
    limiter: createWindowLimiter({
      limit: settings.rateLimit?.perTenSeconds ?? 100,
      windowMs: 10_000,
      now: clock.now,
      sleep: clock.sleep,
    }),
    searchLimiter: createWindowLimiter({
      limit: settings.rateLimit?.searchPerSecond ?? 4,
      windowMs: 1000,
      now: clock.now,
      sleep: clock.sleep,
    }),
    concurrency: pLimit(settings.concurrency ?? 6),
    retry: { retries: 5, minDelayMs: 500, maxDelayMs: 60_000, ...settings.retry },
    timeoutMs: settings.timeoutMs ?? 30_000,
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    onRequest: settings.onRequest,
    onRateLimit: settings.onRateLimit,
  });
  const objects = (type: ObjectType) => ({
    ...createObjectsApi(transport, type, paths),
    /** Records changed since a watermark (search on the modified date), page by page, each record once. */
    changedSince: (options: ChangedSinceOptions) => searchChangedSince(transport, paths, type, options),
    /** The latest modified date of any record (epoch ms, HubSpot's clock), or `null` when there is none. */
    latestModified: () => new ResultAsync(searchLatestModified(transport, paths, type)),
    /** Records whose `property` has one of `values` (search `IN`; subject to search-index lag). */
    findByValues: (property: string, values: readonly string[], properties: readonly string[]) =>
      new ResultAsync(searchByValues(transport, paths, type, property, values, properties)),
  });
  return {
    companies: objects('companies'),
    contacts: objects('contacts'),
    associations: createAssociationsApi(transport, paths),
    properties: createPropertiesApi(transport, paths),
    account: createAccountApi(transport, paths),
    /** The API version this client speaks. */
    apiVersion: paths.version,
  };
}

export type HubSpotClient = ReturnType<typeof createHubSpotClient>;

/**
 * The objects API of one CRM object type: `client.companies` and `client.contacts` have this same type (get, create,
 * update, archive, pages, the batches, merge, changedSince, latestModified, findByValues), so code that works on
 * either takes a `HubSpotObjectsApi`.
 */
export type HubSpotObjectsApi = HubSpotClient['companies'];
