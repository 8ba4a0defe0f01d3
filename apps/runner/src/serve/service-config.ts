import { isIP } from 'node:net';
import type { ConfigSources } from '../config/config.js';
import { nodeConfigSources } from '../config/node-sources.js';

/** A local wall time in an IANA zone: when the daily full cycle starts. */
export interface FullCycleTime {
  readonly hour: number;
  readonly minute: number;
  readonly timeZone: string;
}

/** What `crm-sync serve` needs beyond the runner's configuration (docs/CONFIGURATION.md, "Service settings"). */
export interface ServiceConfig {
  /** Where the HTTP server listens (`CRM_SYNC_HTTP_HOST`, `CRM_SYNC_HTTP_PORT`; port 0: any free port). */
  readonly host: string;
  readonly port: number;
  /** The incremental cycle's period, in milliseconds (`CRM_SYNC_INTERVAL`). */
  readonly intervalMs: number;
  /** The daily full cycle's local start (`CRM_SYNC_FULL_AT`, `CRM_SYNC_FULL_AT_TIME_ZONE`). */
  readonly fullAt: FullCycleTime;
  /** The public base URL HubSpot calls, without a trailing slash; the webhook paths are appended to it. */
  readonly publicUrl: string | null;
  /** The app's client secret that signs HubSpot's webhooks; `null`: the HubSpot webhook endpoint is off. */
  readonly hubspotWebhookSecret: string | null;
  /** The HubSpot app's id, to recognise the sync's own writes in events. */
  readonly hubspotAppId: number | null;
  /** The Business NXT subscription's signature keys, several during a rotation; none: the endpoint is off. */
  readonly vismaWebhookSecrets: readonly string[];
}

export type ServiceConfigResult = { ok: true; config: ServiceConfig } | { ok: false; errors: string[] };

export const serviceDefaults = {
  host: '127.0.0.1',
  port: 8787,
  interval: '10m',
  fullAt: '02:30',
  fullAtTimeZone: 'Europe/Oslo',
};

const minimumIntervalMs = 1000;
const maximumIntervalMs = 24 * 3_600_000;

/** `30s`, `10m`, `1h`, `1h30m`: whole numbers with h, m, s, largest unit first; undefined when not of that form. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/u.exec(text);
  if (match === null || text === '') return undefined;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3_600_000 + Number(minutes) * 60_000 + Number(seconds) * 1000;
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const hostNamePattern =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/u;

/** Reads an environment variable or its `_FILE` form, the way the runner's configuration does (config.ts). */
function secretReader(env: ConfigSources['env'], readFile: ConfigSources['readFile'], errors: string[]) {
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

function readHttp(env: ConfigSources['env'], errors: string[]): Pick<ServiceConfig, 'host' | 'port'> {
  const hostText = env.CRM_SYNC_HTTP_HOST?.trim() || serviceDefaults.host;
  const host = hostText.replace(/^\[(.*)\]$/u, '$1');
  if (isIP(host) === 0 && !hostNamePattern.test(host))
    errors.push(
      `CRM_SYNC_HTTP_HOST must be an IP address or a host name to listen on, without scheme or port (e.g. 127.0.0.1, or 0.0.0.0 for every IPv4 interface), got "${hostText}"`,
    );
  const portText = env.CRM_SYNC_HTTP_PORT?.trim() || String(serviceDefaults.port);
  const port = Number(portText);
  if (!/^\d+$/u.test(portText) || port > 65_535) {
    errors.push(
      `CRM_SYNC_HTTP_PORT must be a whole number from 0 to 65535 (0: any free port), got "${portText}"`,
    );
    return { host, port: serviceDefaults.port };
  }
  return { host, port };
}

function readInterval(env: ConfigSources['env'], errors: string[]): number {
  const text = env.CRM_SYNC_INTERVAL?.trim() || serviceDefaults.interval;
  const milliseconds = parseDuration(text);
  if (milliseconds === undefined || milliseconds < minimumIntervalMs || milliseconds > maximumIntervalMs) {
    errors.push(
      `CRM_SYNC_INTERVAL must be a duration of whole hours, minutes and seconds, largest first (e.g. 30s, 10m, 1h, 1h30m), from 1s to 24h, got "${text}"`,
    );
    return parseDuration(serviceDefaults.interval) ?? 600_000;
  }
  return milliseconds;
}

function readFullCycleAt(env: ConfigSources['env'], errors: string[]): FullCycleTime {
  const text = env.CRM_SYNC_FULL_AT?.trim() || serviceDefaults.fullAt;
  const timeZone = env.CRM_SYNC_FULL_AT_TIME_ZONE?.trim() || serviceDefaults.fullAtTimeZone;
  if (!isTimeZone(timeZone))
    errors.push(
      `CRM_SYNC_FULL_AT_TIME_ZONE must be an IANA time zone (e.g. "Europe/Oslo"), got "${timeZone}"`,
    );
  const match = /^(\d{1,2}):(\d{2})$/u.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (match === null || hour > 23 || minute > 59) {
    errors.push(
      `CRM_SYNC_FULL_AT must be a local time HH:MM from 00:00 to 23:59 (e.g. 02:30), the daily full cycle's start in CRM_SYNC_FULL_AT_TIME_ZONE, got "${text}"`,
    );
    return { hour: 2, minute: 30, timeZone };
  }
  return { hour, minute, timeZone };
}

function readPublicUrl(env: ConfigSources['env'], errors: string[]): string | null {
  const text = env.CRM_SYNC_PUBLIC_URL?.trim();
  if (!text) return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^https?:$/u.test(url.protocol) || url.search !== '' || url.hash !== '') {
    errors.push(
      `CRM_SYNC_PUBLIC_URL must be the http(s) base URL HubSpot calls, without query or fragment (e.g. https://sync.example.com), got "${text}"`,
    );
    return null;
  }
  return text.replace(/\/+$/u, '');
}

