import pg from 'pg';
import { bigintAsNumber } from '../postgres/postgres-database.js';
import { postgresStateMeta, type StateMeta } from '../state-meta.js';
import { quoted } from './sql-names.js';

const maxParameters = 65_535;
/** Rows per INSERT: few round trips, far below PostgreSQL's limit of parameters per statement. */
const rowsPerInsert = 500;
/** Rows per FETCH when reading a table back. */
const rowsPerFetch = 1000;

export interface TargetColumn {
  readonly name: string;
  readonly text: boolean;
}

/**
 * The PostgreSQL database a copy writes, on one connection of its own (not the store's pool), so that the whole
 * copy is one transaction. https://node-postgres.com/apis/client
 */
export interface PostgresTarget {
  readonly meta: StateMeta;
  /** Of these tables, the ones the database has (in the connection's schema). */
  existingTables(tables: readonly string[]): Promise<Set<string>>;
  columns(table: string): Promise<TargetColumn[]>;
  hasRows(table: string): Promise<boolean>;
  /** The name and value of every `state_meta` row. */
  metaRows(): Promise<Array<{ name: string; value: string }>>;
  begin(): Promise<void>;
  /**
   * Keeps every other writer out of the tables until the transaction ends (reads go on).
   * https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES
   */
  lock(tables: readonly string[]): Promise<void>;
  /** Forgets every `state_meta` row (one the copy is about to bring again). */
  clearMeta(): Promise<void>;
  insert(table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Promise<void>;
  /** Every row, in the same fixed order as the SQLite source's (`SqliteSource.rows`), batch by batch. */
  rows(table: string, columns: readonly TargetColumn[]): AsyncIterable<unknown[][]>;
  commit(): Promise<void>;
  /** Ends the transaction without keeping anything, when one is open. */
  rollback(): Promise<void>;
  end(): Promise<void>;
}

/** How many rows of `columns` columns one INSERT takes. */
export const insertBatchSize = (columns: number): number =>
  Math.max(1, Math.min(rowsPerInsert, Math.floor(maxParameters / Math.max(columns, 1))));

function insertStatement(table: string, columns: readonly string[], rows: number): string {
  const values = Array.from({ length: rows }, (_, row) => {
    const first = row * columns.length;
    return `(${columns.map((_, column) => `$${first + column + 1}`).join(', ')})`;
  });
  return `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES ${values.join(', ')}`;
}

export async function connectPostgresTarget(url: string): Promise<PostgresTarget> {
  const client = new pg.Client({
    connectionString: url.trim(),
    application_name: 'crm-sync state copy',
    connectionTimeoutMillis: 30_000,
    // BIGINT as numbers, as the store reads them, so both backends' values compare alike.
    types: bigintAsNumber,
  });
  await client.connect();
  let open = false;
  return {
    meta: postgresStateMeta(client),
    async existingTables(tables) {
      const found = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
        [tables],
      );
      return new Set(found.rows.map((row) => row.table_name));
    },
    async columns(table) {
      const found = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      return found.rows.map((row) => ({ name: row.column_name, text: row.data_type === 'text' }));
    },
    async hasRows(table) {
      return (await client.query(`SELECT 1 FROM ${quoted(table)} LIMIT 1`)).rowCount !== 0;
    },
    async metaRows() {
      return (await client.query<{ name: string; value: string }>('SELECT name, value FROM state_meta')).rows;
    },
    async begin() {
      await client.query('BEGIN');
      open = true;
    },
    async lock(tables) {
      await client.query(`LOCK TABLE ${tables.map(quoted).join(', ')} IN EXCLUSIVE MODE`);
    },
    async clearMeta() {
      await client.query('DELETE FROM state_meta');
    },
    async insert(table, columns, rows) {
      if (rows.length === 0) return;
      await client.query(insertStatement(table, columns, rows.length), rows.flat());
    },
    async *rows(table, columns) {
      // Text compares bytewise (COLLATE "C"), as SQLite's BINARY does, whatever the database's collation.
      const order = columns
        .map((column) => `${quoted(column.name)}${column.text ? ' COLLATE "C"' : ''} ASC NULLS FIRST`)
        .join(', ');
      const list = columns.map((column) => quoted(column.name)).join(', ');
      // https://www.postgresql.org/docs/15/sql-declare.html
      await client.query(
        `DECLARE copy_rows NO SCROLL CURSOR FOR SELECT ${list} FROM ${quoted(table)} ORDER BY ${order}`,
      );
      try {
        for (;;) {
          const batch = await client.query<unknown[]>({
            text: `FETCH FORWARD ${rowsPerFetch} FROM copy_rows`,
            rowMode: 'array',
          });
          if (batch.rows.length === 0) return;
          yield batch.rows;
        }
      } finally {
        // Fails only in a transaction an error ended already, which is rolled back anyway.
        await client.query('CLOSE copy_rows').catch(() => undefined);
      }
    },
    async commit() {
      await client.query('COMMIT');
      open = false;
    },
    async rollback() {
      if (!open) return;
      open = false;
      await client.query('ROLLBACK');
    },
    async end() {
      await client.end();
    },
  };
}
