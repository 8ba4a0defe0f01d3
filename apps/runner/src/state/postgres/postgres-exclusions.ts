import type { Entity } from '@port-service/mapping';
import {
  type ExclusionMethods,
  exclusionRow,
  exclusionValues,
  separatedRow,
  toExclusion,
  toSeparatedPair,
} from '../exclusion-rows.js';
import type { Exclusion, SeparatedPair } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

/** What operators decided about records (`crm-sync exclude`, `include`, `candidates separate`) in PostgreSQL. */
export function postgresExclusions(db: PostgresDatabase): ExclusionMethods {
  return {
    async excludeRecord(exclusion: Exclusion) {
      const inserted = await db.write(
        `INSERT INTO exclusions (entity, system, record_id, reason, excluded_by, excluded_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        exclusionValues(exclusion),
      );
      return (inserted.rowCount ?? 0) > 0;
    },
    async includeRecord(kind: Entity, system: Exclusion['system'], recordId: string) {
      // The row as it was, from the DELETE itself: one statement, no window between reading and removing it.
      const removed = await db.write(
        'DELETE FROM exclusions WHERE entity = $1 AND system = $2 AND record_id = $3 RETURNING *',
        [kind, system, recordId],
      );
      const [row] = removed.rows;
      return row === undefined ? null : toExclusion(exclusionRow.parse(row));
    },
    async exclusions(kind?: Entity) {
      const rows =
        kind === undefined
          ? await db.read(
              exclusionRow,
              'SELECT * FROM exclusions ORDER BY excluded_at, entity, system, record_id',
            )
          : await db.read(
              exclusionRow,
              'SELECT * FROM exclusions WHERE entity = $1 ORDER BY excluded_at, system, record_id',
              [kind],
            );
      return rows.map(toExclusion);
    },
    async separatePair(pair: SeparatedPair) {
      const inserted = await db.write(
        `INSERT INTO separated_pairs (entity, crm_id, associate_no, separated_by, separated_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [pair.entity, pair.crmId, pair.associateNo, pair.separatedBy, pair.separatedAt],
      );
      return (inserted.rowCount ?? 0) > 0;
    },
    async separatedPairs(kind: Entity) {
      const rows = await db.read(
        separatedRow,
        'SELECT * FROM separated_pairs WHERE entity = $1 ORDER BY separated_at, crm_id, associate_no',
        [kind],
      );
      return rows.map(toSeparatedPair);
    },
  };
}
