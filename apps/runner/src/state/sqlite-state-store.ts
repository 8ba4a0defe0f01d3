import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Entity, Fingerprint } from '@port-service/mapping';
import Database from 'libsql';
import { z } from 'zod';
import { migrations, schemaMigrationsTable } from './migrations.js';
import { sqliteAccounts } from './sqlite-accounts.js';
import { sqliteExclusions } from './sqlite-exclusions.js';
import { sqliteInbox } from './sqlite-inbox.js';
import { preparedStatements } from './sqlite-statements.js';
import {
  bindingNames,
  bindingRow,
  conflictRow,
  conflictValues,
  errorRow,
  intentRow,
  linkRow,
  recordErrorValues,
  runRow,
  toBinding,
  toConflict,
  toIntent,
  toLink,
  toRecordError,
  toRun,
  toWatermarkContext,
} from './state-rows.js';
import type {
  Conflict,
  ConflictResolution,
  Intent,
  LockHolder,
  NewConflict,
  NewIntent,
  RecordError,
  Run,
  StateBinding,
  StateStore,
  WatermarkContext,
} from './state-store.js';

/**
 * The embedded state store: one SQLite file (through libsql, which installs from the npm registry with its binary
 * in a platform package), write-ahead logging so a crash never leaves it half-written.
 */
