import type { ConfigSources } from '../../config/config.js';
import { nodeConfigSources } from '../../config/node-sources.js';
import { parseDuration } from '../service-config.js';
import { type ChatFormat, formatForHost } from './chat-hosts.js';

/** Email alerts: an SMTP server and who gets them (docs/CONFIGURATION.md, "Alerts"). */
export interface EmailAlertSettings {
  /** `smtp://` (STARTTLS) or `smtps://` (TLS from the start), with the login in it when the server wants one. */
  readonly smtpUrl: string;
  readonly from: string;
  readonly to: readonly string[];
}

/** Chat alerts: an incoming webhook URL (it embeds a token: a secret) and the payload it takes. */
export interface ChatAlertSettings {
  readonly url: string;
  readonly format: ChatFormat;
}

export interface AlertConfig {
  /** `null`: no email alerts. */
  readonly email: EmailAlertSettings | null;
  /** `null`: no chat alerts. */
  readonly chat: ChatAlertSettings | null;
  /** How long without a successful scheduled cycle before the "nothing synced" alert, in milliseconds. */
  readonly staleAfterMs: number;
  /** The operator console's URL, linked from every message; `null`: no link. */
  readonly consoleUrl: string | null;
}

export type AlertConfigResult = { ok: true; config: AlertConfig } | { ok: false; errors: string[] };

export const alertDefaults = { staleAfter: '2h' };

