/**
 * Counts what a cycle asks of its state store, for the state section of `pnpm bench`: calls per method and the
 * time spent awaiting them, and, for PostgreSQL, the queries node-postgres sends (each one a round trip to the
 * server, BEGIN and COMMIT included).
 */
import pg from 'pg';
import type { StateStore } from '../src/state/state-store.js';

export interface StoreUse {
  /** Calls per method; `transaction` counts once per transaction, the calls inside it under their own names. */
  readonly calls: Record<string, number>;
  /** Milliseconds awaiting each method; a transaction's include the calls made inside it. */
  readonly ms: Record<string, number>;
  /** PostgreSQL queries sent during each method's calls (a transaction's include those of the calls inside it). */
  readonly queries: Record<string, number>;
  /** Milliseconds awaiting calls made outside any other call: the store's share of the cycle's wall time. */
  outerMs: number;
}

export const emptyUse = (): StoreUse => ({ calls: {}, ms: {}, queries: {}, outerMs: 0 });

/**
 * The store with every method counted into `use`. The engine awaits each call before the next one (a slice is
 * read, then planned, then applied), so the time of the calls made outside any other adds up to the store's share.
 */
export function probedStore(store: StateStore, use: () => StoreUse): StateStore {
  let depth = 0;
  const probed: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    probed[name] = async (...args: unknown[]) => {
      const current = use();
      current.calls[name] = (current.calls[name] ?? 0) + 1;
      const started = performance.now();
      const sent = postgresQueries();
      depth += 1;
      try {
        return await (method as (...given: unknown[]) => Promise<unknown>).apply(store, args);
      } finally {
        depth -= 1;
        const ms = performance.now() - started;
        current.ms[name] = (current.ms[name] ?? 0) + ms;
        current.queries[name] = (current.queries[name] ?? 0) + postgresQueries() - sent;
        if (depth === 0) current.outerMs += ms;
      }
    };
  }
  return probed as unknown as StateStore;
}

let queries = 0;
let counting = false;

/** Queries sent by every node-postgres client of this process since the bench began counting. */
export function postgresQueries(): number {
  if (!counting) {
    counting = true;
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      queries += 1;
      return query.apply(this, args);
    } as typeof pg.Client.prototype.query;
  }
  return queries;
}
