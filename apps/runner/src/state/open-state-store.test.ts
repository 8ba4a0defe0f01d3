import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropDatabase, freshDatabase } from '../test-support/postgres-server.js';
import { describeWithPostgres } from '../test-support/state-backends.js';
import { openMigratedStateStore, StateStoreOpenError } from './open-state-store.js';
import { describePostgresTarget, describeStateLocation, stateLocationKind } from './state-location.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('state locations', () => {
  it('are PostgreSQL for postgres:// and postgresql:// URLs, SQLite for anything else', () => {
    expect(stateLocationKind('postgres://sync@db/crm')).toBe('postgres');
    expect(stateLocationKind(' POSTGRESQL://sync@db/crm')).toBe('postgres');
    expect(stateLocationKind('./.crm-sync/state.db')).toBe('sqlite');
    expect(stateLocationKind('/var/lib/postgres/state.db')).toBe('sqlite');
  });

  it('show a URL with its password masked, wherever it is given, and a path as it is', () => {
    expect(
      describeStateLocation('postgres://sync:s3cr%40t@db.example.com:5433/crm_sync?sslmode=verify-full'),
    ).toBe('postgres://sync:***@db.example.com:5433/crm_sync?sslmode=verify-full');
    expect(describeStateLocation('postgresql://sync@db/crm?password=s3cret&sslmode=disable')).toBe(
      'postgresql://sync@db/crm?password=***&sslmode=disable',
    );
    expect(describeStateLocation('postgres://sync:s3cret@[bad')).toBe('postgres://sync:***@[bad');
    expect(describeStateLocation('./state.db')).toBe('./state.db');
    expect(describePostgresTarget('postgres://sync:x@db.example.com/crm_sync')).toBe(
      'host db.example.com:5432, database crm_sync',
    );
  });
});

describe('opening a state store', () => {
  it('answers a migrated SQLite store for a path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'crm-sync-open-'));
    try {
      const store = await openMigratedStateStore(join(folder, 'deep', 'state.db'));
      await store.setWatermark('w', 'v');
      expect(await store.getWatermark('w')).toBe('v');
      await store.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names a SQLite file it cannot write and what to do', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'crm-sync-open-'));
    try {
      writeFileSync(join(folder, 'file'), '');
      const opening = openMigratedStateStore(join(folder, 'file', 'state.db'));
      await expect(opening).rejects.toThrow(StateStoreOpenError);
      await expect(opening).rejects.toThrow(
        new RegExp(
          `^CRM_SYNC_STATE: cannot open or write the state store ${folder}/file/state\\.db \\(.+\\): point`,
        ),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names the PostgreSQL server and database it cannot reach and the cause, never the password', async () => {
    const port = await closedPort();
    const opening = openMigratedStateStore(`postgres://sync:hunter2@127.0.0.1:${port}/crm_sync`);
    const error = await opening.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StateStoreOpenError);
    const message = (error as Error).message;
    expect(message).toContain(
      `postgres://sync:***@127.0.0.1:${port}/crm_sync (host 127.0.0.1:${port}, database crm_sync)`,
    );
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
  });
});

describeWithPostgres('opening a PostgreSQL state store', () => {
  it('answers a migrated store, and names a database that does not exist, password masked', async () => {
    const created = await freshDatabase();
    const url = new URL(created);
    // A server that trusts loopback ignores the password; one that checks it has its own in the URL already.
    if (url.password === '') url.password = 'not-needed-here';
    const password = decodeURIComponent(url.password);
    try {
      const store = await openMigratedStateStore(url.toString());
      expect(await store.binding()).toBeNull();
      await store.close();
      url.pathname = '/no_such_database';
      const error = await openMigratedStateStore(url.toString()).catch((failure: unknown) => failure);
      expect((error as Error).message).toContain('database "no_such_database" does not exist');
      expect((error as Error).message).toContain('database no_such_database)');
      expect((error as Error).message).not.toContain(password);
    } finally {
      await dropDatabase(created);
    }
  });
});
