import type Database from 'libsql';
import { z } from 'zod';
import type { InboxEvent, StateStore, StoredInboxEvent } from './state-store.js';

const inboxRow = z.object({
  dedupe_key: z.string(),
  system: z.enum(['hubspot', 'visma-nxt']),
  entity: z.enum(['customer', 'contact']).nullable(),
  record_id: z.string(),
  kind: z.enum(['created', 'changed', 'deleted', 'restored', 'merged', 'association']),
  occurred_at: z.string().nullable(),
  own_echo: z.number(),
  related: z
    .string()
    .transform((text) =>
      z
        .array(z.object({ entity: z.enum(['customer', 'contact']), recordId: z.string() }))
        .parse(JSON.parse(text)),
    ),
  received_at: z.string(),
});

const toEvent = (row: z.infer<typeof inboxRow>): StoredInboxEvent => ({
  dedupeKey: row.dedupe_key,
  system: row.system,
  entity: row.entity,
  recordId: row.record_id,
  kind: row.kind,
  occurredAt: row.occurred_at,
  ownEcho: row.own_echo === 1,
  related: row.related,
  receivedAt: row.received_at,
});

type InboxMethods = Pick<
  StateStore,
  'enqueueEvents' | 'pendingEvents' | 'settleEvents' | 'inboxDepth' | 'pruneEvents'
>;

/** The inbox of the SQLite state store (docs/DESIGN.md §5b); `atomically` joins the caller's transaction. */
export function sqliteInbox(db: Database.Database, atomically: <T>(work: () => T) => T): InboxMethods {
  return {
    async enqueueEvents(events: readonly InboxEvent[], receivedAt: string) {
      const insert = db.prepare(
        `INSERT INTO inbox (dedupe_key, system, entity, record_id, kind, occurred_at, own_echo, related, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
      );
      return atomically(() => {
        let stored = 0;
        for (const event of events) {
          const result = insert.run(
            event.dedupeKey,
            event.system,
            event.entity,
            event.recordId,
            event.kind,
            event.occurredAt,
            event.ownEcho ? 1 : 0,
            JSON.stringify(event.related),
            receivedAt,
          );
          stored += result.changes;
        }
        return stored;
      });
    },
    async pendingEvents(limit: number) {
      return db
        .prepare('SELECT * FROM inbox WHERE settled_at IS NULL ORDER BY received_at, dedupe_key LIMIT ?')
        .all(limit)
        .map((row) => toEvent(inboxRow.parse(row)));
    },
    async settleEvents(keys: readonly string[], settledAt: string) {
      const settle = db.prepare(
        'UPDATE inbox SET settled_at = ? WHERE dedupe_key = ? AND settled_at IS NULL',
      );
      atomically(() => {
        for (const key of keys) settle.run(settledAt, key);
      });
    },
    async inboxDepth() {
      const row = z
        .object({ depth: z.number() })
        .parse(db.prepare('SELECT COUNT(*) AS depth FROM inbox WHERE settled_at IS NULL').get());
      return row.depth;
    },
    async pruneEvents(settledBefore: string) {
      return db
        .prepare('DELETE FROM inbox WHERE settled_at IS NOT NULL AND settled_at < ?')
        .run(settledBefore).changes;
    },
  };
}
