import ky from 'ky';
import pLimit from 'p-limit';
import {
  type AssociatesContext,
  associatePages,
  contactPersonFilter,
  customerFilter,
  latestChange,
  lookupAssociates,
} from './associates/read.js';
import { type CustomerNumbering, createAssociates, updateAssociates } from './associates/write.js';
import { createTokenProvider, serviceScope } from './auth/token-provider.js';
import type { VismaNxtClient } from './client-api.js';
import { availableCompanies } from './companies.js';
import { createDateTimeCodec } from './datetime.js';
import { checkSchema } from './schema-check.js';
import { createTransport, type VismaNxtRequestInfo } from './transport/graphql-transport.js';
import { createSlidingWindowLimiter } from './transport/rate-limiter.js';
import { defaultRetryPolicy, type VismaNxtRetryPolicy } from './transport/retry-policy.js';
import { defaultTimeZone, type FieldNames, resolveFieldNames } from './unconfirmed.js';

/** Settings for `createVismaNxtClient`. Only the credentials and the company are required. */
export interface VismaNxtClientSettings {
  /** The Visma Developer Portal service application's client id. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The Visma.net company id passed to `useCompany(no:)`. */
  readonly companyNo: number;
  /** Visma Connect tenant, sent as `tenant_id` when given (whether Business NXT needs it is UNCONFIRMED). */
  readonly tenantId?: string | undefined;
  /** Default `https://connect.visma.com/connect/token`. */
  readonly tokenUrl?: string | undefined;
  /** Default `https://business.visma.net/api/graphql-service` (the client-credentials endpoint). */
  readonly graphqlUrl?: string | undefined;
  /** Default `business-graphql-service-api:access-group-based`. */
  readonly scope?: string | undefined;
  /** The transport; default the global `fetch`. Tests and the runner can pass their own. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly retry?: Partial<VismaNxtRetryPolicy> | undefined;
  /** Requests in flight at once. Default 8, well below Business NXT's 60 per company. */
  readonly concurrency?: number | undefined;
  /** Pacing per token. Default 600 a minute, Business NXT's limit. */
  readonly requestsPerMinute?: number | undefined;
  /**
   * Per HTTP request, until the answer's last byte. Default 65 s (Business NXT stops synchronous requests after
   * 59 s,
   * https://docs.vismasoftware.no/businessnxtapi/release-notes/2023-12-07-synchronous-timeout-increased-to-59-seconds/).
   */
  readonly timeoutMs?: number | undefined;
  /** Live names of the UNCONFIRMED Associate fields, when a company's schema differs (see unconfirmed.ts). */
  readonly fieldNames?: Partial<FieldNames> | undefined;
  /**
   * The Business NXT server's IANA time zone: its `DateTime` values are local time without a zone. Default
   * `Europe/Oslo` (UNCONFIRMED, see unconfirmed.ts).
   */
  readonly timeZone?: string | undefined;
  /** How new customers get a customer number. Default: Business NXT suggests one. */
  readonly customerNumbers?: CustomerNumbering | undefined;
  /** Told about every HTTP request: operations, attempt, status, duration. Never tokens or bodies. */
  readonly onRequest?: ((info: VismaNxtRequestInfo) => void) | undefined;
  /** Warnings Business NXT puts in `extensions` (deprecations, updates without a filter). */
  readonly onWarning?: ((warning: unknown) => void) | undefined;
  /** Clock, sleep and randomness, for tests. */
  readonly clock?:
    | {
        readonly now: () => number;
        readonly sleep: (ms: number) => Promise<void>;
        readonly random: () => number;
      }
    | undefined;
}

const defaults = {
  tokenUrl: 'https://connect.visma.com/connect/token',
  graphqlUrl: 'https://business.visma.net/api/graphql-service',
};

/** Throws a `TypeError` naming the bad setting (bad settings are all the client throws on). */
function assertSetting(condition: boolean, message: string): void {
  if (!condition) throw new TypeError(`createVismaNxtClient: ${message}`);
}

