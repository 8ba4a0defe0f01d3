import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type {
  AuditEntry,
  AuditFilter,
  ConsoleSession,
  ConsoleUserCredentials,
  StateStore,
  StoredAuditEntry,
} from './state-store.js';

/** The console's part of the state store (migration 7). */
export type AccountMethods = Pick<
  StateStore,
  | 'addConsoleUser'
  | 'consoleUserCredentials'
  | 'consoleUsers'
  | 'setConsolePassword'
  | 'setConsoleUserRole'
  | 'removeConsoleUser'
  | 'recordConsoleSignIn'
  | 'createConsoleSession'
  | 'consoleSession'
  | 'touchConsoleSession'
  | 'endConsoleSession'
  | 'pruneConsoleSessions'
  | 'recordLoginFailure'
  | 'loginFailuresAfter'
  | 'clearLoginFailures'
  | 'pruneLoginFailures'
  | 'recordAudit'
  | 'auditLog'
>;

/*
 * How the console's tables (migration 7) read back and what an audit entry writes, for both backends (the
 * contract suite runs against both).
 */
const role = z.enum(['viewer', 'operator']);
export const userRow = z.object({
  name: z.string(),
  role,
  password_hash: z.string(),
  created_at: z.string(),
  password_changed_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});
export const sessionRow = z.object({
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
export const auditRow = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  before_state: json,
  after_state: json,
});

export const toCredentials = (row: z.infer<typeof userRow>): ConsoleUserCredentials => ({
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  lastSignInAt: row.last_sign_in_at,
});

export const toSession = (row: z.infer<typeof sessionRow>): ConsoleSession => ({
  idHash: row.id_hash,
  userName: row.user_name,
  role: row.role,
  csrfToken: row.csrf_token,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export const toAuditEntry = (row: z.infer<typeof auditRow>): StoredAuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  before: row.before_state,
  after: row.after_state,
});

/**
 * The values of a new session row, in the column order `id_hash, user_name, role, csrf_token, created_at,
 * last_seen_at, expires_at`.
 */
export const sessionValues = (session: ConsoleSession): unknown[] => [
  session.idHash,
  session.userName,
  session.role,
  session.csrfToken,
  session.createdAt,
  session.lastSeenAt,
  session.expiresAt,
];

const asJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The values of a new audit row, in the column order `id, at, actor, action, target, before_state, after_state`. */
export const auditValues = (entry: AuditEntry): unknown[] => [
  randomUUID(),
  entry.at,
  entry.actor,
  entry.action,
  entry.target,
  asJson(entry.before),
  asJson(entry.after),
];

/**
 * The conditions of an audit filter, in order, each a column with its comparison (`actor =`) and the value; each
 * backend adds its own placeholders.
 */
export function auditConditions(filter: AuditFilter): Array<{ test: string; value: string }> {
  const conditions: Array<{ test: string; value: string }> = [];
  const add = (test: string, value: string | undefined) => {
    if (value !== undefined) conditions.push({ test, value });
  };
  add('actor =', filter.actor);
  add('action =', filter.action);
  add('target =', filter.target);
  add('at >=', filter.since);
  add('at <', filter.until);
  return conditions;
}
