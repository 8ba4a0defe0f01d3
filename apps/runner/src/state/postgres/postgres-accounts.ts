import { z } from 'zod';
import {
  type AccountMethods,
  auditConditions,
  auditRow,
  auditValues,
  sessionRow,
  sessionValues,
  toAuditEntry,
  toCredentials,
  toSession,
  userRow,
} from '../account-rows.js';
import type { AccountChange } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * Console accounts with their sessions; a password change, a role change or a removal ends the account's
 * sessions in the same transaction.
 */
function postgresUsers(db: PostgresDatabase) {
  const endSessionsOf = (name: string) =>
    db.write('DELETE FROM console_sessions WHERE user_name = $1', [name]);
  const changeAndEndSessions = (sql: string, parameters: readonly unknown[], name: string) =>
    db.transaction(async () => {
      const changed = await db.write(sql, parameters);
      await endSessionsOf(name);
      return (changed.rowCount ?? 0) > 0;
    });
  /**
   * A role change or a removal, refused when `keepAnOperator` and it would take away the last operator. The table
   * lock conflicts with itself, so two such changes run one after the other and the second sees the first's
   * result (https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES); plain reads go on.
   */
  const guardedChange = (
    name: string,
    keepAnOperator: boolean,
    change: () => Promise<{ rowCount: number | null }>,
  ): Promise<AccountChange> =>
    db.transaction(async () => {
      if (keepAnOperator) {
        await db.write('LOCK TABLE console_users IN SHARE ROW EXCLUSIVE MODE');
        const operators = await db.read(
          z.object({ name: z.string() }),
          "SELECT name FROM console_users WHERE role = 'operator'",
        );
        if (operators.length === 1 && operators[0]?.name === name) return 'last-operator';
      }
      const changed = await change();
      await endSessionsOf(name);
      return (changed.rowCount ?? 0) > 0 ? 'changed' : 'no-such-user';
    });
  return {
    async addConsoleUser(user) {
      const added = await db.write(
        `INSERT INTO console_users (name, role, password_hash, created_at, password_changed_at, last_sign_in_at)
         VALUES ($1, $2, $3, $4, $4, NULL) ON CONFLICT (name) DO NOTHING`,
        [user.name, user.role, user.passwordHash, user.createdAt],
      );
      return (added.rowCount ?? 0) > 0;
    },
    async consoleUserCredentials(name) {
      const [row] = await db.read(userRow, 'SELECT * FROM console_users WHERE name = $1', [name]);
      return row === undefined ? null : toCredentials(row);
    },
    async consoleUsers() {
      const rows = await db.read(userRow, 'SELECT * FROM console_users ORDER BY name');
      return rows.map((row) => {
        const { passwordHash: _, ...user } = toCredentials(row);
        return user;
      });
    },
    async setConsolePassword(name, passwordHash, changedAt) {
      return changeAndEndSessions(
        'UPDATE console_users SET password_hash = $1, password_changed_at = $2 WHERE name = $3',
        [passwordHash, changedAt, name],
        name,
      );
    },
    // `changedAt` has no column (the same schema as SQLite's): the audit entry of the change keeps the time.
    async setConsoleUserRole(name, role, _changedAt, options) {
      return guardedChange(name, options?.keepAnOperator === true && role !== 'operator', () =>
        db.write('UPDATE console_users SET role = $1 WHERE name = $2', [role, name]),
      );
    },
    async removeConsoleUser(name, options) {
      return guardedChange(name, options?.keepAnOperator === true, () =>
        db.write('DELETE FROM console_users WHERE name = $1', [name]),
      );
    },
    async recordConsoleSignIn(name, at) {
      await db.write('UPDATE console_users SET last_sign_in_at = $1 WHERE name = $2', [at, name]);
    },
  } satisfies Partial<AccountMethods>;
}

function postgresSessions(db: PostgresDatabase) {
  return {
    async createConsoleSession(session) {
      await db.write(
        `INSERT INTO console_sessions (id_hash, user_name, role, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        sessionValues(session),
      );
    },
    async consoleSession(idHash) {
      const [row] = await db.read(sessionRow, 'SELECT * FROM console_sessions WHERE id_hash = $1', [idHash]);
      return row === undefined ? null : toSession(row);
    },
    async touchConsoleSession(idHash, lastSeenAt) {
      await db.write('UPDATE console_sessions SET last_seen_at = $1 WHERE id_hash = $2', [
        lastSeenAt,
        idHash,
      ]);
    },
    async endConsoleSession(idHash) {
      await db.write('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
    },
    async pruneConsoleSessions(now, idleBefore) {
      const pruned = await db.write(
        'DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at < $2',
        [now, idleBefore],
      );
      return pruned.rowCount ?? 0;
    },
  } satisfies Partial<AccountMethods>;
}

function postgresLoginFailures(db: PostgresDatabase) {
  return {
    async recordLoginFailure(subject, at) {
      await db.write('INSERT INTO login_failures (subject, failed_at) VALUES ($1, $2)', [subject, at]);
    },
    async loginFailuresAfter(subject, after) {
      const rows = await db.read(
        z.object({ failed_at: z.string() }),
        'SELECT failed_at FROM login_failures WHERE subject = $1 AND failed_at > $2 ORDER BY failed_at',
        [subject, after],
      );
      return rows.map((row) => row.failed_at);
    },
    async clearLoginFailures(subject) {
      await db.write('DELETE FROM login_failures WHERE subject = $1', [subject]);
    },
    async pruneLoginFailures(before) {
      return (await db.write('DELETE FROM login_failures WHERE failed_at < $1', [before])).rowCount ?? 0;
    },
  } satisfies Partial<AccountMethods>;
}

function postgresAudit(db: PostgresDatabase) {
  return {
    async recordAudit(entry) {
      await db.write(
        'INSERT INTO audit (id, at, actor, action, target, before_state, after_state) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        auditValues(entry),
      );
    },
    async auditLog(filter) {
      const conditions = auditConditions(filter);
      const tests = conditions.map(({ test }, index) => `${test} $${index + 1}`);
      const where = tests.length === 0 ? '' : `WHERE ${tests.join(' AND ')}`;
      // Entries of the same millisecond come in no particular order among themselves.
      const rows = await db.read(
        auditRow,
        `SELECT * FROM audit ${where} ORDER BY at DESC, id DESC LIMIT $${conditions.length + 1}`,
        [...conditions.map(({ value }) => value), filter.limit],
      );
      return rows.map(toAuditEntry);
    },
  } satisfies Partial<AccountMethods>;
}

/**
 * The operator console's part of the PostgreSQL store: accounts, sessions, failed sign-ins and the audit log.
 * Timestamps come from the callers, so the console's clock decides expiry, not the server's.
 */
export function postgresAccounts(db: PostgresDatabase): AccountMethods {
  return {
    ...postgresUsers(db),
    ...postgresSessions(db),
    ...postgresLoginFailures(db),
    ...postgresAudit(db),
  };
}
