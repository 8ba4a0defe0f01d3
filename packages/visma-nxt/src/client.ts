import ky from 'ky';
import type { Result, ResultAsync } from 'neverthrow';
import pLimit from 'p-limit';
import type { Associate, AssociateValues } from './associates/associate.js';
import {
  type AssociatePage,
  type AssociatesContext,
  associatePages,
  contactPersonFilter,
  customerFilter,
  latestChange,
  lookupAssociates,
  type PagesOptions,
} from './associates/read.js';
import {
  type AssociateUpdate,
  type CustomerNumbering,
  createAssociates,
  type RowResult,
  updateAssociates,
} from './associates/write.js';
import { createTokenProvider, serviceScope } from './auth/token-provider.js';
import { availableCompanies } from './companies.js';
import { createDateTimeCodec } from './datetime.js';
import type { VismaNxtError } from './errors.js';
import { checkSchema, type SchemaCheckOptions } from './schema-check.js';
import { createTransport, type RequestInfo } from './transport/graphql-transport.js';
import { createSlidingWindowLimiter } from './transport/rate-limiter.js';
import { defaultRetryPolicy, type RetryPolicy } from './transport/retry-policy.js';
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
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Requests in flight at once. Default 8, well below Business NXT's 60 per company. */
  readonly concurrency?: number | undefined;
  /** Pacing per token. Default 600 a minute, Business NXT's limit. */
  readonly requestsPerMinute?: number | undefined;
  /** Per HTTP request. Default 65 s (Business NXT stops synchronous requests after 59 s). */
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
  readonly onRequest?: ((info: RequestInfo) => void) | undefined;
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
 * A typed Business NXT client for associates (customers and contact persons). Every method returns a
 * `ResultAsync` (neverthrow) of the value or a `VismaNxtError`; nothing throws but bad settings.
 */
export function createVismaNxtClient(settings: VismaNxtClientSettings) {
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
    /** The live names used for the UNCONFIRMED fields. */
    fieldNames: names,
    /**
     * The server's `DateTime` values in its zone (`timeZone`): `parse` a value to epoch ms (the earlier instant for
     * a repeated wall time), `format` an instant, `lowerBound` for a "changed since" filter.
     */
    dateTime,
    customers: {
      /** Customers (associates with a customer number), page by page; `changedSince` for incremental reads. */
      pages: (options: PagesOptions = {}): AsyncGenerator<Result<AssociatePage, VismaNxtError>> =>
        associatePages(context, customerFilter, options),
      byAssociateNos: byField('associateNo', customerFilter),
      byCustomerNos: byField('customerNo', customerFilter),
      /** By organization number (Business NXT's `companyNo` column). */
      byOrgNumbers: byField('companyNo', customerFilter),
      /** By postal code (`postCode`, exact): where to look for a company known only by name and address. */
      byPostalCodes: byField('postCode', customerFilter),
      byEmails: byField('emailAddress', customerFilter),
      /** Creates customers; each gets a customer number as `customerNumbers` says, unless one is given. */
      create: (rows: readonly AssociateValues[]): ResultAsync<RowResult[], VismaNxtError> =>
        createAssociates(context, rows, settings.customerNumbers ?? { kind: 'suggest' }),
      update: (rows: readonly AssociateUpdate[]): ResultAsync<RowResult[], VismaNxtError> =>
        updateAssociates(context, rows),
    },
    contactPersons: {
      pages: (options: PagesOptions = {}): AsyncGenerator<Result<AssociatePage, VismaNxtError>> =>
        associatePages(context, personScope, options),
      byAssociateNos: byField('associateNo', personScope),
      byEmails: byField('emailAddress', personScope),
      /** The contact persons of these customers (by the customers' associate numbers). */
      ofCustomers: byField(names.contactPersonForAssociateNo, null),
      /** Creates contact persons; give each `contactPersonForAssociateNo`. */
      create: (rows: readonly AssociateValues[]): ResultAsync<RowResult[], VismaNxtError> =>
        createAssociates(context, rows, null),
      update: (rows: readonly AssociateUpdate[]): ResultAsync<RowResult[], VismaNxtError> =>
        updateAssociates(context, rows),
    },
    /** Any associates by number, whatever their role (finds out which linked rows were deleted). */
    associates: {
      byAssociateNos: byField('associateNo', null) as (
        values: readonly number[],
      ) => ResultAsync<Associate[], VismaNxtError>,
      /** The largest `changedTimestamp` of any associate (Business NXT's clock), or `null` when none has one. */
      latestChange: () => latestChange(context),
    },
    availableCompanies: () => availableCompanies(transport),
    /** Compares the names the client uses (and `createColumns`) with the live schema: see schema-check.ts. */
    checkSchema: (options: SchemaCheckOptions = {}) => checkSchema(transport, names, options),
  };
}

export type VismaNxtClient = ReturnType<typeof createVismaNxtClient>;
