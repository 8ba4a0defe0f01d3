import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dropDatabase, freshDatabase } from '../../test-support/postgres-server.js';
import { describeWithPostgres, type StateBackend, stateBackends } from '../../test-support/state-backends.js';
import { fillState, readState } from '../../test-support/state-contents.js';
import { hashKeyCheckName, hashKeyCheckValue } from '../hash-key-check.js';
import { openMigratedStateStore, openStateStore, StateStoreOpenError } from '../open-state-store.js';
import { withStateMeta } from '../state-meta.js';
import type { StateStore } from '../state-store.js';
import { copiedTables, tablesNotCopied } from './copied-tables.js';
import { copyState, type StateCopyRequest } from './copy-state.js';

function backend(dialect: StateBackend['dialect']): StateBackend {
  const found = stateBackends.find((candidate) => candidate.dialect === dialect);
  if (found === undefined) throw new Error(`no ${dialect} backend`);
  return found;
}
const sqlite = backend('sqlite');
const postgres = backend('postgres');
const key = 'the-fingerprint-key-of-this-state';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteState(): Promise<string> {
  const location = await sqlite.freshLocation();
  cleanups.push(() => sqlite.removeLocation(location));
  return location;
}

async function database(options: { migrated?: boolean } = {}): Promise<string> {
  const url = await freshDatabase(options);
  cleanups.push(() => dropDatabase(url));
  return url;
}

async function opened(location: string, hashKey?: string): Promise<StateStore> {
  const store = await openMigratedStateStore(location, undefined, undefined, hashKey);
  // Some tests close it themselves (to reopen it as another command would).
  cleanups.push(() => store.close().catch(() => undefined));
  return store;
}

function copy(source: string, target: string, overrides: Partial<StateCopyRequest> = {}) {
  const progress: string[] = [];
  const committed: string[] = [];
  const outcome = copyState({
    source,
    target,
    hashKey: key,
    dryRun: false,
    logger: pino({ level: 'silent' }),
    progress: (line) => progress.push(line),
    beforeCommit: { run: () => committed.push('run'), undo: () => committed.push('undo') },
    ...overrides,
  });
  return { outcome, progress, committed };
}

const tablesOf = async (url: string) =>
  (
    await postgres.rows(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'",
    )
  ).map((row) => String(row.table_name));

const rowsIn = async (url: string, table: string) =>
  Number((await postgres.rows(url, `SELECT COUNT(*) AS count FROM ${table}`))[0]?.count);

describe('the tables a state copy copies', () => {
  it('are every table the migrations leave in a state, but the migrations, cycle lock and leadership', async () => {
    const location = await sqliteState();
    await (await opened(location)).close();
    const tables = await sqlite.rows(
      location,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    );
    const expected = tables.map((row) => String(row.name)).filter((name) => !(name in tablesNotCopied));
    expect([...copiedTables()].sort()).toEqual(expected.sort());
    expect(copiedTables()).toContain('state_meta');
    expect(Object.keys(tablesNotCopied).sort()).toEqual(['leadership', 'locks', 'schema_migrations']);
  });
});

