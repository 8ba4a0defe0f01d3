import { describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig } from './config.js';

function sources(env: Record<string, string>, files: Record<string, string> = {}) {
  const written: Record<string, string> = {};
  const value: ConfigSources = {
    env,
    readFile: (path) => files[path] ?? written[path],
    writeSecretFile: (path, content) => {
      written[path] = content;
    },
    randomKey: () => 'generated-key-0123456789abcdef',
  };
  return { value, written };
}

const complete = {
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
  VISMA_CLIENT_ID: 'port-service-sync',
  VISMA_CLIENT_SECRET: 'secret',
  VISMA_COMPANY_NO: '9112233',
};

describe('loadConfig', () => {
  it('reads the environment with the real endpoints as defaults, and keeps a generated fingerprint key beside the state', () => {
    const { value, written } = sources(complete);
    const result = loadConfig(value);
    expect(result.ok && result.config).toMatchObject({
      hubspot: { accessToken: 'pat-na1-token', baseUrl: 'https://api.hubapi.com' },
      visma: {
        clientId: 'port-service-sync',
        companyNo: 9112233,
        tokenUrl: 'https://connect.visma.com/connect/token',
        graphqlUrl: 'https://business.visma.net/api/graphql-service',
      },
      statePath: './.crm-sync/state.db',
      hashKey: 'generated-key-0123456789abcdef',
      hashKeySource: 'generated',
    });
    expect(written['.crm-sync/hash-key']).toBe('generated-key-0123456789abcdef\n');
    const again = loadConfig(
      sources(complete, { '.crm-sync/hash-key': 'generated-key-0123456789abcdef\n' }).value,
    );
    expect(again.ok && again.config.hashKeySource).toBe('file');
  });

  it('points at the simulators when given their URLs, and reads secrets from *_FILE variables', () => {
    const env = {
      ...complete,
      HUBSPOT_ACCESS_TOKEN: '',
      HUBSPOT_ACCESS_TOKEN_FILE: '/run/secrets/hubspot',
      HUBSPOT_BASE_URL: 'http://127.0.0.1:4200/',
      VISMA_TOKEN_URL: 'http://127.0.0.1:4100/connect/token',
      VISMA_GRAPHQL_URL: 'http://127.0.0.1:4100/api/graphql-service',
      CRM_SYNC_HASH_KEY: 'a-long-enough-secret-key',
    };
    const result = loadConfig(sources(env, { '/run/secrets/hubspot': 'pat-from-file\n' }).value);
    expect(result.ok && result.config).toMatchObject({
      hubspot: { accessToken: 'pat-from-file', baseUrl: 'http://127.0.0.1:4200' },
      visma: { graphqlUrl: 'http://127.0.0.1:4100/api/graphql-service' },
      hashKeySource: 'environment',
    });
  });

  it('names every problem at once: variable or key, and what is expected', () => {
    const env = {
      VISMA_CLIENT_ID: 'x',
      VISMA_COMPANY_NO: 'abc',
      VISMA_CLIENT_SECRET: 's',
      VISMA_CLIENT_SECRET_FILE: '/s',
      HUBSPOT_BASE_URL: 'ftp://nope',
      HUBSPOT_API_VERSION: 'v3',
      CRM_SYNC_CONFIG: '/etc/crm-sync.json',
      CRM_SYNC_HASH_KEY: 'short',
    };
    const result = loadConfig(
      sources(env, {
        '/etc/crm-sync.json': '{"customers": {"fields": {"phone": {"policy": "loudest"}}}, "bogus": 1}',
      }).value,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        expect.stringMatching(/^HUBSPOT_ACCESS_TOKEN is required/),
        'VISMA_CLIENT_SECRET and VISMA_CLIENT_SECRET_FILE are both set: set one',
        expect.stringMatching(/^VISMA_COMPANY_NO must be a positive whole number/),
        'HUBSPOT_API_VERSION must be "2026-09" (the default) or "legacy" (HubSpot\'s /crm/v3 and /crm/v4 paths, which it ends in 2027), got "v3"',
        expect.stringMatching(/^\/etc\/crm-sync\.json: (customers\.fields\.phone\.policy|\(root\))/),
        expect.stringMatching(/^\/etc\/crm-sync\.json: /),
        'CRM_SYNC_HASH_KEY must be at least 16 characters (it keys the fingerprints)',
        'HUBSPOT_BASE_URL must be an http(s) URL, got "ftp://nope"',
      ]);
    }
  });

  it("reads the Business NXT server's time zone: Europe/Oslo by default, any IANA zone, nothing else", () => {
    const zoneOf = (env: Record<string, string>) => {
      const result = loadConfig(sources({ ...complete, ...env }).value);
      return result.ok ? result.config.visma.timeZone : result.errors;
    };
    expect(zoneOf({})).toBe('Europe/Oslo');
    expect(zoneOf({ VISMA_TIME_ZONE: 'America/New_York' })).toBe('America/New_York');
    expect(zoneOf({ VISMA_TIME_ZONE: 'CEST+2' })).toEqual([
      'VISMA_TIME_ZONE must be an IANA time zone, the Business NXT server\'s (e.g. "Europe/Oslo"), got "CEST+2"',
    ]);
  });

  it('names the state path when the key cannot be written beside it', () => {
    const { value } = sources({ ...complete, CRM_SYNC_STATE: '/srv/file/state.db' });
    const result = loadConfig({
      ...value,
      writeSecretFile: () => {
        throw new Error("ENOTDIR: not a directory, mkdir '/srv/file'");
      },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        "CRM_SYNC_STATE: cannot write the fingerprint key /srv/file/hash-key beside the state /srv/file/state.db (ENOTDIR: not a directory, mkdir '/srv/file'): point CRM_SYNC_STATE at a file in a directory this user can create and write",
      ],
    });
  });

  it('writes no key file when the configuration is wrong anyway', () => {
    const { value, written } = sources({ VISMA_CLIENT_ID: 'x' });
    expect(loadConfig(value).ok).toBe(false);
    expect(written).toEqual({});
  });
});

describe('nodeConfigSources', () => {
  it('creates the key file owner-only and never overwrites one', async () => {
    const { mkdtempSync, readFileSync, statSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { nodeConfigSources } = await import('./node-sources.js');
    const directory = mkdtempSync(join(tmpdir(), 'crm-sync-config-'));
    try {
      const env = { ...complete, CRM_SYNC_STATE: join(directory, 'state', 'state.db') };
      const first = loadConfig(nodeConfigSources(env));
      const second = loadConfig(nodeConfigSources(env));
      expect(first.ok && second.ok && first.config.hashKey === second.config.hashKey).toBe(true);
      expect(second.ok && second.config.hashKeySource).toBe('file');
      expect(statSync(join(directory, 'state', 'hash-key')).mode & 0o777).toBe(0o600);
      // A second writer (two runners starting together) leaves the first key in place.
      nodeConfigSources(env).writeSecretFile(join(directory, 'state', 'hash-key'), 'other');
      expect(readFileSync(join(directory, 'state', 'hash-key'), 'utf8').trim()).toBe(
        first.ok ? first.config.hashKey : '',
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
