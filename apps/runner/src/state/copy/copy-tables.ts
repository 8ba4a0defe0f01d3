import { insertBatchSize, type PostgresTarget, type TargetColumn } from './postgres-target.js';
import type { SqliteSource } from './sqlite-source.js';
import { tableDigest } from './table-digest.js';

/** One table of a copy: rows in the source and (after the copy) in the target, and whether their content is equal. */
export interface TableCopy {
  readonly table: string;
  readonly source: number;
  /** `null` in a dry run. */
  readonly target: number | null;
  readonly same: boolean | null;
}

/** A table this large says how far its copy has come, every this many rows. */
const progressEvery = 10_000;

/** The target's columns in the source's order, or why the two tables cannot be copied one into the other. */
function matchColumns(table: string, source: readonly string[], target: readonly TargetColumn[]) {
  const byName = new Map(target.map((column) => [column.name, column]));
  const ordered = source.map((name) => byName.get(name));
  if (target.length === source.length && ordered.every((column) => column !== undefined))
    return ordered as TargetColumn[];
  return `table ${table} has the columns (${source.join(', ')}) in the source and (${target.map((column) => column.name).join(', ')}) in the target: both should have the schema this crm-sync migrates to; is another version of crm-sync using the target?`;
}

async function copyRows(
  source: SqliteSource,
  target: PostgresTarget,
  table: string,
  columns: readonly string[],
  progress: (line: string) => void,
) {
  const count = source.count(table);
  const digest = tableDigest(table, columns);
  const size = insertBatchSize(columns.length);
  let batch: unknown[][] = [];
  const flush = async () => {
    await target.insert(table, columns, batch).catch((error: unknown) => {
      throw new Error(`copying table ${table}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    });
    batch = [];
  };
  for (const row of source.rows(table, columns)) {
    digest.add(row);
    batch.push(row);
    if (batch.length === size) await flush();
    if (count >= progressEvery && digest.count % progressEvery === 0)
      progress(`copying ${table}: ${digest.count} of ${count} rows`);
  }
  await flush();
  return { count, digest };
}

async function targetDigest(target: PostgresTarget, table: string, columns: readonly TargetColumn[]) {
  const digest = tableDigest(
    table,
    columns.map((column) => column.name),
  );
  for await (const batch of target.rows(table, columns)) for (const row of batch) digest.add(row);
  return digest;
}

/**
 * Copies each table from the source's snapshot into the target's transaction, then reads it back from the target
 * and compares: the row count and the content digest (table-digest.ts) of both sides.
 */
export async function copyTables(
  source: SqliteSource,
  target: PostgresTarget,
  tables: readonly string[],
  progress: (line: string) => void,
): Promise<TableCopy[] | { problem: string }> {
  const copies: TableCopy[] = [];
  for (const table of tables) {
    const names = source.columns(table);
    const columns = matchColumns(table, names, await target.columns(table));
    if (typeof columns === 'string') return { problem: columns };
    const copied = await copyRows(source, target, table, names, progress);
    if (copied.count >= progressEvery) progress(`verifying ${table}`);
    const readBack = await targetDigest(target, table, columns);
    const { count, digest } = copied;
    copies.push({
      table,
      source: count,
      target: readBack.count,
      // Counted by the database and by reading its rows, on both sides, and their content hashed alike.
      same:
        count === digest.count && digest.count === readBack.count && digest.digest() === readBack.digest(),
    });
  }
  return copies;
}
