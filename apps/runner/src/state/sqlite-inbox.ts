import type Database from 'libsql';
import { z } from 'zod';
import { eventValues, inboxRow, toEvent } from './inbox-rows.js';
import { preparedStatements } from './sqlite-statements.js';
import type { InboxEvent, StateStore } from './state-store.js';

type InboxMethods = Pick<
  StateStore,
  'enqueueEvents' | 'pendingEvents' | 'settleEvents' | 'inboxDepth' | 'pruneEvents'
>;

/**
 * The inbox of the SQLite state store (docs/DESIGN.md §5b); `atomically` joins the caller's transaction.
 */
export function sqliteInbox(db: Database.Database, atomically: <T>(work: () => T) => T): InboxMethods {
  const statement = preparedStatements(db);
  return {
    async enqueueEvents(events: readonly InboxEvent[], receivedAt: string) {
      const insert = statement(
        `INSERT INTO inbox (dedupe_key, system, entity, record_id, kind, occurred_at, own_echo, related, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
      );
      return atomically(() => {
        let stored = 0;
        for (const event of events) {
          stored += insert.run(...eventValues(event, receivedAt)).changes;
        }
        return stored;
      });
    },
    async pendingEvents(limit: number) {
      return statement(
        'SELECT * FROM inbox WHERE settled_at IS NULL ORDER BY received_at, dedupe_key LIMIT ?',
      )
        .all(limit)
        .map((row) => toEvent(inboxRow.parse(row)));
    },
    async settleEvents(keys: readonly string[], settledAt: string) {
      const settle = statement('UPDATE inbox SET settled_at = ? WHERE dedupe_key = ? AND settled_at IS NULL');
      atomically(() => {
        for (const key of keys) settle.run(settledAt, key);
      });
    },
    async inboxDepth() {
      const row = z
        .object({ depth: z.number() })
        .parse(statement('SELECT COUNT(*) AS depth FROM inbox WHERE settled_at IS NULL').get());
      return row.depth;
    },
    async pruneEvents(settledBefore: string) {
      return statement('DELETE FROM inbox WHERE settled_at IS NOT NULL AND settled_at < ?').run(settledBefore)
        .changes;
    },
  };
}
