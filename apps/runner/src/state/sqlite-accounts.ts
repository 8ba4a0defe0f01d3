import { randomUUID } from 'node:crypto';
import type Database from 'libsql';
import { z } from 'zod';
import type { AuditFilter, ConsoleSession, ConsoleUserCredentials, StateStore } from './state-store.js';

type Atomically = <T>(work: () => T) => T;

type UserMethods = Pick<
  StateStore,
  | 'addConsoleUser'
  | 'consoleUserCredentials'
  | 'consoleUsers'
  | 'setConsolePassword'
  | 'setConsoleUserRole'
  | 'removeConsoleUser'
  | 'recordConsoleSignIn'
>;
type SessionMethods = Pick<
  StateStore,
  | 'createConsoleSession'
  | 'consoleSession'
  | 'touchConsoleSession'
  | 'endConsoleSession'
  | 'pruneConsoleSessions'
>;
type LoginFailureMethods = Pick<
  StateStore,
  'recordLoginFailure' | 'loginFailuresAfter' | 'clearLoginFailures' | 'pruneLoginFailures'
>;
type AuditMethods = Pick<StateStore, 'recordAudit' | 'auditLog'>;

const role = z.enum(['viewer', 'operator']);
const userRow = z.object({
  name: z.string(),
  role,
  password_hash: z.string(),
  created_at: z.string(),
  password_changed_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});
const sessionRow = z.object({
  id_hash: z.string(),
  user_name: z.string(),
  role,
  csrf_token: z.string(),
  created_at: z.string(),
  last_seen_at: z.string(),
  expires_at: z.string(),
});
const json = z
  .string()
  .nullable()
  .transform((text): unknown => (text === null ? null : JSON.parse(text)));
const auditRow = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  before_state: json,
  after_state: json,
});

const toCredentials = (row: z.infer<typeof userRow>): ConsoleUserCredentials => ({
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  lastSignInAt: row.last_sign_in_at,
});

const toSession = (row: z.infer<typeof sessionRow>): ConsoleSession => ({
  idHash: row.id_hash,
  userName: row.user_name,
  role: row.role,
  csrfToken: row.csrf_token,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

/** Console accounts: a password change, a role change or a removal ends the account's sessions in the same transaction. */
function sqliteUsers(db: Database.Database, atomically: Atomically): UserMethods {
  // Prepared when used: the store is built before `migrate()` creates the tables.
  const endSessionsOf = (name: string) =>
    db.prepare('DELETE FROM console_sessions WHERE user_name = ?').run(name);
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
      return row === undefined ? null : toCredentials(userRow.parse(row));
    },
    async consoleUsers() {
      return db
        .prepare('SELECT * FROM console_users ORDER BY name')
        .all()
        .map((row) => {
          const { passwordHash: _, ...user } = toCredentials(userRow.parse(row));
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
    async setConsoleUserRole(name, role) {
      return atomically(() => {
        const changed = db
          .prepare('UPDATE console_users SET role = ? WHERE name = ?')
          .run(role, name).changes;
        endSessionsOf(name);
        return changed > 0;
      });
    },
    async removeConsoleUser(name) {
      return atomically(() => {
        const removed = db.prepare('DELETE FROM console_users WHERE name = ?').run(name).changes;
        endSessionsOf(name);
        return removed > 0;
      });
    },
    async recordConsoleSignIn(name, at) {
      db.prepare('UPDATE console_users SET last_sign_in_at = ? WHERE name = ?').run(at, name);
    },
  };
}

function sqliteSessions(db: Database.Database): SessionMethods {
  return {
    async createConsoleSession(session) {
      db.prepare(
        `INSERT INTO console_sessions (id_hash, user_name, role, csrf_token, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        session.idHash,
        session.userName,
        session.role,
        session.csrfToken,
        session.createdAt,
        session.lastSeenAt,
        session.expiresAt,
      );
    },
    async consoleSession(idHash) {
      const row = db.prepare('SELECT * FROM console_sessions WHERE id_hash = ?').get(idHash);
      return row === undefined ? null : toSession(sessionRow.parse(row));
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
  };
}

function sqliteLoginFailures(db: Database.Database): LoginFailureMethods {
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
  };
}

/** The WHERE clause of an audit filter, with its parameters in order. */
function auditWhere(filter: AuditFilter): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  const add = (clause: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('actor = ?', filter.actor);
  add('action = ?', filter.action);
  add('target = ?', filter.target);
  add('at >= ?', filter.since);
  add('at < ?', filter.until);
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

function sqliteAudit(db: Database.Database): AuditMethods {
  const asJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return {
    async recordAudit(entry) {
      db.prepare(
        'INSERT INTO audit (id, at, actor, action, target, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        randomUUID(),
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        asJson(entry.before),
        asJson(entry.after),
      );
    },
    async auditLog(filter) {
      const where = auditWhere(filter);
      // Entries of the same millisecond come in no particular order among themselves.
      return db
        .prepare(`SELECT * FROM audit ${where.sql} ORDER BY at DESC, id DESC LIMIT ?`)
        .all(...where.params, filter.limit)
        .map((row) => {
          const parsed = auditRow.parse(row);
          return {
            id: parsed.id,
            at: parsed.at,
            actor: parsed.actor,
            action: parsed.action,
            target: parsed.target,
            before: parsed.before_state,
            after: parsed.after_state,
          };
        });
    },
  };
}

/**
 * The operator console's part of the SQLite state store: accounts, sessions, failed sign-ins and the audit log
 * (migration 7). Timestamps come from the callers, so the console's clock decides expiry, not this file's.
 */
export function sqliteAccounts(
  db: Database.Database,
  atomically: Atomically,
): UserMethods & SessionMethods & LoginFailureMethods & AuditMethods {
  return {
    ...sqliteUsers(db, atomically),
    ...sqliteSessions(db),
    ...sqliteLoginFailures(db),
    ...sqliteAudit(db),
  };
}
