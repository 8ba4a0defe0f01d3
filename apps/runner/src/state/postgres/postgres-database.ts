import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { z } from 'zod';
import { checkFence, type Fence } from './fencing.js';

type Parameters = readonly unknown[];

/**
 * The PostgreSQL store's access to its database: reads and writes on the transaction's client inside
 * `transaction`, on any pooled client outside, and every write fenced when a fence answers a generation.
 */
export interface PostgresDatabase {
  /** Rows of a read, each parsed with `schema`. Never fenced. */
  read<T>(schema: z.ZodType<T>, sql: string, parameters?: Parameters): Promise<T[]>;
  /** A write, fenced: outside a transaction it runs in one of its own with the fence check first. */
  write(sql: string, parameters?: Parameters): Promise<pg.QueryResult>;
  /** A write never fenced (the inbox's enqueue: a standby accepts webhooks). */
  writeUnfenced(sql: string, parameters?: Parameters): Promise<pg.QueryResult>;
  /**
   * Runs `work` as one transaction on one client: every call `work` makes through this database (found through
   * AsyncLocalStorage) uses that client; a nested call joins the outer transaction. ROLLBACK when `work` throws.
   * https://node-postgres.com/features/transactions
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** A pooled client of its own, for work that manages its own transactions (migrations). */
  withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

interface TransactionContext {
  readonly client: pg.PoolClient;
  /** The fence check of this transaction, once, before its first fenced write. */
  fenceChecked: Promise<void> | null;
  open: boolean;
}

const bigintOid = 20;

/**
 * BIGINT columns (and `COUNT(*)`) as numbers, as SQLite answers them; node-postgres answers strings by default
 * (https://node-postgres.com/features/types). A value beyond 2^53 would lose digits: refused.
 */
export const bigintAsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid !== bigintOid || format === 'binary') return pg.types.getTypeParser(oid, format);
    return (text: string) => {
      const value = Number(text);
      if (!Number.isSafeInteger(value))
        throw new RangeError(`BIGINT ${text} is beyond 2^53: not a safe number`);
      return value;
    };
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pool on `url` (connections are made on first use). https://node-postgres.com/apis/pool */
export function connectPostgres(url: string, fence: Fence | undefined): PostgresDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    types: bigintAsNumber,
    application_name: 'crm-sync',
    connectionTimeoutMillis: 30_000,
    // A command that forgets to close the store still exits once its clients are idle.
    allowExitOnIdle: true,
  });
  // An idle client whose connection broke (a server restart): the pool drops it, the next query opens another.
  pool.on('error', () => undefined);
  const storage = new AsyncLocalStorage<TransactionContext>();

  const context = (): TransactionContext | undefined => {
    const current = storage.getStore();
    if (current !== undefined && !current.open)
      throw new Error('a state store call ran after the transaction it was made in had ended');
    return current;
  };
  const generation = (): bigint | null => {
    const answer = fence?.();
    return answer === null || answer === undefined ? null : BigInt(answer);
  };
  const ensureFenced = (current: TransactionContext): Promise<void> => {
    if (current.fenceChecked === null) {
      const fencedWith = generation();
      current.fenceChecked = fencedWith === null ? Promise.resolve() : checkFence(current.client, fencedWith);
    }
    return current.fenceChecked;
  };

  const transaction = async <T>(work: () => Promise<T>): Promise<T> => {
    if (context() !== undefined) return work();
    const client = await pool.connect();
    const current: TransactionContext = { client, fenceChecked: null, open: true };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await storage.run(current, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      current.open = false;
      // A client whose ROLLBACK failed is in an unknown state: the pool closes it instead of reusing it.
      client.release(broken);
    }
  };

  const write = async (sql: string, parameters: Parameters = []): Promise<pg.QueryResult> => {
    const current = context();
    if (current !== undefined) {
      await ensureFenced(current);
      return current.client.query(sql, [...parameters]);
    }
    if (generation() === null) return pool.query(sql, [...parameters]);
    return transaction(() => write(sql, parameters));
  };

  return {
    async read<T>(schema: z.ZodType<T>, sql: string, parameters: Parameters = []) {
      const result = await (context()?.client ?? pool).query(sql, [...parameters]);
      return result.rows.map((row) => schema.parse(row));
    },
    write,
    async writeUnfenced(sql: string, parameters: Parameters = []) {
      return (context()?.client ?? pool).query(sql, [...parameters]);
    },
    transaction,
    async withClient<T>(work: (client: pg.PoolClient) => Promise<T>) {
      const client = await pool.connect();
      try {
        return await work(client);
      } finally {
        client.release();
      }
    },
    async close() {
      // Closing twice (a command's `finally` after a failed start) is a no-op, as on SQLite.
      if (!pool.ended) await pool.end();
    },
  };
}
