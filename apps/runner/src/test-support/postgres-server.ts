import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { migrations } from '../state/migrations.js';
import { openPostgresStateStore } from '../state/postgres/postgres-state-store.js';
import { findPostgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { readClusterRecord, startCluster, stopCluster } from './postgres-cluster.js';

/**
 * PostgreSQL for tests: a server given by `CRM_SYNC_TEST_POSTGRES_URL`, or one throwaway cluster per vitest run,
 * started by the first test that asks for it (a run without PostgreSQL tests starts none) and stopped by the
 * global setup's teardown (postgres-global-setup.ts), or by a watchdog when the run was killed.
 */
export type PostgresTestContext =
  | { readonly kind: 'external'; readonly url: string }
  | {
      readonly kind: 'throwaway';
      /** Where the cluster lives; created by whichever test process starts it. */
      readonly home: string;
      /** The process whose end stops the cluster (the vitest run's main process). */
      readonly ownerPid: number;
      readonly binaries: PostgresBinaries;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    crmSyncPostgres: PostgresTestContext;
  }
}

export const testPostgresUrlVariable = 'CRM_SYNC_TEST_POSTGRES_URL';

/** What this machine offers, decided without starting anything. */
export function postgresTestContext(
  env: NodeJS.ProcessEnv = process.env,
  ownerPid = process.pid,
): PostgresTestContext {
  const url = env[testPostgresUrlVariable]?.trim();
  if (url) return { kind: 'external', url };
  const found = findPostgresBinaries(env);
  if (!found.found) return { kind: 'unavailable', reason: found.reason };
  const home = join(tmpdir(), `crm-sync-postgres-${ownerPid}-${randomBytes(4).toString('hex')}`);
  return { kind: 'throwaway', home, ownerPid, binaries: found.binaries };
}

let ownContext: PostgresTestContext | undefined;

/** The run's context from the global setup; a process without one (another config) gets its own cluster. */
function context(): PostgresTestContext {
  try {
    const provided = inject('crmSyncPostgres');
    if (provided !== undefined) return provided;
  } catch {
    // Not in a vitest worker: fall through.
  }
  if (ownContext === undefined) {
    const own = postgresTestContext();
    ownContext = own;
    if (own.kind === 'throwaway') process.once('exit', () => stopCluster(own.home));
  }
  return ownContext;
}

/** Why PostgreSQL tests cannot run here, or `null` when they can. */
export function postgresSkipReason(): string | null {
  const current = context();
  return current.kind === 'unavailable' ? current.reason : null;
}

/** Holds `home/start.lock` (mkdir is atomic) while `work` runs: one test process starts the cluster. */
async function whileLocked<T>(home: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const lock = join(home, 'start.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline)
        throw new Error(`waited 120 s for another test process to start PostgreSQL (${lock})`);
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let serverUrl: Promise<string> | undefined;

/** The superuser URL of the test server, starting the run's cluster when no test has yet. */
export function postgresServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const current = context();
    if (current.kind === 'external') return current.url;
    if (current.kind === 'unavailable')
      throw new Error(`PostgreSQL is not available for tests: ${current.reason}`);
    return whileLocked(current.home, async () => {
      const running = readClusterRecord(current.home);
      if (running !== null) return running.url;
      return (await startCluster(current.home, current.binaries, current.ownerPid)).url;
    });
  })();
  return serverUrl;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await postgresServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

const createDatabase = async (client: pg.Client, name: string, template: string | null) => {
  if (template !== null) {
    await client.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template)} STRATEGY FILE_COPY`);
    return;
  }
  try {
    await client.query(
      `CREATE DATABASE ${quoted(name)} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' STRATEGY FILE_COPY`,
    );
  } catch {
    await client.query(`CREATE DATABASE ${quoted(name)}`);
  }
};

const databaseUrl = async (name: string) => {
  const url = new URL(await postgresServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

let migratedTemplate: Promise<string> | undefined;

/**
 * A database holding the current schema and nothing else, made once per server and schema (its name carries a
 * hash of the PostgreSQL migrations) under an advisory lock, so test processes starting together build it once.
 * Built under another name and renamed when complete: a process that died half-way leaves nothing used.
 */
function migratedTemplateName(): Promise<string> {
  migratedTemplate ??= (async () => {
    const schema = JSON.stringify(migrations.map((migration) => [migration.version, migration.postgres]));
    const name = `crm_sync_template_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
    await onServer(async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount !== 0) return;
        const building = `${name}_${randomBytes(4).toString('hex')}`;
        await createDatabase(client, building, null);
        const store = openPostgresStateStore(await databaseUrl(building));
        try {
          await store.migrate();
        } finally {
          await store.close();
        }
        await client.query(`ALTER DATABASE ${quoted(building)} RENAME TO ${quoted(name)}`);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    return name;
  })();
  return migratedTemplate;
}

/**
 * A new database on the test server, as a postgres:// URL; drop it with `dropDatabase` when done. Empty, or with
 * the current schema already (`migrated`: a copy of a template, faster than migrating each time). Its default
 * collation is linguistic (ICU en-US, as production servers' usually are, where 'B' sorts after 'a'), so a query
 * that relies on bytewise order without saying so fails here too; plain when the server lacks ICU (PostgreSQL
 * before 15). FILE_COPY: copying the template's files is faster here than logging them.
 * https://www.postgresql.org/docs/15/sql-createdatabase.html
 */
export async function freshDatabase(options: { migrated?: boolean } = {}): Promise<string> {
  const template = options.migrated === true ? await migratedTemplateName() : null;
  const name = `crm_sync_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => createDatabase(client, name, template));
  return databaseUrl(name);
}

/** Drops a database `freshDatabase` made, closing what is still connected to it (PostgreSQL 13 or later). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`));
}
