import type { StateStore } from '../state-store.js';
import type { Fence } from './fencing.js';
import { postgresAccounts } from './postgres-accounts.js';
import { postgresCycleState } from './postgres-cycle-state.js';
import { connectPostgres } from './postgres-database.js';
import { postgresExclusions } from './postgres-exclusions.js';
import { postgresFindings } from './postgres-findings.js';
import { postgresInbox } from './postgres-inbox.js';
import { postgresLinks } from './postgres-links.js';
import { migratePostgres } from './postgres-migrations.js';

export interface PostgresStateStoreOptions {
  /** The store's clock (timestamps it records, lock expiry), as the SQLite store's `now`. */
  readonly now?: (() => Date) | undefined;
  /**
   * When given and answering a generation, every write (each transaction, each write outside one) first checks
   * that the `leadership` row still has that generation, and throws `FencedError` when it has not. Reads,
   * `enqueueEvents` and the console's accounts, sessions, failed sign-ins and audit log are never fenced: a
   * standby accepts webhooks and signs people in to its console.
   */
  readonly fence?: Fence | undefined;
}

/**
 * The shared state store: one PostgreSQL database (`CRM_SYNC_STATE=postgres://…`) through a node-postgres pool,
 * for several instances of the service at once. The same schema, migrations and semantics as the SQLite store:
 * the contract suite (state-store.contract.test.ts) runs against both. Connects on first use, not here.
 */
export function openPostgresStateStore(url: string, options: PostgresStateStoreOptions = {}): StateStore {
  const now = options.now ?? (() => new Date());
  const stamp = () => now().toISOString();
  const db = connectPostgres(url, options.fence);
  return {
    ...postgresLinks(db, stamp),
    ...postgresCycleState(db, now),
    ...postgresFindings(db, stamp),
    ...postgresInbox(db),
    // Not the sync's state: no second leader can corrupt it, and a standby's console must sign people in.
    ...postgresAccounts({ ...db, write: db.writeUnfenced }),
    ...postgresExclusions(db),
    async migrate() {
      await db.withClient((client) => migratePostgres(client, stamp));
    },
    transaction: db.transaction,
    async close() {
      await db.close();
    },
  };
}
