import type Database from 'libsql';
import { z } from 'zod';
import * as accountRows from './account-rows.js';

type Atomically = <T>(work: () => T) => T;

/** Console accounts: a password change, a role change or a removal ends the account's sessions in the same transaction. */
function sqliteUsers(db: Database.Database, atomically: Atomically) {
  // Prepared when used: the store is built before `migrate()` creates the tables.
  const endSessionsOf = (name: string) =>
    db.prepare('DELETE FROM console_sessions WHERE user_name = ?').run(name);
  // A check and the change it guards in one write transaction, taken before the check reads: another process's
  // change waits for it (busy_timeout) instead of reading what this one is about to change.
  const exclusively = <T>(work: () => T): T => (db.inTransaction ? work() : db.transaction(work).immediate());
  const isLastOperator = (name: string) =>
    db.prepare("SELECT role FROM console_users WHERE name = ? AND role = 'operator'").get(name) !==
      undefined &&
    db.prepare("SELECT 1 FROM console_users WHERE role = 'operator' AND name <> ? LIMIT 1").get(name) ===
      undefined;
  return {
    async addConsoleUser(user) {
      return (
        db
          .prepare(
            `INSERT INTO console_users (name, role, password_hash, created_at, password_changed_at, last_sign_in_at)
             VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (name) DO NOTHING`,
          )
          .run(user.name, user.role, user.passwordHash, user.createdAt, user.createdAt).changes > 0
      );
    },
    async consoleUserCredentials(name) {
      const row = db.prepare('SELECT * FROM console_users WHERE name = ?').get(name);
      return row === undefined ? null : accountRows.toCredentials(accountRows.userRow.parse(row));
    },
    async consoleUsers() {
      return db
        .prepare('SELECT * FROM console_users ORDER BY name')
        .all()
        .map((row) => {
          const { passwordHash: _, ...user } = accountRows.toCredentials(accountRows.userRow.parse(row));
          return user;
        });
    },
    async setConsolePassword(name, passwordHash, changedAt) {
      return atomically(() => {
        const changed = db
          .prepare('UPDATE console_users SET password_hash = ?, password_changed_at = ? WHERE name = ?')
          .run(passwordHash, changedAt, name).changes;
        endSessionsOf(name);
        return changed > 0;
      });
    },
    // No column keeps when a role changed (migration 7): `changedAt` is not stored here.
    async setConsoleUserRole(name, role, _changedAt, options) {
      return exclusively(() => {
        if (options?.keepAnOperator && role !== 'operator' && isLastOperator(name)) return 'last-operator';
        const changed = db
          .prepare('UPDATE console_users SET role = ? WHERE name = ?')
          .run(role, name).changes;
        endSessionsOf(name);
        return changed > 0 ? 'changed' : 'no-such-user';
      });
    },
    async removeConsoleUser(name, options) {
      return exclusively(() => {
        if (options?.keepAnOperator && isLastOperator(name)) return 'last-operator';
        const removed = db.prepare('DELETE FROM console_users WHERE name = ?').run(name).changes;
        endSessionsOf(name);
        return removed > 0 ? 'changed' : 'no-such-user';
      });
    },
    async recordConsoleSignIn(name, at) {
      db.prepare('UPDATE console_users SET last_sign_in_at = ? WHERE name = ?').run(at, name);
    },
  } satisfies Partial<accountRows.AccountMethods>;
}

function sqliteSessions(db: Database.Database) {
  return {
    async createConsoleSession(session) {
      db.prepare(
        `INSERT INTO console_sessions (id_hash, user_name, role, csrf_token, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(...accountRows.sessionValues(session));
    },
    async consoleSession(idHash) {
      const row = db.prepare('SELECT * FROM console_sessions WHERE id_hash = ?').get(idHash);
      return row === undefined ? null : accountRows.toSession(accountRows.sessionRow.parse(row));
    },
    async touchConsoleSession(idHash, lastSeenAt) {
      db.prepare('UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?').run(lastSeenAt, idHash);
    },
    async endConsoleSession(idHash) {
      db.prepare('DELETE FROM console_sessions WHERE id_hash = ?').run(idHash);
    },
    async pruneConsoleSessions(now, idleBefore) {
      return db
        .prepare('DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at < ?')
        .run(now, idleBefore).changes;
    },
  } satisfies Partial<accountRows.AccountMethods>;
}

function sqliteLoginFailures(db: Database.Database) {
  return {
    async recordLoginFailure(subject, at) {
      db.prepare('INSERT INTO login_failures (subject, failed_at) VALUES (?, ?)').run(subject, at);
    },
    async loginFailuresAfter(subject, after) {
      return db
        .prepare(
          'SELECT failed_at FROM login_failures WHERE subject = ? AND failed_at > ? ORDER BY failed_at',
        )
        .all(subject, after)
        .map((row) => z.object({ failed_at: z.string() }).parse(row).failed_at);
    },
    async clearLoginFailures(subject) {
      db.prepare('DELETE FROM login_failures WHERE subject = ?').run(subject);
    },
    async pruneLoginFailures(before) {
      return db.prepare('DELETE FROM login_failures WHERE failed_at < ?').run(before).changes;
    },
  } satisfies Partial<accountRows.AccountMethods>;
}

function sqliteAudit(db: Database.Database) {
  return {
    async recordAudit(entry) {
      db.prepare(
        'INSERT INTO audit (id, at, actor, action, target, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(...accountRows.auditValues(entry));
    },
    async auditLog(filter) {
      const conditions = accountRows.auditConditions(filter);
      const where =
        conditions.length === 0 ? '' : `WHERE ${conditions.map(({ test }) => `${test} ?`).join(' AND ')}`;
      // Entries of the same millisecond come in no particular order among themselves.
      return db
        .prepare(`SELECT * FROM audit ${where} ORDER BY at DESC, id DESC LIMIT ?`)
        .all(...conditions.map(({ value }) => value), filter.limit)
        .map((row) => accountRows.toAuditEntry(accountRows.auditRow.parse(row)));
    },
  } satisfies Partial<accountRows.AccountMethods>;
}

/**
 * The operator console's part of the SQLite state store: accounts, sessions, failed sign-ins and the audit log
 * (migration 7). Timestamps come from the callers, so the console's clock decides expiry, not this file's.
 */
export function sqliteAccounts(db: Database.Database, atomically: Atomically): accountRows.AccountMethods {
  return {
    ...sqliteUsers(db, atomically),
    ...sqliteSessions(db),
    ...sqliteLoginFailures(db),
    ...sqliteAudit(db),
  };
}
