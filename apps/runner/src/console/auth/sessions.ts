import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleRole, StateStore } from '../../state/state-store.js';

/**
 * How long a session lasts: it ends after 30 minutes without a request (idle) and 12 hours after sign-in however
 * active it is (absolute), as OWASP's session guidance suggests for sensitive applications
 * (https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration).
 * The last request is recorded at most once a minute, so the idle limit is exact to a minute.
 */
export const sessionLifetimes = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  touchEveryMs: 60_000,
} as const;

export type SessionStore = Pick<
  StateStore,
  | 'createConsoleSession'
  | 'consoleSession'
  | 'touchConsoleSession'
  | 'endConsoleSession'
  | 'pruneConsoleSessions'
>;

/** Who is signed in, as a request's handlers see it. */
export interface SignedIn {
  readonly userName: string;
  readonly role: ConsoleRole;
  /** The token this session's forms carry. */
  readonly csrfToken: string;
  /** The SHA-256 of the session id: what the store knows the session by. */
  readonly idHash: string;
}

/** 32 random bytes, base64url: a session id or a form token. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The session id as stored: its SHA-256 (hex). A random 256-bit id needs no salt or slow hash. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

const wellFormed = /^[A-Za-z0-9_-]{43}$/u;

/** A new session for a user who just signed in (a new id every time: no session fixation). */
export async function startSession(
  store: SessionStore,
  user: { readonly name: string; readonly role: ConsoleRole },
  now: Date,
): Promise<{ sessionId: string; signedIn: SignedIn }> {
  const at = now.getTime();
  await store.pruneConsoleSessions(now.toISOString(), new Date(at - sessionLifetimes.idleMs).toISOString());
  const sessionId = randomSecret();
  const signedIn: SignedIn = {
    userName: user.name,
    role: user.role,
    csrfToken: randomSecret(),
    idHash: hashSessionId(sessionId),
  };
  await store.createConsoleSession({
    idHash: signedIn.idHash,
    userName: user.name,
    role: user.role,
    csrfToken: signedIn.csrfToken,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(at + sessionLifetimes.absoluteMs).toISOString(),
  });
  return { sessionId, signedIn };
}

/** The session a cookie names, if it has not expired (an expired one is ended); records the request. */
export async function resumeSession(
  store: SessionStore,
  sessionId: string,
  now: Date,
): Promise<SignedIn | null> {
  if (!wellFormed.test(sessionId)) return null;
  const idHash = hashSessionId(sessionId);
  const session = await store.consoleSession(idHash);
  if (session === null) return null;
  const at = now.getTime();
  const idleFor = at - Date.parse(session.lastSeenAt);
  if (at >= Date.parse(session.expiresAt) || idleFor >= sessionLifetimes.idleMs) {
    await store.endConsoleSession(idHash);
    return null;
  }
  if (idleFor >= sessionLifetimes.touchEveryMs) await store.touchConsoleSession(idHash, now.toISOString());
  return { userName: session.userName, role: session.role, csrfToken: session.csrfToken, idHash };
}
