import { describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig } from './config.js';

// CRM_SYNC_STATE as a PostgreSQL URL: the fingerprint key must be given, and the password never shows.
const complete = {
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-token',
  VISMA_CLIENT_ID: 'port-service-sync',
  VISMA_CLIENT_SECRET: 'secret',
  VISMA_COMPANY_NO: '9112233',
};
const url = 'postgres://sync:hunter2@db.example.com:5432/crm_sync?sslmode=verify-full';

function sources(env: Record<string, string>, files: Record<string, string> = {}) {
  const written: string[] = [];
  const value: ConfigSources = {
    env,
    readFile: (path) => files[path],
    writeSecretFile: (path) => {
      written.push(path);
    },
    randomKey: () => 'generated-key-0123456789abcdef',
  };
  return { value, written };
}

describe('a PostgreSQL state in the configuration', () => {
  it('opens the URL as given and names it with the password masked', () => {
    const result = loadConfig(
      sources({ ...complete, CRM_SYNC_STATE: url, CRM_SYNC_HASH_KEY: 'k'.repeat(32) }).value,
    );
    expect(result.ok && result.config).toMatchObject({
      stateLocation: url,
      statePath: 'postgres://sync:***@db.example.com:5432/crm_sync?sslmode=verify-full',
      hashKeySource: 'environment',
    });
  });

  it('takes the key from CRM_SYNC_HASH_KEY_FILE too', () => {
    const result = loadConfig(
      sources(
        { ...complete, CRM_SYNC_STATE: url, CRM_SYNC_HASH_KEY_FILE: '/run/secrets/key' },
        { '/run/secrets/key': `${'k'.repeat(32)}\n` },
      ).value,
    );
    expect(result.ok && result.config.hashKey).toBe('k'.repeat(32));
  });

  it('requires the fingerprint key, saying why, and writes no key file', () => {
    const { value, written } = sources({ ...complete, CRM_SYNC_STATE: url });
    const result = loadConfig(value);
    expect(result).toEqual({
      ok: false,
      errors: [
        'CRM_SYNC_HASH_KEY or CRM_SYNC_HASH_KEY_FILE is required when CRM_SYNC_STATE is a PostgreSQL URL: a generated fingerprint key is kept in a file beside a SQLite state, and a database has no directory beside it (every instance sharing the database needs the same key, at least 16 characters)',
      ],
    });
    expect(written).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('reports an unreadable key file once, and a short key as short', () => {
    const missing = loadConfig(
      sources({ ...complete, CRM_SYNC_STATE: url, CRM_SYNC_HASH_KEY_FILE: '/run/secrets/none' }).value,
    );
    expect(missing).toEqual({ ok: false, errors: ['CRM_SYNC_HASH_KEY_FILE: cannot read /run/secrets/none'] });
    const short = loadConfig(sources({ ...complete, CRM_SYNC_STATE: url, CRM_SYNC_HASH_KEY: 'short' }).value);
    expect(short).toEqual({
      ok: false,
      errors: ['CRM_SYNC_HASH_KEY must be at least 16 characters (it keys the fingerprints)'],
    });
  });

  it('refuses a URL it cannot read, masked', () => {
    const result = loadConfig(
      sources({
        ...complete,
        CRM_SYNC_STATE: 'postgres://sync:hunter2@[db',
        CRM_SYNC_HASH_KEY: 'k'.repeat(32),
      }).value,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'CRM_SYNC_STATE must be a PostgreSQL URL such as postgres://user:password@host:5432/database, got "postgres://sync:***@[db"',
      ],
    });
  });

  it('keeps a SQLite path as it was, with the generated key beside it', () => {
    const { value, written } = sources({ ...complete, CRM_SYNC_STATE: '/var/lib/crm-sync/state.db' });
    const result = loadConfig(value);
    expect(result.ok && result.config).toMatchObject({
      statePath: '/var/lib/crm-sync/state.db',
      stateLocation: '/var/lib/crm-sync/state.db',
      hashKeySource: 'generated',
    });
    expect(written).toEqual(['/var/lib/crm-sync/hash-key']);
  });
});
