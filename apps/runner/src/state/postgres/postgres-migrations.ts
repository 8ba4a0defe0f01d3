import type pg from 'pg';
import { migrations, schemaMigrationsTable } from '../migrations.js';

/**
 * The advisory lock key the migrations take (any 64-bit number no other lock of the database uses; this one reads
 * "crmsync" in ASCII). https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
 */
const migrationLockKey = '27991837108694627';

/**
 * Applies pending migrations, each in one transaction that first takes a transaction-level advisory lock: two
 * instances starting together take turns, and the second finds the version applied and skips it.
 * https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
export async function migratePostgres(client: pg.ClientBase, stamp: () => string): Promise<void> {
  for (const migration of migrations) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey]);
      await client.query(schemaMigrationsTable.postgres);
      const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (applied.rowCount === 0) {
        for (const statement of migration.postgres) await client.query(statement);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          migration.version,
          stamp(),
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
