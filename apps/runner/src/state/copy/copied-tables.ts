import { migrations } from '../migrations.js';

/**
 * The tables `crm-sync state copy` leaves out, and why: each belongs to the database it is in, not to the state
 * the copy moves.
 */
export const tablesNotCopied: Readonly<Record<string, string>> = {
  schema_migrations: "the target's own migrations record the versions they applied",
  locks:
    'the cycle lock: the copy holds it on the source, and whoever runs cycles on the target takes its own',
  leadership: "which instance leads the target's installation: serve instances on the target claim it there",
};

const createTable = /^\s*CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/iu;
const dropTable = /^\s*DROP TABLE (?:IF EXISTS )?"?(\w+)"?/iu;
const renameTable = /^\s*ALTER TABLE "?(\w+)"? RENAME TO "?(\w+)"?/iu;

/**
 * Every table the migrations leave in a state (from their SQLite statements, in the order they are created), less
 * `tablesNotCopied`: a table a new migration creates is copied without anyone listing it here.
 */
export function copiedTables(): string[] {
  const tables: string[] = [];
  const replace = (table: string, by: string[]) => {
    const at = tables.indexOf(table);
    if (at >= 0) tables.splice(at, 1, ...by);
  };
  for (const migration of migrations)
    for (const statement of migration.sqlite) {
      const created = createTable.exec(statement)?.[1];
      const dropped = dropTable.exec(statement)?.[1];
      const renamed = renameTable.exec(statement);
      if (created !== undefined) tables.push(created);
      if (dropped !== undefined) replace(dropped, []);
      if (renamed?.[1] !== undefined && renamed[2] !== undefined) replace(renamed[1], [renamed[2]]);
    }
  return tables.filter((table) => !(table in tablesNotCopied));
}