/**
 * Creates the client (see `VismaNxtClient` in client-api.ts for each method). Throws a `TypeError` naming the bad
 * setting, and nothing else: every method answers a `ResultAsync` or a generator of `Result`s.
 */
export function createVismaNxtClient(settings: VismaNxtClientSettings): VismaNxtClient {
  assertSetting(typeof settings.clientId === 'string' && settings.clientId !== '', 'clientId is required');
  assertSetting(
    typeof settings.clientSecret === 'string' && settings.clientSecret !== '',
    'clientSecret is required',
  );
  assertSetting(
    Number.isInteger(settings.companyNo) && settings.companyNo > 0,
    'companyNo must be a positive whole number',
  );
  const names = resolveFieldNames(settings.fieldNames);
  if (typeof names === 'string') throw new TypeError(`createVismaNxtClient: ${names}`);
  const timeZone = settings.timeZone ?? defaultTimeZone;
  let dateTime: ReturnType<typeof createDateTimeCodec>;
  try {
    dateTime = createDateTimeCodec(timeZone);
  } catch {
    throw new TypeError(
      `createVismaNxtClient: timeZone must be an IANA time zone (e.g. Europe/Oslo), got ${JSON.stringify(timeZone)}`,
    );
  }
  const clock = settings.clock ?? {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  const http = ky.create({
    fetch: settings.fetch ?? globalThis.fetch,
    retry: 0,
    throwHttpErrors: false,
    timeout: false,
  });
  const tokens = createTokenProvider({
    http,
    tokenUrl: settings.tokenUrl ?? defaults.tokenUrl,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scope: settings.scope ?? serviceScope,
    tenantId: settings.tenantId,
    now: clock.now,
  });
  const transport = createTransport({
    http,
    graphqlUrl: settings.graphqlUrl ?? defaults.graphqlUrl,
    tokens,
    limiter: createSlidingWindowLimiter({
      limit: settings.requestsPerMinute ?? 600,
      windowMs: 60_000,
      now: clock.now,
      sleep: clock.sleep,
    }),
    concurrency: pLimit(settings.concurrency ?? 8),
    retry: { ...defaultRetryPolicy, ...settings.retry },
    timeoutMs: settings.timeoutMs ?? 65_000,
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    onRequest: settings.onRequest,
    onWarning: settings.onWarning,
  });
  const context: AssociatesContext = { transport, companyNo: settings.companyNo, names, dateTime };
  const byField =
    (field: string, scope: Record<string, unknown> | null) => (values: readonly (string | number)[]) =>
      lookupAssociates(context, field, values, scope);
  const personScope = contactPersonFilter(names);

  return {
    fieldNames: names,
    dateTime,
    customers: {
      pages: (options = {}) => associatePages(context, customerFilter, options),
      byAssociateNos: byField('associateNo', customerFilter),
      byCustomerNos: byField('customerNo', customerFilter),
      byOrgNumbers: byField('companyNo', customerFilter),
      byPostalCodes: byField('postCode', customerFilter),
      byEmails: byField('emailAddress', customerFilter),
      create: (rows) => createAssociates(context, rows, settings.customerNumbers ?? { kind: 'suggest' }),
      update: (rows) => updateAssociates(context, rows),
    },
    contactPersons: {
      pages: (options = {}) => associatePages(context, personScope, options),
      byAssociateNos: byField('associateNo', personScope),
      byEmails: byField('emailAddress', personScope),
      ofCustomers: byField(names.contactPersonForAssociateNo, null),
      create: (rows) => createAssociates(context, rows, null),
      update: (rows) => updateAssociates(context, rows),
    },
    associates: {
      byAssociateNos: byField('associateNo', null),
      latestChange: () => latestChange(context),
    },
    availableCompanies: () => availableCompanies(transport),
    checkSchema: (options = {}) => checkSchema(transport, names, options),
  };
}
