import { dirname, join } from 'node:path';
import type { HubSpotApiVersion } from '@port-service/hubspot';
import { parseSyncPolicy, type SyncPolicy } from '@port-service/mapping';
import { defaultFieldNames } from '@port-service/visma-nxt';
import { describeStateLocation, stateLocationKind } from '../state/state-location.js';

/** Everything a cycle needs, from the environment and the optional policy file. */
export interface RunnerConfig {
  readonly hubspot: {
    readonly accessToken: string;
    readonly baseUrl: string;
    /** HubSpot's rolling 10-second limit for the app: 100 by default, 190 or 250 on some plans. */
    readonly requestsPerTenSeconds: number;
    /** HubSpot's API version: `2026-09`, or `legacy` for the /crm/v3 and /crm/v4 paths (`HUBSPOT_API_VERSION`). */
    readonly apiVersion: HubSpotApiVersion;
  };
  readonly visma: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly companyNo: number;
    readonly tenantId: string | undefined;
    readonly tokenUrl: string;
    readonly graphqlUrl: string;
    /** Business NXT's request limit per minute (600 documented). */
    readonly requestsPerMinute: number;
    /**
     * The Business NXT server's IANA time zone (`VISMA_TIME_ZONE`, default Europe/Oslo): its `DateTime` values are
     * local time without a zone.
     */
    readonly timeZone: string;
    /** New customers' numbers: suggested by Business NXT, or from `VISMA_CUSTOMER_NUMBER_SERIES` ("20000-29999"). */
    readonly customerNumbers: { kind: 'suggest' } | { kind: 'series'; from: number; to: number };
    /**
     * The live name of a contact person's column holding its customer's associate number ("Kontaktpers. for"):
     * `VISMA_CONTACT_CUSTOMER_COLUMN`, default `contactPersonForAssociateNo` (UNCONFIRMED, see
     * @port-service/visma-nxt `defaultFieldNames`). `crm-sync doctor` checks it.
     */
    readonly contactCustomerColumn: string;
  };
  /**
   * Where the state is, as every message may name it: the SQLite file, or the PostgreSQL URL with its password
   * masked (`postgres://sync:***@db.example.com/crm_sync`).
   */
  readonly statePath: string;
  /** What opens the state store (`CRM_SYNC_STATE` as given): may carry a password, so never print it. */
  readonly stateLocation: string;
  /**
   * The fingerprint key: `CRM_SYNC_HASH_KEY`, or generated once and kept beside a SQLite state (a PostgreSQL state
   * has no directory beside it: the key is required).
   */
  readonly hashKey: string;
  readonly hashKeySource: 'environment' | 'file' | 'generated';
  readonly policy: SyncPolicy;
}

/** What the loader may touch: the environment and a few file operations (injected, so tests need no disk). */
export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string | undefined;
  /** Writes a new secret file readable by its owner only. */
  readonly writeSecretFile: (path: string, content: string) => void;
  readonly randomKey: () => string;
}

export type ConfigResult = { ok: true; config: RunnerConfig } | { ok: false; errors: string[] };

export const defaults = {
  hubspotBaseUrl: 'https://api.hubapi.com',
  vismaTokenUrl: 'https://connect.visma.com/connect/token',
  vismaGraphqlUrl: 'https://business.visma.net/api/graphql-service',
  /** Business NXT's `DateTime` values are the server's local time; which zone that is, is not documented. */
  vismaTimeZone: 'Europe/Oslo',
  /** The contact person's customer column: UNCONFIRMED (`defaultFieldNames` of @port-service/visma-nxt). */
  vismaContactCustomerColumn: defaultFieldNames.contactPersonForAssociateNo,
  statePath: './.crm-sync/state.db',
};

/**
 * A setting: the variable `name`, or the content of the file `<name>_FILE` names (for secrets); `undefined` when
 * neither is set. Each problem (both set, a file that cannot be read or is empty) is added to `errors`.
 */
export function setting(sources: ConfigSources, name: string, errors: string[]): string | undefined {
  const direct = sources.env[name]?.trim();
  const file = sources.env[`${name}_FILE`]?.trim();
  if (direct && file) {
    errors.push(`${name} and ${name}_FILE are both set: set one`);
    return undefined;
  }
  if (file) {
    const content = sources.readFile(file)?.trim();
    if (content === undefined) errors.push(`${name}_FILE: cannot read ${file}`);
    else if (content === '') errors.push(`${name}_FILE: ${file} is empty`);
    return content || undefined;
  }
  return direct || undefined;
}

