import type { Entity } from '@port-service/mapping';
import type Database from 'libsql';
import * as exclusionRows from './exclusion-rows.js';
import type { Exclusion, SeparatedPair } from './state-store.js';

/**
 * What operators decided about records (`crm-sync exclude`, `include`, `candidates separate`) in the SQLite state
 * store; `atomically` joins the caller's transaction.
 */
export function sqliteExclusions(
  db: Database.Database,
  atomically: <T>(work: () => T) => T,
): exclusionRows.ExclusionMethods {
  const exclusionOf = (kind: Entity, system: string, recordId: string) => {
    const row = db
      .prepare('SELECT * FROM exclusions WHERE entity = ? AND system = ? AND record_id = ?')
      .get(kind, system, recordId);
    return row === undefined ? null : exclusionRows.toExclusion(exclusionRows.exclusionRow.parse(row));
  };
  return {
    async excludeRecord(exclusion: Exclusion) {
      const inserted = db
        .prepare(
          `INSERT INTO exclusions (entity, system, record_id, reason, excluded_by, excluded_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(...exclusionRows.exclusionValues(exclusion));
      return inserted.changes > 0;
    },
    async includeRecord(kind: Entity, system: Exclusion['system'], recordId: string) {
      return atomically(() => {
        const existing = exclusionOf(kind, system, recordId);
        if (existing !== null)
          db.prepare('DELETE FROM exclusions WHERE entity = ? AND system = ? AND record_id = ?').run(
            kind,
            system,
            recordId,
          );
        return existing;
      });
    },
    async exclusions(kind?: Entity) {
      const rows =
        kind === undefined
          ? db.prepare('SELECT * FROM exclusions ORDER BY excluded_at, entity, system, record_id').all()
          : db
              .prepare('SELECT * FROM exclusions WHERE entity = ? ORDER BY excluded_at, system, record_id')
              .all(kind);
      return rows.map((row) => exclusionRows.toExclusion(exclusionRows.exclusionRow.parse(row)));
    },
    async separatePair(pair: SeparatedPair) {
      const inserted = db
        .prepare(
          `INSERT INTO separated_pairs (entity, crm_id, associate_no, separated_by, separated_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(pair.entity, pair.crmId, pair.associateNo, pair.separatedBy, pair.separatedAt);
      return inserted.changes > 0;
    },
    async separatedPairs(kind: Entity) {
      return db
        .prepare('SELECT * FROM separated_pairs WHERE entity = ? ORDER BY separated_at, crm_id, associate_no')
        .all(kind)
        .map((row) => exclusionRows.toSeparatedPair(exclusionRows.separatedRow.parse(row)));
    },
  };
}
