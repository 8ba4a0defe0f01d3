import type { ConfigSources } from '../../config/config.js';
import { nodeConfigSources } from '../../config/node-sources.js';

/** Where the provider sends the browser back to, under `CRM_SYNC_PUBLIC_URL` (the console is mounted at `/`). */
export const callbackPath = '/oidc/callback';
/** Where the console's "Sign in with …" link starts the flow. */
export const startPath = '/oidc/start';

/** The console's single sign-on through an OpenID Connect provider (docs/CONFIGURATION.md, "Single sign-on"). */
export interface SingleSignOnSettings {
  /** The provider's issuer identifier; its metadata is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `CRM_SYNC_PUBLIC_URL` + `/oidc/callback`: registered at the provider exactly so. */
  readonly redirectUri: string;
  /** Shown on the login page's link: "Sign in with <name>". */
  readonly providerName: string;
  /** The ID token claim whose values grant a role (`roles`: Entra ID's app roles; or `groups`). */
  readonly roleClaim: string;
  readonly operatorValues: readonly string[];
  readonly viewerValues: readonly string[];
}

export type SingleSignOnSettingsResult =
  | { readonly ok: true; readonly settings: SingleSignOnSettings | null }
  | { readonly ok: false; readonly errors: readonly string[] };

export const singleSignOnDefaults = {
  roleClaim: 'roles',
  operatorValues: 'crm-sync.operator',
  viewerValues: 'crm-sync.viewer',
} as const;

const variables = [
  'CRM_SYNC_OIDC_ISSUER',
  'CRM_SYNC_OIDC_CLIENT_ID',
  'CRM_SYNC_OIDC_CLIENT_SECRET',
  'CRM_SYNC_OIDC_CLIENT_SECRET_FILE',
  'CRM_SYNC_OIDC_PROVIDER_NAME',
  'CRM_SYNC_OIDC_ROLE_CLAIM',
  'CRM_SYNC_OIDC_OPERATOR_VALUES',
  'CRM_SYNC_OIDC_VIEWER_VALUES',
] as const;

const loopbackHosts = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/u;
const discoverySuffix = /\/\.well-known\/openid-configuration\/?$/u;

/** Plain http is refused except on this machine (a local provider for tests): tokens never cross a network in clear. */
function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.test(url.hostname));
}

function readIssuer(text: string, errors: string[]): string | null {
  let url: URL | undefined;
  try {
    url = new URL(text.replace(discoverySuffix, ''));
  } catch {
    url = undefined;
  }
  if (url === undefined || !isHttpsOrLoopback(url) || url.search !== '' || url.hash !== '') {
    errors.push(
      `CRM_SYNC_OIDC_ISSUER must be the provider's https issuer URL, without query or fragment (for Entra ID https://login.microsoftonline.com/<tenant id>/v2.0; plain http only at localhost or 127.0.0.1), got "${text}"`,
    );
    return null;
  }
  return text.replace(discoverySuffix, '');
}

function readRedirectUri(publicUrl: string | null | undefined, errors: string[]): string {
  // undefined: the service settings were refused already, and say why.
  if (publicUrl === undefined) return callbackPath;
  if (publicUrl === null) {
    errors.push(
      `CRM_SYNC_PUBLIC_URL must be set when CRM_SYNC_OIDC_ISSUER is: the provider sends the browser back to <CRM_SYNC_PUBLIC_URL>${callbackPath}`,
    );
    return callbackPath;
  }
  if (!isHttpsOrLoopback(new URL(publicUrl)))
    errors.push(
      `CRM_SYNC_PUBLIC_URL must be https for single sign-on (plain http only at localhost or 127.0.0.1), got "${publicUrl}"`,
    );
  return `${publicUrl.replace(/\/+$/u, '')}${callbackPath}`;
}

/** `CRM_SYNC_OIDC_CLIENT_SECRET` or `CRM_SYNC_OIDC_CLIENT_SECRET_FILE` (trimmed), as the other secrets are read. */
function readClientSecret(
  env: ConfigSources['env'],
  readFile: ConfigSources['readFile'],
  errors: string[],
): string {
  const direct = env.CRM_SYNC_OIDC_CLIENT_SECRET?.trim();
  const file = env.CRM_SYNC_OIDC_CLIENT_SECRET_FILE?.trim();
  if (direct && file) {
    errors.push('CRM_SYNC_OIDC_CLIENT_SECRET and CRM_SYNC_OIDC_CLIENT_SECRET_FILE are both set: set one');
    return '';
  }
  if (!file) {
    if (!direct)
      errors.push(
        "CRM_SYNC_OIDC_CLIENT_SECRET (or _FILE) must be set when CRM_SYNC_OIDC_ISSUER is: the app registration's client secret",
      );
    return direct ?? '';
  }
  const content = readFile(file)?.trim();
  if (content === undefined) errors.push(`CRM_SYNC_OIDC_CLIENT_SECRET_FILE: cannot read ${file}`);
  else if (content === '') errors.push(`CRM_SYNC_OIDC_CLIENT_SECRET_FILE: ${file} is empty`);
  return content ?? '';
}

