import { z } from 'zod';
import type { ConsoleSession, ConsoleUserCredentials, StoredAuditEntry } from './state-store.js';

/*
 * How the console's tables (migration 7) read back, for the PostgreSQL store; the same schemas as the SQLite
 * store's own (sqlite-accounts.ts), which the contract suite runs against both.
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
