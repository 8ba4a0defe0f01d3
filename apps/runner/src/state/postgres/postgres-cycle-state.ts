import { z } from 'zod';
import {
  bindingNames,
  bindingRow,
  intentRow,
  runRow,
  toBinding,
  toIntent,
  toRun,
  toWatermarkContext,
} from '../state-rows.js';
import type { LockHolder, StateBinding, StateStore } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

type CycleStateMethods = Pick<
  StateStore,
  | 'acquireLock'
  | 'releaseLock'
  | 'binding'
  | 'bind'
  | 'getWatermark'
  | 'setWatermark'
  | 'watermarkContext'
  | 'recordIntent'
  | 'resolveIntent'
  | 'pendingIntents'
  | 'startRun'
  | 'finishRun'
  | 'runs'
>;

type LockAnswer = { ok: true } | { ok: false; holder: LockHolder };

/**
 * The cycle's own records in the PostgreSQL store: the cycle lock, the binding, watermarks, create intents and
 * runs. Instants come from the store's clock (`now`), as on SQLite, not the server's.
 */
export function postgresCycleState(db: PostgresDatabase, now: () => Date): CycleStateMethods {
  const stamp = () => now().toISOString();
  const readBinding = async (): Promise<StateBinding | null> => {
    return toBinding(await db.read(bindingRow, 'SELECT name, value, bound_at FROM bindings'));
  };
  // One statement takes the lock when it is free, expired or this holder's: concurrent takers queue on the row
  // and each sees the winner's row (https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT).
  const takeLock = async (holder: LockHolder, ttlMs: number): Promise<LockAnswer | null> => {
    const taken = await db.write(
      `INSERT INTO locks (name, holder_id, holder, expires_at) VALUES ('cycle', $1, $2, $3)
       ON CONFLICT (name) DO UPDATE
         SET holder_id = excluded.holder_id, holder = excluded.holder, expires_at = excluded.expires_at
         WHERE locks.holder_id = excluded.holder_id OR locks.expires_at <= $4
       RETURNING holder_id`,
      [holder.id, holder.description, new Date(now().getTime() + ttlMs).toISOString(), stamp()],
    );
    if ((taken.rowCount ?? 0) > 0) return { ok: true };
    const [current] = await db.read(
      z.object({ holder_id: z.string(), holder: z.string() }),
      "SELECT holder_id, holder FROM locks WHERE name = 'cycle'",
    );
    // Released between the two statements: try again.
    return current === undefined
      ? null
      : { ok: false, holder: { id: current.holder_id, description: current.holder } };
  };

  return {
    async acquireLock(holder: LockHolder, ttlMs: number) {
      for (;;) {
        const answer = await takeLock(holder, ttlMs);
        if (answer !== null) return answer;
      }
    },
    async releaseLock(holderId: string) {
      await db.write("DELETE FROM locks WHERE name = 'cycle' AND holder_id = $1", [holderId]);
    },

    async binding() {
      return readBinding();
    },
    async bind(binding: StateBinding) {
      return db.transaction(async () => {
        // Self-conflicting and blind to plain reads: two first runs record one after the other, and agree.
        // https://www.postgresql.org/docs/15/sql-lock.html
        await db.write('LOCK TABLE bindings IN SHARE ROW EXCLUSIVE MODE');
        const existing = await readBinding();
        if (existing !== null) return existing;
        await db.write('DELETE FROM bindings WHERE name IN ($1, $2)', [
          bindingNames.hubspotPortalId,
          bindingNames.vismaCompanyNo,
        ]);
        await db.write('INSERT INTO bindings (name, value, bound_at) VALUES ($1, $2, $3), ($4, $5, $3)', [
          bindingNames.hubspotPortalId,
          String(binding.hubspotPortalId),
          binding.boundAt,
          bindingNames.vismaCompanyNo,
          String(binding.vismaCompanyNo),
        ]);
        return binding;
      });
    },

    async getWatermark(name: string) {
      const [row] = await db.read(
        z.object({ value: z.string() }),
        'SELECT value FROM watermarks WHERE name = $1',
        [name],
      );
      return row?.value ?? null;
    },
    async setWatermark(name, value, context) {
      await db.write(
        `INSERT INTO watermarks (name, value, updated_at, boundary) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE
           SET value = excluded.value, updated_at = excluded.updated_at, boundary = excluded.boundary`,
        [name, value, stamp(), context === undefined ? null : JSON.stringify(context)],
      );
    },
    async watermarkContext(name: string) {
      const [row] = await db.read(
        z.object({ boundary: z.string().nullable() }),
        'SELECT boundary FROM watermarks WHERE name = $1',
        [name],
      );
      return toWatermarkContext(row?.boundary);
    },

    async recordIntent(intent) {
      await db.write(
        `INSERT INTO intents (id, entity, target, source_id, correlation_key, status, result_id, created_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', NULL, $6)`,
        [intent.id, intent.entity, intent.target, intent.sourceId, intent.correlationKey, intent.createdAt],
      );
    },
    async resolveIntent(id, outcome) {
      await db.write('UPDATE intents SET status = $1, result_id = $2, resolved_at = $3 WHERE id = $4', [
        outcome.status,
        outcome.resultId,
        stamp(),
        id,
      ]);
    },
    async pendingIntents() {
      const rows = await db.read(
        intentRow,
        "SELECT * FROM intents WHERE status = 'pending' ORDER BY created_at, id",
      );
      return rows.map(toIntent);
    },

    async startRun(run) {
      await db.write(
        `INSERT INTO runs (id, mode, started_at, finished_at, exit_code, counts, api_calls)
         VALUES ($1, $2, $3, NULL, NULL, '{}', '{}')`,
        [run.id, run.mode, run.startedAt],
      );
    },
    async finishRun(run) {
      await db.write(
        'UPDATE runs SET finished_at = $1, exit_code = $2, counts = $3, api_calls = $4 WHERE id = $5',
        [run.finishedAt, run.exitCode, JSON.stringify(run.counts), JSON.stringify(run.apiCalls), run.id],
      );
    },
    async runs(limit: number) {
      const rows = await db.read(runRow, 'SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT $1', [
        limit,
      ]);
      return rows.map(toRun);
    },
  };
}