function readAppId(env: ConfigSources['env'], errors: string[]): number | null {
  const text = env.HUBSPOT_APP_ID?.trim();
  if (!text) return null;
  const appId = Number(text);
  if (!/^\d+$/u.test(text) || appId <= 0 || !Number.isSafeInteger(appId)) {
    errors.push(`HUBSPOT_APP_ID must be a positive whole number (the HubSpot app's id), got "${text}"`);
    return null;
  }
  return appId;
}

/** `VISMA_WEBHOOK_SECRETS` (comma-separated) or `VISMA_WEBHOOK_SECRETS_FILE` (one per line); blanks are dropped. */
function readVismaSecrets(
  env: ConfigSources['env'],
  readFile: ConfigSources['readFile'],
  errors: string[],
): string[] {
  const fromFile = Boolean(env.VISMA_WEBHOOK_SECRETS_FILE?.trim());
  const text = secretReader(env, readFile, errors)('VISMA_WEBHOOK_SECRETS');
  if (text === undefined) return [];
  const secrets = text
    .split(fromFile ? /\r?\n/u : ',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
  if (secrets.length === 0)
    errors.push(
      'VISMA_WEBHOOK_SECRETS must list at least one signature key (comma-separated), got only commas',
    );
  return secrets;
}

/**
 * Reads the service's settings: `CRM_SYNC_HTTP_HOST`, `CRM_SYNC_HTTP_PORT`, `CRM_SYNC_INTERVAL`, `CRM_SYNC_FULL_AT`,
 * `CRM_SYNC_FULL_AT_TIME_ZONE`, `CRM_SYNC_PUBLIC_URL`, `HUBSPOT_WEBHOOK_SECRET` (or `_FILE`), `HUBSPOT_APP_ID`,
 * `VISMA_WEBHOOK_SECRETS` (or `_FILE`). Every problem is reported at once, each naming the variable and the rule,
 * as `loadConfig` does (a caller throws `ConfigurationError(result.errors)` on failure, like `openRuntime`).
 * `readFile` reads the `_FILE` secrets: the real file system unless given.
 */
export function loadServiceConfig(
  env: ConfigSources['env'],
  readFile: ConfigSources['readFile'] = nodeConfigSources(env).readFile,
): ServiceConfigResult {
  const errors: string[] = [];
  const config: ServiceConfig = {
    ...readHttp(env, errors),
    intervalMs: readInterval(env, errors),
    fullAt: readFullCycleAt(env, errors),
    publicUrl: readPublicUrl(env, errors),
    hubspotWebhookSecret: secretReader(env, readFile, errors)('HUBSPOT_WEBHOOK_SECRET') ?? null,
    hubspotAppId: readAppId(env, errors),
    vismaWebhookSecrets: readVismaSecrets(env, readFile, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The local wall time of `instant` in `timeZone`, as milliseconds of a UTC clock showing the same digits. */
function wallTime(instant: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(format.formatToParts(instant).find((candidate) => candidate.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall + (instant % 1000);
}

/**
 * The first instant whose local time in `timeZone` is `wall` or later. For a wall time that happens twice (autumn),
 * that is the first; for one that never happens (spring), the first minute after the gap.
 */
function firstInstantAtOrAfter(wall: number, timeZone: string): number {
  // Offsets around the wall time (none is above 14 hours): an exact occurrence is `wall - offset` for one of them.
  const offsets = new Set(
    [-15, 0, 15].map((hours) => wallTime(wall + hours * 3_600_000, timeZone) - (wall + hours * 3_600_000)),
  );
  const exact = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => wallTime(instant, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the local time jumps past `wall` between these two; find the minute it jumps at.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 60_000) {
    const middle = before + Math.floor((after - before) / 120_000) * 60_000;
    if (wallTime(middle, timeZone) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

/**
 * The next start of the daily full cycle after `now`: the next occurrence of the local wall time `fullAt` in its
 * zone, correct across daylight saving time. A time that does not exist that day (spring forward) moves to the next
 * valid minute; one that exists twice (fall back) runs once, at the first. Strictly after `now`.
 */
export function nextFullCycleAt(now: Date, fullAt: FullCycleTime): Date {
  if (!Number.isInteger(fullAt.hour) || fullAt.hour < 0 || fullAt.hour > 23)
    throw new RangeError(`full cycle time: hour must be a whole number from 0 to 23, got ${fullAt.hour}`);
  if (!Number.isInteger(fullAt.minute) || fullAt.minute < 0 || fullAt.minute > 59)
    throw new RangeError(`full cycle time: minute must be a whole number from 0 to 59, got ${fullAt.minute}`);
  const today = new Date(wallTime(now.getTime(), fullAt.timeZone));
  for (let day = 0; day <= 2; day += 1) {
    const wall = Date.UTC(
      today.getUTCFullYear(),
      today.getUTCMonth(),
      today.getUTCDate() + day,
      fullAt.hour,
      fullAt.minute,
    );
    const instant = firstInstantAtOrAfter(wall, fullAt.timeZone);
    if (instant > now.getTime()) return new Date(instant);
  }
  throw new Error(
    `full cycle time: no ${fullAt.hour}:${fullAt.minute} in ${fullAt.timeZone} within two days of ${now.toISOString()}`,
  );
}