const minimumStaleAfterMs = 60_000;
const maximumStaleAfterMs = 7 * 24 * 3_600_000;
const addressPattern = /^[^\s@<>,;"()]+@[^\s@<>,;"()]+\.[^\s@<>,;"()]+$/u;
const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/u;

type Env = ConfigSources['env'];

/** Reads a variable or its `_FILE` form, as the runner's configuration does (config.ts). */
function secretReader(env: Env, readFile: ConfigSources['readFile'], errors: string[]) {
  return (name: string): string | undefined => {
    const direct = env[name]?.trim();
    const file = env[`${name}_FILE`]?.trim();
    if (direct && file) {
      errors.push(`${name} and ${name}_FILE are both set: set one`);
      return undefined;
    }
    if (!file) return direct || undefined;
    const content = readFile(file)?.trim();
    if (content === undefined) errors.push(`${name}_FILE: cannot read ${file}`);
    else if (content === '') errors.push(`${name}_FILE: ${file} is empty`);
    return content || undefined;
  };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** A URL as errors show it: scheme and host only, since the rest may hold a password or a token. */
function shown(url: URL | null): string {
  return url === null
    ? 'a value that is not a URL (not shown: it may hold a secret)'
    : `${url.protocol}//${url.host}/…`;
}

function readSmtpUrl(text: string, errors: string[]): string | null {
  const url = parseUrl(text);
  const rule =
    'CRM_SYNC_ALERT_SMTP_URL must be smtp://user:password@host:port (STARTTLS) or smtps://user:password@host:port (TLS from the start), the login percent-encoded, without path or query';
  if (url === null || !/^smtps?:$/u.test(url.protocol) || url.hostname === '') {
    errors.push(`${rule}, got ${shown(url)}`);
    return null;
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    errors.push(`${rule}, got ${shown(url)} with a path or query`);
    return null;
  }
  if ((url.username === '') !== (url.password === '')) {
    errors.push(
      `${rule}: give both the user and the password, or neither (a relay without login), got only one`,
    );
    return null;
  }
  return text;
}

function readAddress(name: string, text: string, errors: string[], allowName: boolean): string | null {
  const match = allowName ? /^[^<>]*<([^<>]+)>$/u.exec(text) : null;
  const address = (match?.[1] ?? text).trim();
  if (addressPattern.test(address)) return text;
  const rule = allowName ? 'an email address (or "Name <address>")' : 'email addresses, comma-separated';
  errors.push(`${name} must be ${rule}, got "${text}"`);
  return null;
}

function readEmail(env: Env, smtpUrl: string | undefined, errors: string[]): EmailAlertSettings | null {
  const fromText = env.CRM_SYNC_ALERT_EMAIL_FROM?.trim();
  const toText = env.CRM_SYNC_ALERT_EMAIL_TO?.trim();
  if (smtpUrl === undefined) {
    for (const [name, value] of [
      ['CRM_SYNC_ALERT_EMAIL_FROM', fromText],
      ['CRM_SYNC_ALERT_EMAIL_TO', toText],
    ] as const)
      if (value) errors.push(`${name} is set but CRM_SYNC_ALERT_SMTP_URL is not: set the SMTP server too`);
    return null;
  }
  const url = readSmtpUrl(smtpUrl, errors);
  if (!fromText)
    errors.push('CRM_SYNC_ALERT_EMAIL_FROM is required with CRM_SYNC_ALERT_SMTP_URL: the sender address');
  if (!toText)
    errors.push(
      'CRM_SYNC_ALERT_EMAIL_TO is required with CRM_SYNC_ALERT_SMTP_URL: the recipients, comma-separated',
    );
  const from = fromText ? readAddress('CRM_SYNC_ALERT_EMAIL_FROM', fromText, errors, true) : null;
  const to = (toText ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (toText && to.length === 0)
    errors.push('CRM_SYNC_ALERT_EMAIL_TO must list at least one address, got only commas');
  const valid = to.filter(
    (address) => readAddress('CRM_SYNC_ALERT_EMAIL_TO', address, errors, false) !== null,
  );
  if (url === null || from === null || valid.length !== to.length || to.length === 0) return null;
  return { smtpUrl: url, from, to };
}

function readChat(env: Env, webhookUrl: string | undefined, errors: string[]): ChatAlertSettings | null {
  const formatText = env.CRM_SYNC_ALERT_WEBHOOK_FORMAT?.trim();
  if (formatText && formatText !== 'teams' && formatText !== 'slack')
    errors.push(`CRM_SYNC_ALERT_WEBHOOK_FORMAT must be "teams" or "slack", got "${formatText}"`);
  if (webhookUrl === undefined) {
    if (formatText)
      errors.push(
        'CRM_SYNC_ALERT_WEBHOOK_FORMAT is set but CRM_SYNC_ALERT_WEBHOOK_URL is not: set the URL too',
      );
    return null;
  }
  const url = parseUrl(webhookUrl);
  const secure =
    url?.protocol === 'https:' || (url?.protocol === 'http:' && loopbackHosts.test(url.hostname));
  if (url === null || !secure || url.hash !== '') {
    errors.push(
      `CRM_SYNC_ALERT_WEBHOOK_URL must be the https URL of a Teams or Slack incoming webhook (http only on localhost), without fragment, got ${shown(url)}`,
    );
    return null;
  }
  const format: ChatFormat =
    formatText === 'teams' || formatText === 'slack' ? formatText : (formatForHost(url.hostname) ?? 'slack');
  return { url: webhookUrl, format };
}

function readStaleAfter(env: Env, intervalMs: number | undefined, errors: string[]): number {
  const text = env.CRM_SYNC_ALERT_STALE_AFTER?.trim();
  const fallback = Math.max(parseDuration(alertDefaults.staleAfter) ?? 7_200_000, 2 * (intervalMs ?? 0));
  if (!text) return fallback;
  const milliseconds = parseDuration(text);
  if (
    milliseconds === undefined ||
    milliseconds < minimumStaleAfterMs ||
    milliseconds > maximumStaleAfterMs
  ) {
    errors.push(
      `CRM_SYNC_ALERT_STALE_AFTER must be a duration of whole hours, minutes and seconds, largest first (e.g. 45m, 2h, 1h30m), from 1m to 168h, got "${text}"`,
    );
    return fallback;
  }
  if (intervalMs !== undefined && milliseconds < 2 * intervalMs) {
    errors.push(
      `CRM_SYNC_ALERT_STALE_AFTER must be at least twice CRM_SYNC_INTERVAL (${intervalMs / 1000}s), or every slow cycle alerts, got "${text}"`,
    );
    return fallback;
  }
  return milliseconds;
}

function readConsoleUrl(env: Env, errors: string[]): string | null {
  const text = env.CRM_SYNC_CONSOLE_URL?.trim();
  if (!text) return null;
  const url = parseUrl(text);
  if (url === null || !/^https?:$/u.test(url.protocol) || url.username !== '' || url.password !== '') {
    errors.push(
      `CRM_SYNC_CONSOLE_URL must be the http(s) URL of the operator console, without a login in it (e.g. https://sync.example.no/console), got "${url === null ? text : `${url.protocol}//${url.host}${url.pathname}`}"`,
    );
    return null;
  }
  return text.replace(/\/+$/u, '');
}

/**
 * Reads the alert settings: `CRM_SYNC_ALERT_SMTP_URL` (or `_FILE`), `CRM_SYNC_ALERT_EMAIL_FROM`,
 * `CRM_SYNC_ALERT_EMAIL_TO`, `CRM_SYNC_ALERT_WEBHOOK_URL` (or `_FILE`), `CRM_SYNC_ALERT_WEBHOOK_FORMAT`,
 * `CRM_SYNC_ALERT_STALE_AFTER`, `CRM_SYNC_CONSOLE_URL`. Every problem is reported at once, each naming the variable
 * and the rule, as `loadServiceConfig` does; errors never show a URL's login, path or query. Neither channel set:
 * alerts are off (`email` and `chat` both `null`), not an error. `intervalMs` (`CRM_SYNC_INTERVAL`), when given, keeps
 * the stale limit at least twice the interval: the default becomes the larger of 2h and that.
 */
export function loadAlertConfig(
  env: Env,
  readFile: ConfigSources['readFile'] = nodeConfigSources(env).readFile,
  options: { readonly intervalMs?: number | undefined } = {},
): AlertConfigResult {
  const errors: string[] = [];
  const secret = secretReader(env, readFile, errors);
  const config: AlertConfig = {
    email: readEmail(env, secret('CRM_SYNC_ALERT_SMTP_URL'), errors),
    chat: readChat(env, secret('CRM_SYNC_ALERT_WEBHOOK_URL'), errors),
    staleAfterMs: readStaleAfter(env, options.intervalMs, errors),
    consoleUrl: readConsoleUrl(env, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}
