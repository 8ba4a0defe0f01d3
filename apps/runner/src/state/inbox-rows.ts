import { z } from 'zod';
import type { InboxEvent, StoredInboxEvent } from './state-store.js';

const relatedRecords = z.array(z.object({ entity: z.enum(['customer', 'contact']), recordId: z.string() }));

/** How an inbox row reads back, for both backends (`own_echo` is 0 or 1 on both). */
export const inboxRow = z.object({
  dedupe_key: z.string(),
  system: z.enum(['hubspot', 'visma-nxt']),
  entity: z.enum(['customer', 'contact']).nullable(),
  record_id: z.string(),
  kind: z.enum(['created', 'changed', 'deleted', 'restored', 'merged', 'association']),
  occurred_at: z.string().nullable(),
  own_echo: z.number(),
  related: z.string().transform((text) => relatedRecords.parse(JSON.parse(text))),
  received_at: z.string(),
});

/**
 * The values of a new inbox row, in the order both stores insert them: `dedupe_key, system, entity, record_id,
 * kind, occurred_at, own_echo, related, received_at`.
 */
export const eventValues = (event: InboxEvent, receivedAt: string): unknown[] => [
  event.dedupeKey,
  event.system,
  event.entity,
  event.recordId,
  event.kind,
  event.occurredAt,
  event.ownEcho ? 1 : 0,
  JSON.stringify(event.related),
  receivedAt,
];

export const toEvent = (row: z.infer<typeof inboxRow>): StoredInboxEvent => ({
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
