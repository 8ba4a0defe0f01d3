import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HubSpotSimulator, VismaNxtSimulator } from '@port-service/simulators';
import { afterEach, expect, it } from 'vitest';
import { openStateStore } from '../state/open-state-store.js';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { dropDatabase, freshDatabase } from '../test-support/postgres-server.js';
import { describeWithPostgres } from '../test-support/state-backends.js';
import { readState, type StateNames } from '../test-support/state-contents.js';
import { cli, run, startWorld, type World, writes } from './cli-harness.js';

// The real `crm-sync` CLI: a state synced on SQLite, copied to PostgreSQL with `crm-sync state copy`, goes on
// there as if nothing had happened: its links and fingerprints carried, the next cycle writes nothing.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every record both simulators hold, as it is now (maps as lists): equal before and after means nothing was written. */
function records(crm: HubSpotSimulator, erp: VismaNxtSimulator): string {
  return JSON.stringify([crm.store.records, erp.store.rows], (_key, value: unknown) =>
    value instanceof Map ? [...value.entries()] : value,
  );
}

/** An empty database, its URL carrying a password (the test server trusts loopback, so any does). */
async function emptyDatabase(): Promise<string> {
  const url = new URL(await freshDatabase());
  cleanups.push(() => dropDatabase(url.toString()));
  if (url.password === '') url.password = 'a-password-never-shown';
  return url.toString();
}

/** The names the state can only be asked about by name (watermarks, sessions, …), read from the SQLite file. */
async function namesIn(statePath: string): Promise<StateNames> {
  const store = openSqliteStateStore(statePath);
  await store.migrate();
  const users = (await store.consoleUsers()).map((user) => user.name);
  await store.close();
  const { default: Database } = await import('libsql');
  const db = new Database(statePath);
  try {
    const column = (sql: string) =>
      db
        .prepare(sql)
        .all()
        .map((row) => String(Object.values(row as object)[0]));
    return {
      watermarks: column('SELECT name FROM watermarks ORDER BY name'),
      users,
      sessions: column('SELECT id_hash FROM console_sessions'),
      loginSubjects: column('SELECT DISTINCT subject FROM login_failures'),
    };
  } finally {
    db.close();
  }
}

async function stateOf(location: string, names: StateNames) {
  const store = openStateStore(location);
  try {
    await store.migrate();
    return await readState(store, names);
  } finally {
    await store.close();
  }
}

describeWithPostgres('crm-sync state copy', () => {
  it('moves a synced SQLite state to PostgreSQL: the next cycle there writes nothing and duplicates nothing', async () => {
    const world: World = await startWorld({ customers: 6, companies: 5, seed: 16 });
    cleanups.push(() => world.close());
    expect((await cli(world, ['setup'])).code).toBe(0);
    expect([0, 3]).toContain((await run(world)).code);
    // Settled on SQLite: the cycle after the first has nothing left to do.
    const settled = await run(world);
    expect(writes(settled.report), settled.stderr).toBe(0);
    const statePath = world.env.CRM_SYNC_STATE ?? '';
    const key = readFileSync(join(world.dir, 'hash-key'), 'utf8').trim();
    const target = await emptyDatabase();
    const password = new URL(target).password;
    const keyFile = join(world.dir, 'secrets', 'postgres-hash-key');

    const dry = await cli(world, ['state', 'copy', '--to', target, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^links +\d+ +-/mu);
    expect(dry.stdout).toContain('has no state tables yet');

    const copied = await cli(world, ['state', 'copy', '--to', target, '--hash-key-file', keyFile]);
    expect(copied.code, copied.stdout + copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/^links +([1-9]\d*) +\1 +same$/mu);
    expect(copied.stdout).not.toMatch(/DIFFERS/u);
    expect(copied.stdout).toContain(`Set CRM_SYNC_HASH_KEY_FILE=${keyFile}`);
    for (const output of [copied.stdout, copied.stderr, dry.stdout, dry.stderr]) {
      expect(output).not.toContain(password);
      expect(output).not.toContain(key);
    }
    expect(copied.stdout).toContain(':***@');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const names = await namesIn(statePath);
    expect(await stateOf(target, names)).toEqual(await stateOf(statePath, names));

    // The same target again: it holds a state now.
    const again = await cli(world, [
      'state',
      'copy',
      '--to',
      target,
      '--hash-key-file',
      join(world.dir, 'other'),
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('holds a state already');

    const onPostgres: World = {
      ...world,
      env: { ...world.env, CRM_SYNC_STATE: target, CRM_SYNC_HASH_KEY_FILE: keyFile },
    };
    const before = records(world.crm, world.erp);
    const next = await run(onPostgres);
    expect(next.code, next.stderr).toBe(settled.code);
    expect(writes(next.report)).toBe(0);
    expect(records(world.crm, world.erp)).toBe(before);
    // From the watermarks, links and fingerprints it carried: an incremental cycle, nothing linked or settled anew.
    expect(next.report.mode).toBe('incremental');
    expect(next.report.entities.customer.applied).toEqual({});
    expect(next.report.entities.contact.applied).toEqual({});

    // Another key on that state refuses to start, naming the variable.
    const wrongKey: World = {
      ...world,
      env: { ...world.env, CRM_SYNC_STATE: target, CRM_SYNC_HASH_KEY: 'not-the-key-of-this-state' },
    };
    const refused = await cli(wrongKey, ['run']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CRM_SYNC_HASH_KEY: the fingerprint key is not the one the state');
    expect(refused.stderr).not.toContain(password);
  });
});
