import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  describeStateBackends,
  describeWithPostgres,
  type StateBackend,
  stateBackends,
  useStateLocation,
} from '../test-support/state-backends.js';
import { migrations } from './migrations.js';
import { openStateStore } from './open-state-store.js';

interface ColumnShape {
  readonly type: 'integer' | 'text';
  /** NOT NULL, or part of the primary key (which PostgreSQL makes NOT NULL and SQLite does not). */
  readonly required: boolean;
}
type SchemaShape = Record<string, { columns: Record<string, ColumnShape>; primaryKey: string[] }>;

const typeClass = (declared: string): ColumnShape['type'] => {
  const type = declared.toLowerCase();
  if (type === 'integer' || type === 'bigint') return 'integer';
  if (type === 'text') return 'text';
  throw new Error(`unexpected column type ${declared}`);
};

async function sqliteShape(backend: StateBackend, location: string): Promise<SchemaShape> {
  const tables = await backend.rows(
    location,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const shape: SchemaShape = {};
  for (const { name } of tables) {
    const columns = await backend.rows(location, `SELECT * FROM pragma_table_info('${String(name)}')`);
    shape[String(name)] = {
      columns: Object.fromEntries(
        columns.map((column) => [
          String(column.name),
          {
            type: typeClass(String(column.type)),
            required: Number(column.notnull) === 1 || Number(column.pk) > 0,
          },
        ]),
      ),
      primaryKey: columns
        .filter((column) => Number(column.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((column) => String(column.name)),
    };
  }
  return shape;
}

async function postgresShape(backend: StateBackend, location: string): Promise<SchemaShape> {
  const columns = await backend.rows(
    location,
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const keys = await backend.rows(
    location,
    `SELECT usage.table_name, usage.column_name FROM information_schema.table_constraints AS constraints
     JOIN information_schema.key_column_usage AS usage USING (constraint_schema, constraint_name, table_name)
     WHERE constraints.constraint_type = 'PRIMARY KEY' AND constraints.table_schema = current_schema()
     ORDER BY usage.table_name, usage.ordinal_position`,
  );
  const shape: SchemaShape = {};
  for (const column of columns) {
    const table = String(column.table_name);
    shape[table] ??= { columns: {}, primaryKey: [] };
    shape[table].columns[String(column.column_name)] = {
      type: typeClass(String(column.data_type)),
      required: column.is_nullable === 'NO',
    };
  }
  for (const key of keys) shape[String(key.table_name)]?.primaryKey.push(String(key.column_name));
  return shape;
}

async function indexNames(backend: StateBackend, location: string): Promise<string[]> {
  const rows =
    backend.dialect === 'sqlite'
      ? await backend.rows(
          location,
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
        )
      : await backend.rows(
          location,
          "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'",
        );
  return rows.map((row) => String(row.name)).sort();
}

describe('migrations', () => {
  it('list each version once, in order, with statements for both backends', () => {
    const versions = migrations.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    for (const migration of migrations) {
      expect(migration.sqlite.length, `version ${migration.version} on SQLite`).toBeGreaterThan(0);
      expect(migration.postgres.length, `version ${migration.version} on PostgreSQL`).toBeGreaterThan(0);
    }
  });

  it('keep the SQLite statements of versions 1 to 8 as existing states were migrated with', () => {
    const released = migrations
      .filter((migration) => migration.version <= 8)
      .map((migration) => [migration.version, migration.sqlite]);
    expect(createHash('sha256').update(JSON.stringify(released)).digest('hex')).toBe(
      '6d74b1cd5f2e49e1c604bbf004809a3d51d6fc54dae0cbbdf4bd8819459e9714',
    );
  });
});

describeStateBackends('migrating', (backend) => {
  const state = useStateLocation(backend, { empty: true });

  it('applies every version once, even when two instances start together', async () => {
    const [one, two] = [state.open(), state.open()];
    await Promise.all([one, two]);
    await (await one).migrate();
    const applied = await backend.rows(
      state.location,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(applied.map((row) => Number(row.version))).toEqual(
      migrations.map((migration) => migration.version),
    );
  });
});

const [sqlite, postgres] = stateBackends;
describeWithPostgres('the schemas of both backends', () => {
  it('have the same tables, columns, column kinds, required columns, primary keys and indexes', async () => {
    if (sqlite === undefined || postgres === undefined) throw new Error('two backends expected');
    const locations = [await sqlite.freshLocation(), await postgres.freshLocation({ empty: true })] as const;
    try {
      for (const location of locations) {
        const store = openStateStore(location);
        await store.migrate();
        await store.close();
      }
      const fromSqlite = await sqliteShape(sqlite, locations[0]);
      expect(Object.keys(fromSqlite)).toContain('leadership');
      expect(await postgresShape(postgres, locations[1])).toEqual(fromSqlite);
      expect(await indexNames(postgres, locations[1])).toEqual(await indexNames(sqlite, locations[0]));
    } finally {
      await sqlite.removeLocation(locations[0]);
      await postgres.removeLocation(locations[1]);
    }
  });
});