describeWithPostgres('state copy from SQLite to PostgreSQL', () => {
  it('copies every table, verified, and the PostgreSQL store answers exactly what the SQLite store did', async () => {
    const source = await sqliteState();
    const names = await fillState(await opened(source));
    const target = await database();
    const { outcome, committed } = copy(source, target);
    const copied = await outcome;
    if (copied.kind !== 'copied') throw new Error(`not copied: ${JSON.stringify(copied)}`);
    expect(copied.tables.map((table) => table.table)).toEqual(copiedTables());
    expect(copied.tables.every((table) => table.same && table.source === table.target)).toBe(true);
    expect(copied.tables.find((table) => table.table === 'links')).toMatchObject({ source: 4, target: 4 });
    // fillState leaves something in every table: a table a new migration adds wants a line there.
    expect(copied.tables.filter((table) => table.source === 0).map((table) => table.table)).toEqual([]);
    expect(committed).toEqual(['run']);

    const fromSqlite = await readState(await opened(source), names);
    const fromPostgres = await readState(await opened(target), names);
    expect(fromPostgres).toEqual(fromSqlite);
    expect(fromPostgres.links.customer).toHaveLength(2);
    // The key check went with it (recorded in the source, which had none), and the key works on the target.
    const check = (location: string) => withStateMeta(location, (meta) => meta.get(hashKeyCheckName));
    expect(await check(source)).toBe(hashKeyCheckValue(key));
    expect(await check(target)).toBe(hashKeyCheckValue(key));
    await expect(opened(target, key)).resolves.toBeDefined();
    await expect(opened(target, 'another-key-of-enough-length')).rejects.toThrow(/^CRM_SYNC_HASH_KEY: /u);
    // Both cycle locks were let go.
    const other = { id: 'elsewhere/1/run', description: 'another cycle' };
    for (const location of [source, target])
      expect(await (await opened(location)).acquireLock(other, 60_000)).toEqual({ ok: true });
  });

  it('refuses a target that holds a state, and leaves it as it was', async () => {
    const source = await sqliteState();
    await fillState(await opened(source));
    const target = await database({ migrated: true });
    await (await opened(target)).insertLink('customer', { crmId: '1', associateNo: 1, fingerprints: {} });
    const { outcome, committed } = copy(source, target);
    expect(await outcome).toEqual({
      kind: 'refused',
      locked: false,
      reason: expect.stringMatching(/cannot take a copy: it holds a state already \(rows in links\)/u),
    });
    expect(committed).toEqual([]);
    expect(await rowsIn(target, 'links')).toBe(1);
    expect(await rowsIn(target, 'bindings')).toBe(0);
  });

  it('refuses while a cycle holds the source lock, before touching the target', async () => {
    const source = await sqliteState();
    const store = await opened(source);
    await fillState(store);
    await store.acquireLock(
      { id: 'elsewhere/4242/run', description: 'crm-sync pid 4242 on elsewhere' },
      60_000,
    );
    const target = await database();
    expect(await copy(source, target).outcome).toEqual({
      kind: 'refused',
      locked: true,
      reason: expect.stringContaining(
        'a cycle is running on the source state (crm-sync pid 4242 on elsewhere)',
      ),
    });
    expect(await tablesOf(target)).toEqual([]);
  });

  it('refuses a key the source was not made with, and a target opened with another key', async () => {
    const source = await sqliteState();
    await fillState(await opened(source, 'the-key-its-cycles-ran-with'));
    const target = await database();
    const wrongKey = await copy(source, target).outcome;
    expect(wrongKey).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/^CRM_SYNC_HASH_KEY: /u),
    });
    expect(await tablesOf(target)).toEqual([]);

    const other = await sqliteState();
    await fillState(await opened(other));
    await (await opened(target, 'the-key-of-another-setup')).close();
    expect(await copy(other, target).outcome).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('it was opened with another fingerprint key than the source state'),
    });
  });

  it('copies into a target a command opened with the same key (nothing in it but that key check)', async () => {
    const source = await sqliteState();
    await fillState(await opened(source, key));
    const target = await database();
    await (await opened(target, key)).close();
    expect((await copy(source, target).outcome).kind).toBe('copied');
    expect(await rowsIn(target, 'state_meta')).toBe(1);
  });

  it('writes nothing in a dry run: counts, and what the target holds', async () => {
    const source = await sqliteState();
    await fillState(await opened(source));
    const target = await database();
    const { outcome, committed } = copy(source, target, { dryRun: true });
    const dry = await outcome;
    if (dry.kind !== 'dry-run') throw new Error(`not a dry run: ${JSON.stringify(dry)}`);
    expect(dry.target).toEqual({ kind: 'not migrated' });
    expect(dry.tables.find((table) => table.table === 'conflicts')).toEqual({
      table: 'conflicts',
      source: 2,
      target: null,
      same: null,
    });
    expect(committed).toEqual([]);
    expect(await tablesOf(target)).toEqual([]);
    // Not even the key check is recorded in the source.
    expect(await withStateMeta(source, (meta) => meta.get(hashKeyCheckName))).toBeNull();
  });

  it('finds a table whose copy differs, names it, and commits nothing', async () => {
    const source = await sqliteState();
    await fillState(await opened(source));
    const target = await database({ migrated: true });
    // A target that changes what it is given: the verification must notice.
    await postgres.execute(
      target,
      `CREATE FUNCTION alter_value() RETURNS trigger AS $$ BEGIN NEW.value := NEW.value || ' '; RETURN NEW; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER alter_value BEFORE INSERT ON watermarks FOR EACH ROW EXECUTE FUNCTION alter_value();`,
    );
    const { outcome, committed } = copy(source, target);
    const differs = await outcome;
    if (differs.kind !== 'differs') throw new Error(`no difference found: ${JSON.stringify(differs)}`);
    expect(differs.tables.filter((table) => !table.same).map((table) => table.table)).toEqual(['watermarks']);
    expect(committed).toEqual([]);
    expect(await rowsIn(target, 'watermarks')).toBe(0);
    expect(await rowsIn(target, 'links')).toBe(0);
  });

  it('says how far it is with a large table', async () => {
    const source = await sqliteState();
    await (await opened(source)).close();
    await sqlite.execute(
      source,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
       INSERT INTO login_failures (subject, failed_at) SELECT 'subject-' || (i % 7), printf('2026-12-01T09:%05d', i) FROM n`,
    );
    const target = await database();
    const { outcome, progress } = copy(source, target);
    expect((await outcome).kind).toBe('copied');
    expect(progress).toEqual(['copying login_failures: 10000 of 10001 rows', 'verifying login_failures']);
    expect(await rowsIn(target, 'login_failures')).toBe(10001);
  });
});

it('opens a state with the key it was made with, and refuses another one naming CRM_SYNC_HASH_KEY', async () => {
  const location = await sqliteState();
  await (await opened(location, key)).close();
  await expect(opened(location, key)).resolves.toBeDefined();
  const refused = opened(location, 'a-key-that-is-not-the-one');
  await expect(refused).rejects.toBeInstanceOf(StateStoreOpenError);
  await expect(refused).rejects.toThrow(
    /^CRM_SYNC_HASH_KEY: the fingerprint key is not the one the state .* was made with/u,
  );
  // Without a key (`crm-sync users`), a state opens as before.
  const store = openStateStore(location);
  await store.migrate();
  await store.close();
});
