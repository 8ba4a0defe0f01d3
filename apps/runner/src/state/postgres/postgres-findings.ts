import type { Entity } from '@port-service/mapping';
import {
  conflictRow,
  conflictValues,
  errorRow,
  recordErrorValues,
  toConflict,
  toRecordError,
} from '../state-rows.js';
import type { NewConflict, RecordError, StateStore } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

type FindingMethods = Pick<
  StateStore,
  'openConflict' | 'conflicts' | 'resolveConflict' | 'recordError' | 'clearErrors' | 'errors'
>;

/** What cycles found for a person to look at, in the PostgreSQL store: conflicts and per-record errors. */
export function postgresFindings(db: PostgresDatabase, stamp: () => string): FindingMethods {
  return {
    async openConflict(conflict: NewConflict) {
      // One open conflict per record and field: the insert happens only when none is open.
      await db.write(
        `INSERT INTO conflicts (id, entity, crm_id, associate_no, field, reason, base_fingerprint, status, resolution,
           created_at, crm_value, crm_changed_at, crm_changed_by, erp_value, erp_changed_at, erp_changed_by)
         SELECT $1, $2, $3, $4::bigint, $5, $6, $7, 'open', NULL, $8, $9, $10, $11, $12, $13, $14
         WHERE NOT EXISTS (
           SELECT 1 FROM conflicts WHERE entity = $2 AND crm_id = $3 AND field = $5 AND status = 'open'
         )`,
        conflictValues(conflict),
      );
    },
    async conflicts(status: 'open' | 'resolved' | 'all') {
      const rows =
        status === 'all'
          ? await db.read(conflictRow, 'SELECT * FROM conflicts ORDER BY created_at, id')
          : await db.read(conflictRow, 'SELECT * FROM conflicts WHERE status = $1 ORDER BY created_at, id', [
              status,
            ]);
      return rows.map(toConflict);
    },
    async resolveConflict(id, take) {
      await db.write(
        "UPDATE conflicts SET status = 'resolved', resolution = $1, resolved_at = $2 WHERE id = $3 AND status = 'open'",
        [take, stamp(), id],
      );
      const [row] = await db.read(conflictRow, 'SELECT * FROM conflicts WHERE id = $1', [id]);
      return row === undefined ? null : toConflict(row);
    },

    async recordError(error: RecordError) {
      // Seen again: the message, last sighting and hints move on; the first sighting stays.
      await db.write(
        `INSERT INTO record_errors
           (entity, system, record_id, field, rule, message, first_seen_at, last_seen_at, related, fix_in)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
         ON CONFLICT (entity, system, record_id, field, rule) DO UPDATE
           SET message = excluded.message, last_seen_at = excluded.last_seen_at, related = excluded.related,
               fix_in = excluded.fix_in`,
        recordErrorValues(error),
      );
    },
    async clearErrors(kind: Entity, system: string, recordId: string, seenBefore?: string) {
      if (seenBefore === undefined)
        await db.write('DELETE FROM record_errors WHERE entity = $1 AND system = $2 AND record_id = $3', [
          kind,
          system,
          recordId,
        ]);
      else
        await db.write(
          'DELETE FROM record_errors WHERE entity = $1 AND system = $2 AND record_id = $3 AND last_seen_at < $4',
          [kind, system, recordId, seenBefore],
        );
    },
    async errors() {
      const rows = await db.read(
        errorRow,
        'SELECT * FROM record_errors ORDER BY entity, system, record_id, field',
      );
      return rows.map(toRecordError);
    },
  };
}
