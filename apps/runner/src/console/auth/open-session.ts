import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { StateStore } from '../../state/state-store.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleRole } from './roles.js';
import { setSessionCookie } from './session-cookie.js';
import { type SessionStore, startSession } from './sessions.js';

export interface OpenSessionOptions {
  readonly store: SessionStore & Pick<StateStore, 'recordAudit'>;
  readonly now: () => Date;
  readonly secureCookies: boolean;
  readonly logger?: Pick<Logger, 'info' | 'warn'> | undefined;
}

/**
 * Signs a user in, however they proved who they are (a password, or the company's provider): the session the
 * browser had ends, a new one starts (a new id: no session fixation; the same lifetimes, CSRF token and role
 * checks for both kinds), the cookie is set, and `session.sign-in` is audited with `details` beside the role.
 */
export async function openSession(
  context: Context<ConsoleEnv>,
  options: OpenSessionOptions,
  user: { readonly name: string; readonly role: ConsoleRole },
  details: Readonly<Record<string, string>> = {},
): Promise<void> {
  const previous = context.get('signedIn');
  if (previous) await options.store.endConsoleSession(previous.idHash);
  const now = options.now();
  const { sessionId } = await startSession(options.store, user, now);
  await options.store.recordAudit({
    at: now.toISOString(),
    actor: user.name,
    action: 'session.sign-in',
    target: user.name,
    before: null,
    after: { role: user.role, ...details },
  });
  options.logger?.info({ userName: user.name, role: user.role, ...details }, 'console sign-in');
  setSessionCookie(context, sessionId, options.secureCookies);
}
