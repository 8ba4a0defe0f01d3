import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FullCycleTime, loadServiceConfig, nextFullCycleAt, parseDuration } from './service-config.js';

const noFiles = (): string | undefined => undefined;

function errorsOf(env: Record<string, string>, files: Record<string, string> = {}): string[] {
  const result = loadServiceConfig(env, (path) => files[path]);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
}

function configOf(env: Record<string, string>, files: Record<string, string> = {}) {
  const result = loadServiceConfig(env, (path) => files[path]);
  if (!result.ok) throw new Error(`expected a configuration, got ${result.errors.join('; ')}`);
  return result.config;
}

describe('loadServiceConfig', () => {
  it('has defaults for everything: localhost:8787, every 10 minutes, full at 02:30 in Oslo, no webhooks', () => {
    expect(loadServiceConfig({}, noFiles)).toEqual({
      ok: true,
      config: {
        host: '127.0.0.1',
        port: 8787,
        intervalMs: 600_000,
        fullAt: { hour: 2, minute: 30, timeZone: 'Europe/Oslo' },
        publicUrl: null,
        hubspotWebhookSecret: null,
        hubspotAppId: null,
        vismaWebhookSecrets: [],
      },
    });
  });

  it('reads every setting', () => {
    const config = configOf({
      CRM_SYNC_HTTP_HOST: '0.0.0.0',
      CRM_SYNC_HTTP_PORT: '9100',
      CRM_SYNC_INTERVAL: '1h30m',
      CRM_SYNC_FULL_AT: '3:05',
      CRM_SYNC_FULL_AT_TIME_ZONE: 'America/New_York',
      CRM_SYNC_PUBLIC_URL: 'https://sync.example.no/crm-sync/',
      HUBSPOT_WEBHOOK_SECRET: ' client-secret ',
      HUBSPOT_APP_ID: '1160452',
      VISMA_WEBHOOK_SECRETS: 'new-key, old-key,,',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9100,
      intervalMs: 5_400_000,
      fullAt: { hour: 3, minute: 5, timeZone: 'America/New_York' },
      publicUrl: 'https://sync.example.no/crm-sync',
      hubspotWebhookSecret: 'client-secret',
      hubspotAppId: 1_160_452,
      vismaWebhookSecrets: ['new-key', 'old-key'],
    });
    expect(configOf({ CRM_SYNC_HTTP_HOST: '[::1]', CRM_SYNC_HTTP_PORT: '0' })).toMatchObject({
      host: '::1',
      port: 0,
    });
    expect(configOf({ CRM_SYNC_HTTP_HOST: 'sync-host.internal' }).host).toBe('sync-host.internal');
  });

  it('accepts intervals like 30s, 10m, 1h and 2h15m', () => {
    expect(configOf({ CRM_SYNC_INTERVAL: '30s' }).intervalMs).toBe(30_000);
    expect(configOf({ CRM_SYNC_INTERVAL: '10m' }).intervalMs).toBe(600_000);
    expect(configOf({ CRM_SYNC_INTERVAL: '1h' }).intervalMs).toBe(3_600_000);
    expect(configOf({ CRM_SYNC_INTERVAL: '2h15m' }).intervalMs).toBe(8_100_000);
    expect(configOf({ CRM_SYNC_INTERVAL: '24h' }).intervalMs).toBe(86_400_000);
    expect(parseDuration('1h0m30s')).toBe(3_630_000);
  });

  it.each(['10', '10 m', '10M', 'ten minutes', '0s', '0m', '25h', '-5m', '1.5h', '30m1h', 'PT10M', 'h'])(
    'refuses the interval "%s", naming the variable and the rule',
    (interval) => {
      expect(errorsOf({ CRM_SYNC_INTERVAL: interval })).toEqual([
        `CRM_SYNC_INTERVAL must be a duration of whole hours, minutes and seconds, largest first (e.g. 30s, 10m, 1h, 1h30m), from 1s to 24h, got "${interval}"`,
      ]);
    },
  );

  it('reports every bad setting at once, each naming its variable', () => {
    const errors = errorsOf({
      CRM_SYNC_HTTP_HOST: 'http://0.0.0.0:80',
      CRM_SYNC_HTTP_PORT: '70000',
      CRM_SYNC_FULL_AT: '24:00',
      CRM_SYNC_FULL_AT_TIME_ZONE: 'Mars/Olympus_Mons',
      CRM_SYNC_PUBLIC_URL: 'sync.example.no',
      HUBSPOT_APP_ID: '0',
    });
    expect(errors).toEqual([
      'CRM_SYNC_HTTP_HOST must be an IP address or a host name to listen on, without scheme or port (e.g. 127.0.0.1, or 0.0.0.0 for every IPv4 interface), got "http://0.0.0.0:80"',
      'CRM_SYNC_HTTP_PORT must be a whole number from 0 to 65535 (0: any free port), got "70000"',
      'CRM_SYNC_FULL_AT_TIME_ZONE must be an IANA time zone (e.g. "Europe/Oslo"), got "Mars/Olympus_Mons"',
      `CRM_SYNC_FULL_AT must be a local time HH:MM from 00:00 to 23:59 (e.g. 02:30), the daily full cycle's start in CRM_SYNC_FULL_AT_TIME_ZONE, got "24:00"`,
      'CRM_SYNC_PUBLIC_URL must be the http(s) base URL HubSpot calls, without query or fragment (e.g. https://sync.example.com), got "sync.example.no"',
      `HUBSPOT_APP_ID must be a positive whole number (the HubSpot app's id), got "0"`,
    ]);
    expect(errorsOf({ CRM_SYNC_FULL_AT: '2:3' })[0]).toMatch(/^CRM_SYNC_FULL_AT must be a local time HH:MM/u);
    expect(errorsOf({ CRM_SYNC_FULL_AT: '02:60' })[0]).toMatch(/got "02:60"$/u);
    expect(errorsOf({ CRM_SYNC_HTTP_PORT: '80a' })[0]).toMatch(/^CRM_SYNC_HTTP_PORT .* got "80a"$/u);
    expect(errorsOf({ CRM_SYNC_PUBLIC_URL: 'https://sync.example.no/?a=1' })[0]).toMatch(
      /^CRM_SYNC_PUBLIC_URL/u,
    );
    expect(errorsOf({ CRM_SYNC_PUBLIC_URL: 'ftp://sync.example.no' })[0]).toMatch(/^CRM_SYNC_PUBLIC_URL/u);
    expect(errorsOf({ HUBSPOT_APP_ID: '12ab' })[0]).toMatch(/^HUBSPOT_APP_ID .* got "12ab"$/u);
  });

  it('reads the webhook secrets from files: HubSpot trimmed, Business NXT one per line', () => {
    const config = configOf(
      {
        HUBSPOT_WEBHOOK_SECRET_FILE: '/run/credentials/crm-sync.service/hubspot-webhook-secret',
        VISMA_WEBHOOK_SECRETS_FILE: '/run/credentials/crm-sync.service/visma-webhook-secrets',
      },
      {
        '/run/credentials/crm-sync.service/hubspot-webhook-secret': 'from-a-file\n',
        '/run/credentials/crm-sync.service/visma-webhook-secrets': 'key+one/=\r\n\n  key,two  \n',
      },
    );
    expect(config.hubspotWebhookSecret).toBe('from-a-file');
    expect(config.vismaWebhookSecrets).toEqual(['key+one/=', 'key,two']);
  });

  it('reads the files from the file system when no reader is given', () => {
    const directory = mkdtempSync(join(tmpdir(), 'crm-sync-service-config-'));
    try {
      writeFileSync(join(directory, 'keys'), 'first\nsecond\n');
      const result = loadServiceConfig({ VISMA_WEBHOOK_SECRETS_FILE: join(directory, 'keys') });
      expect(result.ok && result.config.vismaWebhookSecrets).toEqual(['first', 'second']);
      expect(loadServiceConfig({ VISMA_WEBHOOK_SECRETS_FILE: join(directory, 'absent') })).toEqual({
        ok: false,
        errors: [`VISMA_WEBHOOK_SECRETS_FILE: cannot read ${join(directory, 'absent')}`],
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses a secret set twice, an unreadable or empty file, and a list of commas', () => {
    expect(errorsOf({ HUBSPOT_WEBHOOK_SECRET: 'a', HUBSPOT_WEBHOOK_SECRET_FILE: '/etc/secret' })).toEqual([
      'HUBSPOT_WEBHOOK_SECRET and HUBSPOT_WEBHOOK_SECRET_FILE are both set: set one',
    ]);
    expect(errorsOf({ VISMA_WEBHOOK_SECRETS_FILE: '/missing' })).toEqual([
      'VISMA_WEBHOOK_SECRETS_FILE: cannot read /missing',
    ]);
    expect(errorsOf({ HUBSPOT_WEBHOOK_SECRET_FILE: '/empty' }, { '/empty': ' \n' })).toEqual([
      'HUBSPOT_WEBHOOK_SECRET_FILE: /empty is empty',
    ]);
    expect(errorsOf({ VISMA_WEBHOOK_SECRETS: ' , ,' })).toEqual([
      'VISMA_WEBHOOK_SECRETS must list at least one signature key (comma-separated), got only commas',
    ]);
  });
});

const oslo = (hour: number, minute: number): FullCycleTime => ({ hour, minute, timeZone: 'Europe/Oslo' });
const next = (now: string, fullAt: FullCycleTime) => nextFullCycleAt(new Date(now), fullAt).toISOString();

describe('nextFullCycleAt', () => {
  it('gives the next 02:30 in Oslo: CET (+01:00) in winter, CEST (+02:00) in summer', () => {
    expect(next('2026-01-15T00:00:00.000Z', oslo(2, 30))).toBe('2026-01-15T01:30:00.000Z');
    expect(next('2026-01-15T12:00:00.000Z', oslo(2, 30))).toBe('2026-01-16T01:30:00.000Z');
    expect(next('2026-06-01T00:00:00.000Z', oslo(2, 30))).toBe('2026-06-01T00:30:00.000Z');
    // Late in the local evening, already the next UTC day in the zone: the next local 02:30.
    expect(next('2026-06-01T22:30:00.000Z', oslo(2, 30))).toBe('2026-06-02T00:30:00.000Z');
  });

  it('is strictly after now: at the full time itself, the next one is tomorrow', () => {
    expect(next('2026-01-15T01:30:00.000Z', oslo(2, 30))).toBe('2026-01-16T01:30:00.000Z');
    expect(next('2026-01-15T01:29:59.999Z', oslo(2, 30))).toBe('2026-01-15T01:30:00.000Z');
  });

  it('29 March 2026 (02:00 CET → 03:00 CEST): a time in the gap moves to 03:00, the next valid minute', () => {
    expect(next('2026-03-28T12:00:00.000Z', oslo(2, 30))).toBe('2026-03-29T01:00:00.000Z');
    expect(next('2026-03-28T12:00:00.000Z', oslo(2, 0))).toBe('2026-03-29T01:00:00.000Z');
    expect(next('2026-03-28T12:00:00.000Z', oslo(2, 59))).toBe('2026-03-29T01:00:00.000Z');
    expect(next('2026-03-28T12:00:00.000Z', oslo(3, 0))).toBe('2026-03-29T01:00:00.000Z');
    expect(next('2026-03-28T12:00:00.000Z', oslo(1, 59))).toBe('2026-03-29T00:59:00.000Z');
    expect(next('2026-03-28T12:00:00.000Z', oslo(3, 1))).toBe('2026-03-29T01:01:00.000Z');
    // The day before is still CET; the day after is CEST, at 02:30 again.
    expect(next('2026-03-28T00:00:00.000Z', oslo(2, 30))).toBe('2026-03-28T01:30:00.000Z');
    expect(next('2026-03-29T01:00:00.000Z', oslo(2, 30))).toBe('2026-03-30T00:30:00.000Z');
  });

  it('25 October 2026 (03:00 CEST → 02:00 CET): a repeated time runs once, at the first', () => {
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(next('2026-10-24T12:00:00.000Z', oslo(2, 30))).toBe('2026-10-25T00:30:00.000Z');
    expect(next('2026-10-25T00:30:00.000Z', oslo(2, 30))).toBe('2026-10-26T01:30:00.000Z');
    expect(next('2026-10-25T01:00:00.000Z', oslo(2, 30))).toBe('2026-10-26T01:30:00.000Z');
    expect(next('2026-10-24T12:00:00.000Z', oslo(2, 0))).toBe('2026-10-25T00:00:00.000Z');
    // 03:00 comes once, an hour after the second 02:00; 01:59 once, in CEST.
    expect(next('2026-10-24T12:00:00.000Z', oslo(3, 0))).toBe('2026-10-25T02:00:00.000Z');
    expect(next('2026-10-24T12:00:00.000Z', oslo(1, 59))).toBe('2026-10-24T23:59:00.000Z');
  });

  it('chained, gives one full cycle per local day through both changes', () => {
    const chain = (from: string, days: number) => {
      const starts: string[] = [];
      let now = new Date(from);
      for (let day = 0; day < days; day += 1) {
        now = nextFullCycleAt(now, oslo(2, 30));
        starts.push(now.toISOString());
      }
      return starts;
    };
    expect(chain('2026-03-27T12:00:00.000Z', 4)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(chain('2026-10-23T12:00:00.000Z', 4)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('works in other zones: UTC, New York (west of UTC), Lord Howe (a 30-minute change)', () => {
    expect(next('2026-03-29T01:00:00.000Z', { hour: 2, minute: 30, timeZone: 'UTC' })).toBe(
      '2026-03-29T02:30:00.000Z',
    );
    // New York springs forward on 8 March 2026 at 02:00 EST (07:00Z) to 03:00 EDT.
    expect(next('2026-03-08T00:00:00.000Z', { hour: 2, minute: 30, timeZone: 'America/New_York' })).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    // Lord Howe springs forward on 4 October 2026 at 02:00 (+10:30, 15:30Z) to 02:30 (+11:00).
    expect(next('2026-10-03T00:00:00.000Z', { hour: 2, minute: 10, timeZone: 'Australia/Lord_Howe' })).toBe(
      '2026-10-03T15:30:00.000Z',
    );
  });

  it('refuses an hour or minute out of range', () => {
    expect(() => nextFullCycleAt(new Date(), oslo(24, 0))).toThrow(RangeError);
    expect(() => nextFullCycleAt(new Date(), oslo(2, 60))).toThrow(
      /minute must be a whole number from 0 to 59/u,
    );
  });
});
