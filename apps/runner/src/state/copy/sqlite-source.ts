import Database from 'libsql';
import { type StateMeta, sqliteStateMeta } from '../state-meta.js';
import { quoted } from './sql-names.js';

/**
 * The state a copy reads, straight from its SQLite file beside the store: every read after `snapshot()` sees the
 * file as it was then (one read transaction, write-ahead logging), so the rows copied and the rows verified are
 * the same ones whatever else writes meanwhile.
 */
export interface SqliteSource {
  readonly meta: StateMeta;
  /** Starts the read transaction every later read shares. */
  snapshot(): void;
  /** The table's columns, in their order. */
  columns(table: string): string[];
  count(table: string): number;
  /**
   * Every row as an array of `columns`, in the fixed order of both backends: by each column in turn, ascending,
   * text bytewise (SQLite's BINARY), nulls first.
   */
  rows(table: string, columns: readonly string[]): Iterable<unknown[]>;
  close(): void;
}

export function openSqliteSource(path: string): SqliteSource {
  const db = new Database(path);
  db.exec('PRAGMA busy_timeout = 5000');
  return {
    meta: sqliteStateMeta(db),
    snapshot() {
      // Nothing reads or writes through this connection from here on but these reads.
      db.exec('PRAGMA query_only = ON');
      db.exec('BEGIN');
    },
    columns(table) {
      return db
        .prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`)
        .all(table)
        .map((row) => String((row as { name: unknown }).name));
    },
    count(table) {
      return Number(
        (db.prepare(`SELECT COUNT(*) AS count FROM ${quoted(table)}`).get() as { count: unknown }).count,
      );
    },
    rows(table, columns) {
      const order = columns.map((column) => `${quoted(column)} ASC NULLS FIRST`).join(', ');
      const list = columns.map(quoted).join(', ');
      return db
        .prepare(`SELECT ${list} FROM ${quoted(table)} ORDER BY ${order}`)
        .raw()
        .iterate() as Iterable<unknown[]>;
    },
    close() {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}
