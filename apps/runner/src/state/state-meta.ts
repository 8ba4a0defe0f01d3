import Database from 'libsql';
import pg from 'pg';
import { stateLocationKind } from './state-location.js';

/**
 * The `state_meta` table (migration 10): named facts about the state itself, each recorded once. Read and written
 * beside the store, on a connection of its own, by what checks a state as it opens (hash-key-check.ts) and by
 * `crm-sync state copy`.
 */
export interface StateMeta {
  /** The value recorded under `name`, or `null`. */
  get(name: string): Promise<string | null>;
  /** Records `value` under `name` unless a value is recorded already; answers the one recorded (a race may win). */
  recordOnce(name: string, value: string, at: string): Promise<string>;
}

export function sqliteStateMeta(db: Database.Database): StateMeta {
  const get = async (name: string) => {
    const row = db.prepare('SELECT value FROM state_meta WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  };
  return {
    get,
    async recordOnce(name, value, at) {
      db.prepare(
        'INSERT INTO state_meta (name, value, recorded_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      ).run(name, value, at);
      return (await get(name)) ?? value;
    },
  };
}

export function postgresStateMeta(client: pg.ClientBase): StateMeta {
  const get = async (name: string) => {
    const result = await client.query<{ value: string }>('SELECT value FROM state_meta WHERE name = $1', [
      name,
    ]);
    return result.rows[0]?.value ?? null;
  };
  return {
    get,
    async recordOnce(name, value, at) {
      // https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT
      await client.query(
        'INSERT INTO state_meta (name, value, recorded_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [name, value, at],
      );
      return (await get(name)) ?? value;
    },
  };
}

/** Runs `work` on the `state_meta` of the (migrated) state `location` names, on a connection opened for it. */
export async function withStateMeta<T>(location: string, work: (meta: StateMeta) => Promise<T>): Promise<T> {
  if (stateLocationKind(location) === 'sqlite') {
    const db = new Database(location);
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      return await work(sqliteStateMeta(db));
    } finally {
      db.close();
    }
  }
  // https://node-postgres.com/apis/client
  const client = new pg.Client({
    connectionString: location.trim(),
    application_name: 'crm-sync',
    connectionTimeoutMillis: 30_000,
  });
  await client.connect();
  try {
    return await work(postgresStateMeta(client));
  } finally {
    await client.end();
  }
}
