import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { openStateStore } from '../state/open-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { dropDatabase, freshDatabase, postgresSkipReason } from './postgres-server.js';

/** A state store backend the contract suite runs on, with raw access for setting up what the store cannot. */
export interface StateBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Which statements of `migrations` this backend runs. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Why this backend's tests cannot run here, or `null`. */
  readonly skipReason: string | null;
  /**
   * A new location: a file in a new temporary folder, or a new database on the test server, with the current
   * schema unless `empty` (a SQLite file is always empty: it migrates in milliseconds).
   */
  freshLocation(options?: { empty?: boolean }): Promise<string>;
  /** Deletes what `freshLocation` made. */
  removeLocation(location: string): Promise<void>;
  /** Runs statements straight on the location, beside the store (an old schema, a dropped table, …). */
  execute(location: string, sql: string): Promise<void>;
  /** The rows of a query run straight on the location. */
  rows(location: string, sql: string): Promise<Array<Record<string, unknown>>>;
}

const sqliteFolders = new Map<string, string>();

const sqlite: StateBackend = {
  name: 'SQLite',
  dialect: 'sqlite',
  skipReason: null,
  async freshLocation() {
    const folder = mkdtempSync(join(tmpdir(), 'crm-sync-state-'));
    // A folder that does not exist yet: the store creates it.
    const location = join(folder, 'nested', 'state.db');
    sqliteFolders.set(location, folder);
    return location;
  },
  async removeLocation(location) {
    const folder = sqliteFolders.get(location);
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    sqliteFolders.delete(location);
  },
  async execute(location, sql) {
    mkdirSync(dirname(location), { recursive: true });
    const db = new Database(location);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
  async rows(location, sql) {
    const db = new Database(location);
    try {
      return db.prepare(sql).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  },
};

async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const postgres: StateBackend = {
  name: 'PostgreSQL',
  dialect: 'postgres',
  skipReason: postgresSkipReason(),
  freshLocation: (options) => freshDatabase({ migrated: options?.empty !== true }),
  removeLocation: dropDatabase,
  async execute(location, sql) {
    await onDatabase(location, (client) => client.query(sql));
  },
  async rows(location, sql) {
    return onDatabase(location, async (client) => (await client.query(sql)).rows);
  },
};

export const stateBackends: readonly StateBackend[] = [sqlite, postgres];

let warned = false;

/**
 * Runs `suite` once per backend, in a describe named after it. A backend that cannot run here is skipped, its
 * reason in the suite's name and in one warning line.
 */
export function describeStateBackends(title: string, suite: (backend: StateBackend) => void): void {
  for (const backend of stateBackends) {
    const skipped = backend.skipReason !== null;
    if (skipped && !warned) {
      warned = true;
      console.warn(`${backend.name} state store tests skipped: ${backend.skipReason}`);
    }
    const name = skipped
      ? `${title} [${backend.name}: skipped, ${backend.skipReason}]`
      : `${title} [${backend.name}]`;
    describe.skipIf(skipped)(name, () => suite(backend));
  }
}

/** A describe for PostgreSQL-only tests: skipped, with the reason in its name and one warning line, without it. */
export function describeWithPostgres(title: string, suite: () => void): void {
  const reason = postgres.skipReason;
  if (reason !== null && !warned) {
    warned = true;
    console.warn(`PostgreSQL state store tests skipped: ${reason}`);
  }
  describe.skipIf(reason !== null)(reason === null ? title : `${title} [skipped, ${reason}]`, suite);
}

export interface StateLocation {
  /** This test's location (new for each test). */
  readonly location: string;
  /** A store on the location, migrated; closed after the test. Several may be open at once (two instances). */
  open(now?: () => Date): Promise<StateStore>;
  /** Closes every store opened so far (to reopen the location as a restart would). */
  closeAll(): Promise<void>;
}

/**
 * Gives each test of the enclosing describe a fresh location on `backend`, removed after the test: with the
 * current schema, or `empty` for tests of the migrations themselves.
 */
export function useStateLocation(backend: StateBackend, options: { empty?: boolean } = {}): StateLocation {
  let location = '';
  const opened: StateStore[] = [];
  const made: string[] = [];
  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  };
  beforeEach(async () => {
    location = await backend.freshLocation(options);
    made.push(location);
  });
  afterEach(async () => {
    await closeAll();
    await backend.removeLocation(location);
    made.splice(made.indexOf(location), 1);
  });
  afterAll(async () => {
    await Promise.all(made.splice(0).map((left) => backend.removeLocation(left)));
  });
  return {
    get location() {
      return location;
    },
    async open(now?: () => Date) {
      const store = openStateStore(location, now);
      opened.push(store);
      await store.migrate();
      return store;
    },
    closeAll,
  };
}