/** A comma-separated list of claim values; blanks dropped. */
function readValues(env: ConfigSources['env'], name: 'OPERATOR' | 'VIEWER'): string[] {
  const text =
    env[`CRM_SYNC_OIDC_${name}_VALUES`]?.trim() ||
    singleSignOnDefaults[`${name === 'OPERATOR' ? 'operator' : 'viewer'}Values`];
  return text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function readRoles(
  env: ConfigSources['env'],
  errors: string[],
): Pick<SingleSignOnSettings, 'roleClaim' | 'operatorValues' | 'viewerValues'> {
  const roleClaim = env.CRM_SYNC_OIDC_ROLE_CLAIM?.trim() || singleSignOnDefaults.roleClaim;
  if (!/^[A-Za-z0-9_.:/-]{1,100}$/u.test(roleClaim))
    errors.push(
      `CRM_SYNC_OIDC_ROLE_CLAIM must be the name of one ID token claim (e.g. roles or groups), 1 to 100 letters, digits or _ . : / -, got "${roleClaim}"`,
    );
  const operatorValues = readValues(env, 'OPERATOR');
  const viewerValues = readValues(env, 'VIEWER');
  for (const [name, values] of [
    ['OPERATOR', operatorValues],
    ['VIEWER', viewerValues],
  ] as const)
    if (values.length === 0)
      errors.push(
        `CRM_SYNC_OIDC_${name}_VALUES must list at least one claim value (comma-separated), got only commas`,
      );
  for (const value of viewerValues.filter((candidate) => operatorValues.includes(candidate)))
    errors.push(
      `CRM_SYNC_OIDC_VIEWER_VALUES: "${value}" is in CRM_SYNC_OIDC_OPERATOR_VALUES too; a value grants one role`,
    );
  return { roleClaim, operatorValues, viewerValues };
}

function defaultProviderName(issuer: string): string {
  const host = new URL(issuer).hostname;
  return host === 'login.microsoftonline.com' ? 'Microsoft Entra ID' : host;
}

/**
 * Reads the console's single sign-on settings: `CRM_SYNC_OIDC_ISSUER`, `CRM_SYNC_OIDC_CLIENT_ID`,
 * `CRM_SYNC_OIDC_CLIENT_SECRET` (or `_FILE`), `CRM_SYNC_OIDC_PROVIDER_NAME`, `CRM_SYNC_OIDC_ROLE_CLAIM`,
 * `CRM_SYNC_OIDC_OPERATOR_VALUES`, `CRM_SYNC_OIDC_VIEWER_VALUES`, with the redirect URI under `publicUrl` (the
 * service's checked `CRM_SYNC_PUBLIC_URL`; `undefined` when those settings were refused). None of them set: single
 * sign-on is off (`settings: null`). Every problem is reported at once, naming the variable and the rule.
 */
export function loadSingleSignOnSettings(
  env: ConfigSources['env'],
  readFile: ConfigSources['readFile'] = nodeConfigSources(env).readFile,
  publicUrl: string | null | undefined = null,
): SingleSignOnSettingsResult {
  const issuerText = env.CRM_SYNC_OIDC_ISSUER?.trim();
  if (!issuerText) {
    const stray = variables.filter((name) => env[name]?.trim());
    if (stray.length === 0) return { ok: true, settings: null };
    return {
      ok: false,
      errors: stray.map(
        (name) =>
          `${name} is set but CRM_SYNC_OIDC_ISSUER is not: set the issuer to turn single sign-on on, or unset ${name}`,
      ),
    };
  }
  const errors: string[] = [];
  const issuer = readIssuer(issuerText, errors);
  const clientId = env.CRM_SYNC_OIDC_CLIENT_ID?.trim() ?? '';
  if (clientId === '')
    errors.push(
      "CRM_SYNC_OIDC_CLIENT_ID must be set when CRM_SYNC_OIDC_ISSUER is: the app registration's application (client) id",
    );
  const clientSecret = readClientSecret(env, readFile, errors);
  const redirectUri = readRedirectUri(publicUrl, errors);
  const roles = readRoles(env, errors);
  if (errors.length > 0 || issuer === null) return { ok: false, errors };
  const providerName = env.CRM_SYNC_OIDC_PROVIDER_NAME?.trim() || defaultProviderName(issuer);
  return {
    ok: true,
    settings: { issuer, clientId, clientSecret, redirectUri, providerName, ...roles },
  };
}