export function openSqliteStateStore(path: string, now: () => Date = () => new Date()): StateStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  const stamp = () => now().toISOString();
  const prepare = preparedStatements(db);
  const all = <T>(schema: z.ZodType<T>, sql: string, ...params: unknown[]): T[] =>
    prepare(sql)
      .all(...params)
      .map((row) => schema.parse(row));
  // One transaction per call, or part of the caller's when `transaction()` already opened one (SQLite cannot nest).
  const atomically = <T>(work: () => T): T => (db.inTransaction ? work() : db.transaction(work)());
  // Marks the work of `transaction()`, so that a nested call joins it (as on PostgreSQL) instead of failing.
  const inTransactionWork = new AsyncLocalStorage<true>();
  const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');
  const readBinding = (): StateBinding | null =>
    toBinding(all(bindingRow, 'SELECT name, value, bound_at FROM bindings'));

  return {
    ...sqliteInbox(db, atomically),
    ...sqliteAccounts(db, atomically),
    ...sqliteExclusions(db, atomically),
    async migrate() {
      db.exec(schemaMigrationsTable.sqlite);
      const applied = new Set(
        all(z.object({ version: z.number() }), 'SELECT version FROM schema_migrations').map(
          (row) => row.version,
        ),
      );
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        atomically(() => {
          for (const statement of migration.sqlite) db.exec(statement);
          prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
            migration.version,
            stamp(),
          );
        });
      }
    },

    async transaction<T>(work: () => Promise<T>): Promise<T> {
      if (inTransactionWork.getStore()) return work();
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await inTransactionWork.run(true, work);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },

    async acquireLock(holder: LockHolder, ttlMs: number) {
      const take = db.transaction((): { ok: true } | { ok: false; holder: LockHolder } => {
        const current = all(
          z.object({ holder_id: z.string(), holder: z.string(), expires_at: z.string() }),
          "SELECT holder_id, holder, expires_at FROM locks WHERE name = 'cycle'",
        )[0];
        if (current && current.holder_id !== holder.id && Date.parse(current.expires_at) > now().getTime()) {
          return { ok: false, holder: { id: current.holder_id, description: current.holder } };
        }
        prepare("DELETE FROM locks WHERE name = 'cycle'").run();
        prepare("INSERT INTO locks (name, holder_id, holder, expires_at) VALUES ('cycle', ?, ?, ?)").run(
          holder.id,
          holder.description,
          new Date(now().getTime() + ttlMs).toISOString(),
        );
        return { ok: true };
      });
      return take.immediate();
    },
    async releaseLock(holderId: string) {
      prepare("DELETE FROM locks WHERE name = 'cycle' AND holder_id = ?").run(holderId);
    },

    async linksByCrmIds(kind: Entity, crmIds: readonly string[]) {
      if (crmIds.length === 0) return [];
      return all(
        linkRow,
        `SELECT * FROM links WHERE entity = ? AND crm_id IN (${placeholders(crmIds.length)})`,
        kind,
        ...crmIds,
      ).map(toLink);
    },
    async linksByAssociateNos(kind: Entity, associateNos: readonly number[]) {
      if (associateNos.length === 0) return [];
      return all(
        linkRow,
        `SELECT * FROM links WHERE entity = ? AND associate_no IN (${placeholders(associateNos.length)})`,
        kind,
        ...associateNos,
      ).map(toLink);
    },
    async allLinks(kind: Entity, afterCrmId: string | null, limit: number) {
      return all(
        linkRow,
        'SELECT * FROM links WHERE entity = ? AND crm_id > ? ORDER BY crm_id LIMIT ?',
        kind,
        afterCrmId ?? '',
        limit,
      ).map(toLink);
    },
    async insertLink(
      kind: Entity,
      link: { crmId: string; associateNo: number; fingerprints: Readonly<Record<string, Fingerprint>> },
    ) {
      prepare(
        "INSERT INTO links (entity, crm_id, associate_no, status, status_reason, fingerprints, updated_at) VALUES (?, ?, ?, 'active', NULL, ?, ?)",
      ).run(kind, link.crmId, link.associateNo, JSON.stringify(link.fingerprints), stamp());
    },
    async mergeFingerprints(kind: Entity, crmId: string, prints: Readonly<Record<string, Fingerprint>>) {
      // One statement, without reading the row back: `json_patch` keeps the stored keys and lets the new ones win,
      // as `{ ...stored, ...prints }` (fingerprints are strings, so the merge patch's rules for nested objects and
      // nulls never apply: https://www.sqlite.org/json1.html#jpatch). The engine merges once per record it wrote.
      const updated = prepare(
        'UPDATE links SET fingerprints = json_patch(fingerprints, ?), updated_at = ? WHERE entity = ? AND crm_id = ?',
      ).run(JSON.stringify(prints), stamp(), kind, crmId);
      if (updated.changes === 0) throw new Error(`no ${kind} link for HubSpot record ${crmId}`);
    },
    async markOrphaned(kind: Entity, link: { crmId: string; associateNo: number }, reason: string) {
      atomically(() => {
        const updated = db
          .prepare(
            "UPDATE links SET status = 'orphaned', status_reason = ?, updated_at = ? WHERE entity = ? AND crm_id = ?",
          )
          .run(reason, stamp(), kind, link.crmId);
        if (updated.changes > 0) return;
        // A decision read back from the systems (no link yet): recorded unless the row is linked elsewhere.
        prepare(
          `INSERT INTO links (entity, crm_id, associate_no, status, status_reason, fingerprints, updated_at)
           VALUES (?, ?, ?, 'orphaned', ?, '{}', ?) ON CONFLICT DO NOTHING`,
        ).run(kind, link.crmId, link.associateNo, reason, stamp());
      });
    },
    async reactivateLink(kind: Entity, crmId: string) {
      prepare(
        "UPDATE links SET status = 'active', status_reason = NULL, updated_at = ? WHERE entity = ? AND crm_id = ?",
      ).run(stamp(), kind, crmId);
    },
    async moveLink(kind: Entity, fromCrmId: string, toCrmId: string) {
      atomically(() => {
        const survivor = all(
          linkRow,
          'SELECT * FROM links WHERE entity = ? AND crm_id = ?',
          kind,
          toCrmId,
        )[0];
        if (survivor) prepare('DELETE FROM links WHERE entity = ? AND crm_id = ?').run(kind, fromCrmId);
        else
          prepare('UPDATE links SET crm_id = ?, updated_at = ? WHERE entity = ? AND crm_id = ?').run(
            toCrmId,
            stamp(),
            kind,
            fromCrmId,
          );
      });
    },

    async binding() {
      return readBinding();
    },
    async bind(binding: StateBinding) {
      // Immediate: two first runs started together read and record one after the other, and agree.
      const record = db.transaction((): StateBinding => {
        const existing = readBinding();
        if (existing !== null) return existing;
        prepare('DELETE FROM bindings WHERE name IN (?, ?)').run(
          bindingNames.hubspotPortalId,
          bindingNames.vismaCompanyNo,
        );
        const insert = prepare('INSERT INTO bindings (name, value, bound_at) VALUES (?, ?, ?)');
        insert.run(bindingNames.hubspotPortalId, String(binding.hubspotPortalId), binding.boundAt);
        insert.run(bindingNames.vismaCompanyNo, String(binding.vismaCompanyNo), binding.boundAt);
        return binding;
      });
      return record.immediate();
    },

    async oweContacts(customer) {
      prepare(
        'INSERT INTO owed_contacts (crm_company_id, customer_no, owed_since) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET owed_since = excluded.owed_since',
      ).run(customer.crmId, customer.associateNo, stamp());
    },
    async owedContacts() {
      return all(
        z.object({ crm_company_id: z.string(), customer_no: z.number() }),
        'SELECT crm_company_id, customer_no FROM owed_contacts ORDER BY owed_since, crm_company_id',
      ).map((row) => ({ crmId: row.crm_company_id, associateNo: row.customer_no }));
    },
    async settleOwedContacts(customers) {
      atomically(() => {
        const settle = prepare('DELETE FROM owed_contacts WHERE crm_company_id = ? AND customer_no = ?');
        for (const customer of customers) settle.run(customer.crmId, customer.associateNo);
      });
    },
    async getWatermark(name: string) {
      return (
        all(z.object({ value: z.string() }), 'SELECT value FROM watermarks WHERE name = ?', name)[0]?.value ??
        null
      );
    },
    async setWatermark(name: string, value: string, context?: WatermarkContext) {
      atomically(() => {
        prepare('DELETE FROM watermarks WHERE name = ?').run(name);
        prepare('INSERT INTO watermarks (name, value, updated_at, boundary) VALUES (?, ?, ?, ?)').run(
          name,
          value,
          stamp(),
          context === undefined ? null : JSON.stringify(context),
        );
      });
    },
    async watermarkContext(name: string) {
      const row = all(
        z.object({ boundary: z.string().nullable() }),
        'SELECT boundary FROM watermarks WHERE name = ?',
        name,
      )[0];
      return toWatermarkContext(row?.boundary);
    },

    async recordIntent(intent: NewIntent) {
      prepare(
        "INSERT INTO intents (id, entity, target, source_id, correlation_key, status, result_id, created_at) VALUES (?, ?, ?, ?, ?, 'pending', NULL, ?)",
      ).run(
        intent.id,
        intent.entity,
        intent.target,
        intent.sourceId,
        intent.correlationKey,
        intent.createdAt,
      );
    },
    async resolveIntent(id: string, outcome: { status: 'created' | 'abandoned'; resultId: string | null }) {
      prepare('UPDATE intents SET status = ?, result_id = ?, resolved_at = ? WHERE id = ?').run(
        outcome.status,
        outcome.resultId,
        stamp(),
        id,
      );
    },
    async pendingIntents(): Promise<Intent[]> {
      return all(intentRow, "SELECT * FROM intents WHERE status = 'pending' ORDER BY created_at, id").map(
        toIntent,
      );
    },

    async openConflict(conflict: NewConflict) {
      const open = all(
        z.object({ id: z.string() }),
        "SELECT id FROM conflicts WHERE entity = ? AND crm_id = ? AND field = ? AND status = 'open'",
        conflict.entity,
        conflict.crmId,
        conflict.field,
      );
      if (open.length > 0) return;
      prepare(
        `INSERT INTO conflicts (id, entity, crm_id, associate_no, field, reason, base_fingerprint, status, resolution,
          created_at, crm_value, crm_changed_at, crm_changed_by, erp_value, erp_changed_at, erp_changed_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, 'open', NULL, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...conflictValues(conflict));
    },
    async conflicts(status: 'open' | 'resolved' | 'all'): Promise<Conflict[]> {
      const rows =
        status === 'all'
          ? all(conflictRow, 'SELECT * FROM conflicts ORDER BY created_at, id')
          : all(conflictRow, 'SELECT * FROM conflicts WHERE status = ? ORDER BY created_at, id', status);
      return rows.map(toConflict);
    },
    async resolveConflict(id: string, take: ConflictResolution) {
      prepare(
        "UPDATE conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ? AND status = 'open'",
      ).run(take, stamp(), id);
      const row = all(conflictRow, 'SELECT * FROM conflicts WHERE id = ?', id)[0];
      return row === undefined ? null : toConflict(row);
    },

    async recordError(error: RecordError) {
      // Seen again: the message, last sighting and hints move on; the first sighting stays.
      prepare(
        `INSERT INTO record_errors
           (entity, system, record_id, field, rule, message, first_seen_at, last_seen_at, related, fix_in)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)
         ON CONFLICT (entity, system, record_id, field, rule) DO UPDATE
           SET message = excluded.message, last_seen_at = excluded.last_seen_at, related = excluded.related,
               fix_in = excluded.fix_in`,
      ).run(...recordErrorValues(error));
    },
    async clearErrors(kind: Entity, system: string, recordId: string, seenBefore?: string) {
      if (seenBefore === undefined)
        prepare('DELETE FROM record_errors WHERE entity = ? AND system = ? AND record_id = ?').run(
          kind,
          system,
          recordId,
        );
      else
        prepare(
          'DELETE FROM record_errors WHERE entity = ? AND system = ? AND record_id = ? AND last_seen_at < ?',
        ).run(kind, system, recordId, seenBefore);
    },
    async errors() {
      return all(errorRow, 'SELECT * FROM record_errors ORDER BY entity, system, record_id, field').map(
        toRecordError,
      );
    },

    async startRun(run: { id: string; startedAt: string; mode: string }) {
      prepare(
        "INSERT INTO runs (id, mode, started_at, finished_at, exit_code, counts, api_calls) VALUES (?, ?, ?, NULL, NULL, '{}', '{}')",
      ).run(run.id, run.mode, run.startedAt);
    },
    async finishRun(run) {
      prepare('UPDATE runs SET finished_at = ?, exit_code = ?, counts = ?, api_calls = ? WHERE id = ?').run(
        run.finishedAt,
        run.exitCode,
        JSON.stringify(run.counts),
        JSON.stringify(run.apiCalls),
        run.id,
      );
    },
    async runs(limit: number): Promise<Run[]> {
      return all(runRow, 'SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?', limit).map(toRun);
    },

    async close() {
      db.close();
    },
  };
}