/** Where the fingerprint key generated for a SQLite state is kept: `hash-key` beside the state's file. */
export const hashKeyBesideState = (statePath: string): string => join(dirname(statePath), 'hash-key');

/**
 * Reads the configuration: `HUBSPOT_ACCESS_TOKEN`, `HUBSPOT_BASE_URL`, `VISMA_CLIENT_ID`, `VISMA_CLIENT_SECRET`,
 * `VISMA_COMPANY_NO`, `VISMA_TENANT_ID`, `VISMA_TOKEN_URL`, `VISMA_GRAPHQL_URL`, `VISMA_TIME_ZONE`,
 * `VISMA_CONTACT_CUSTOMER_COLUMN`, `CRM_SYNC_STATE`,
 * `CRM_SYNC_HASH_KEY`, and `CRM_SYNC_CONFIG` (a JSON file with the sync policy). Secrets may come from a file
 * instead (`HUBSPOT_ACCESS_TOKEN_FILE`, `VISMA_CLIENT_SECRET_FILE`, `CRM_SYNC_HASH_KEY_FILE`). Every problem is
 * reported at once, each naming the variable or key and what is expected.
 */
export function loadConfig(sources: ConfigSources): ConfigResult {
  const errors: string[] = [];
  const value = (name: string): string | undefined => setting(sources, name, errors);
  const required = (name: string, what: string): string => {
    const found = value(name);
    if (found === undefined && !errors.some((error) => error.startsWith(name)))
      errors.push(`${name} is required: ${what}`);
    return found ?? '';
  };
  const url = (name: string, fallback: string): string => {
    const found = value(name) ?? fallback;
    if (!/^https?:\/\/[^\s/]+/u.test(found)) errors.push(`${name} must be an http(s) URL, got "${found}"`);
    return found.replace(/\/$/u, '');
  };

  const accessToken = required('HUBSPOT_ACCESS_TOKEN', 'the HubSpot private app or service key token');
  const clientId = required('VISMA_CLIENT_ID', 'the Visma Developer Portal service application client id');
  const clientSecret = required('VISMA_CLIENT_SECRET', 'the client secret of that application');
  const companyText = required(
    'VISMA_COMPANY_NO',
    'the Visma.net company id to sync (see `crm-sync doctor`)',
  );
  const companyNo = Number(companyText);
  if (companyText !== '' && (!Number.isInteger(companyNo) || companyNo <= 0)) {
    errors.push(
      `VISMA_COMPANY_NO must be a positive whole number (the Visma.net company id), got "${companyText}"`,
    );
  }
  const positive = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const number = Number(text);
    if (!Number.isInteger(number) || number <= 0) {
      errors.push(`${name} must be a positive whole number, got "${text}"`);
      return fallback;
    }
    return number;
  };
  const requestsPerTenSeconds = positive('HUBSPOT_REQUESTS_PER_TEN_SECONDS', 100);
  const apiVersionText = value('HUBSPOT_API_VERSION') ?? '2026-09';
  if (apiVersionText !== '2026-09' && apiVersionText !== 'legacy')
    errors.push(
      `HUBSPOT_API_VERSION must be "2026-09" (the default) or "legacy" (HubSpot's /crm/v3 and /crm/v4 paths, which it ends in 2027), got "${apiVersionText}"`,
    );
  const apiVersion: HubSpotApiVersion = apiVersionText === 'legacy' ? 'legacy' : '2026-09';
  const requestsPerMinute = positive('VISMA_REQUESTS_PER_MINUTE', 600);
  const timeZone = value('VISMA_TIME_ZONE') ?? defaults.vismaTimeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    errors.push(
      `VISMA_TIME_ZONE must be an IANA time zone, the Business NXT server's (e.g. "Europe/Oslo"), got "${timeZone}"`,
    );
  }
  const stateLocation = value('CRM_SYNC_STATE') ?? defaults.statePath;
  const statePath = describeStateLocation(stateLocation);
  const sharedState = stateLocationKind(stateLocation) === 'postgres';
  if (sharedState && !URL.canParse(stateLocation))
    errors.push(
      `CRM_SYNC_STATE must be a PostgreSQL URL such as postgres://user:password@host:5432/database, got "${statePath}"`,
    );
  const seriesText = value('VISMA_CUSTOMER_NUMBER_SERIES');
  let customerNumbers: RunnerConfig['visma']['customerNumbers'] = { kind: 'suggest' };
  if (seriesText !== undefined) {
    const match = /^(\d+)\s*-\s*(\d+)$/u.exec(seriesText);
    const from = Number(match?.[1]);
    const to = Number(match?.[2]);
    if (match === null || from <= 0 || to < from)
      errors.push(
        `VISMA_CUSTOMER_NUMBER_SERIES must be "first-last" with 0 < first ≤ last (e.g. "20000-29999"), got "${seriesText}"`,
      );
    else customerNumbers = { kind: 'series', from, to };
  }

  const contactCustomerColumn = value('VISMA_CONTACT_CUSTOMER_COLUMN') ?? defaults.vismaContactCustomerColumn;
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/u.test(contactCustomerColumn))
    errors.push(
      `VISMA_CONTACT_CUSTOMER_COLUMN must be a Business NXT column name (a GraphQL name: letters, digits, _), the contact person's column holding its customer's associate number, got "${contactCustomerColumn}"`,
    );

  let policy: SyncPolicy | undefined;
  const policyPath = value('CRM_SYNC_CONFIG');
  let policyInput: unknown = {};
  if (policyPath !== undefined) {
    const text = sources.readFile(policyPath);
    if (text === undefined) errors.push(`CRM_SYNC_CONFIG: cannot read ${policyPath}`);
    else {
      try {
        policyInput = JSON.parse(text);
      } catch (error) {
        errors.push(
          `CRM_SYNC_CONFIG: ${policyPath} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
  }
  const parsedPolicy = parseSyncPolicy(policyInput);
  if (parsedPolicy.ok) policy = parsedPolicy.policy;
  else errors.push(...parsedPolicy.errors.map((error) => `${policyPath ?? 'CRM_SYNC_CONFIG'}: ${error}`));

  let hashKey = value('CRM_SYNC_HASH_KEY');
  let hashKeySource: RunnerConfig['hashKeySource'] = 'environment';
  if (hashKey === undefined && sharedState) {
    hashKey = '';
    if (!errors.some((error) => error.startsWith('CRM_SYNC_HASH_KEY')))
      errors.push(
        'CRM_SYNC_HASH_KEY or CRM_SYNC_HASH_KEY_FILE is required when CRM_SYNC_STATE is a PostgreSQL URL: a generated fingerprint key is kept in a file beside a SQLite state, and a database has no directory beside it (every instance sharing the database needs the same key, at least 16 characters)',
      );
  } else if (hashKey === undefined) {
    const keyFile = hashKeyBesideState(statePath);
    const stored = sources.readFile(keyFile)?.trim();
    if (stored) {
      hashKey = stored;
      hashKeySource = 'file';
    } else {
      hashKey = sources.randomKey();
      hashKeySource = 'generated';
      if (errors.length === 0) {
        try {
          sources.writeSecretFile(keyFile, `${hashKey}\n`);
          // Two runners started together: whichever wrote first, both use what the file holds.
          hashKey = sources.readFile(keyFile)?.trim() || hashKey;
        } catch (error) {
          errors.push(
            `CRM_SYNC_STATE: cannot write the fingerprint key ${keyFile} beside the state ${statePath} (${error instanceof Error ? error.message : String(error)}): point CRM_SYNC_STATE at a file in a directory this user can create and write`,
          );
        }
      }
    }
  }
  if (hashKey.length < 16 && !(sharedState && hashKey === ''))
    errors.push('CRM_SYNC_HASH_KEY must be at least 16 characters (it keys the fingerprints)');

  const config = {
    hubspot: {
      accessToken,
      baseUrl: url('HUBSPOT_BASE_URL', defaults.hubspotBaseUrl),
      requestsPerTenSeconds,
      apiVersion,
    },
    visma: {
      clientId,
      clientSecret,
      companyNo,
      tenantId: value('VISMA_TENANT_ID'),
      tokenUrl: url('VISMA_TOKEN_URL', defaults.vismaTokenUrl),
      graphqlUrl: url('VISMA_GRAPHQL_URL', defaults.vismaGraphqlUrl),
      customerNumbers,
      requestsPerMinute,
      timeZone,
      contactCustomerColumn,
    },
    statePath,
    stateLocation,
    hashKey,
    hashKeySource,
  };
  if (errors.length > 0 || policy === undefined) return { ok: false, errors };
  return { ok: true, config: { ...config, policy } };
}
