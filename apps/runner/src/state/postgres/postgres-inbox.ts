import { z } from 'zod';
import { eventValues, inboxRow, toEvent } from '../inbox-rows.js';
import type { InboxEvent, StateStore } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

type InboxMethods = Pick<
  StateStore,
  'enqueueEvents' | 'pendingEvents' | 'settleEvents' | 'inboxDepth' | 'pruneEvents'
>;

const columnsPerEvent = 9;
/** Events per INSERT: far below PostgreSQL's 65535 parameters per statement. */
const eventsPerStatement = 1000;

/**
 * One event per key, in key order: two instances storing overlapping deliveries at once lock the keys in the same
 * order, so neither waits for the other in a cycle (a deadlock).
 */
function byKey(events: readonly InboxEvent[]): InboxEvent[] {
  const unique = new Map<string, InboxEvent>();
  for (const event of events) if (!unique.has(event.dedupeKey)) unique.set(event.dedupeKey, event);
  return [...unique.values()].sort((a, b) =>
    a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0,
  );
}

const insertStatement = (count: number): string => {
  const rows = Array.from({ length: count }, (_, row) => {
    const first = row * columnsPerEvent;
    return `(${Array.from({ length: columnsPerEvent }, (_, column) => `$${first + column + 1}`).join(', ')})`;
  });
  return `INSERT INTO inbox (dedupe_key, system, entity, record_id, kind, occurred_at, own_echo, related, received_at)
    VALUES ${rows.join(', ')} ON CONFLICT (dedupe_key) DO NOTHING`;
};

/**
 * The inbox of the PostgreSQL store (docs/DESIGN.md §5b). Storing is never fenced (a standby accepts webhooks);
 * `ON CONFLICT DO NOTHING` keeps one row per key however many instances store it at once
 * (https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT).
 */
export function postgresInbox(db: PostgresDatabase): InboxMethods {
  return {
    async enqueueEvents(events: readonly InboxEvent[], receivedAt: string) {
      const batch = byKey(events);
      const store = async (chunk: readonly InboxEvent[]) => {
        const parameters = chunk.flatMap((event) => eventValues(event, receivedAt));
        return (await db.writeUnfenced(insertStatement(chunk.length), parameters)).rowCount ?? 0;
      };
      if (batch.length === 0) return 0;
      // One statement is atomic by itself; a larger delivery takes several, in one transaction.
      if (batch.length <= eventsPerStatement) return store(batch);
      return db.transaction(async () => {
        let stored = 0;
        for (let start = 0; start < batch.length; start += eventsPerStatement)
          stored += await store(batch.slice(start, start + eventsPerStatement));
        return stored;
      });
    },
    async pendingEvents(limit: number) {
      const rows = await db.read(
        inboxRow,
        'SELECT * FROM inbox WHERE settled_at IS NULL ORDER BY received_at, dedupe_key LIMIT $1',
        [limit],
      );
      return rows.map(toEvent);
    },
    async settleEvents(keys: readonly string[], settledAt: string) {
      if (keys.length === 0) return;
      await db.write(
        'UPDATE inbox SET settled_at = $1 WHERE dedupe_key = ANY($2::text[]) AND settled_at IS NULL',
        [settledAt, keys],
      );
    },
    async inboxDepth() {
      const [row] = await db.read(
        z.object({ depth: z.number() }),
        'SELECT COUNT(*) AS depth FROM inbox WHERE settled_at IS NULL',
      );
      return row?.depth ?? 0;
    },
    async pruneEvents(settledBefore: string) {
      const pruned = await db.write('DELETE FROM inbox WHERE settled_at IS NOT NULL AND settled_at < $1', [
        settledBefore,
      ]);
      return pruned.rowCount ?? 0;
    },
  };
}
