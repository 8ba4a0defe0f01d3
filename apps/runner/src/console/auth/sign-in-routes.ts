import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { StateStore } from '../../state/state-store.js';
import type { ConsoleEnv } from '../console-env.js';
import { loginPage } from '../login-page.js';
import { normalizeUserName } from './account-rules.js';
import { submittedToken, tokensMatch } from './csrf-token.js';
import type { LoginRateLimit } from './login-rate-limit.js';
import { openSession } from './open-session.js';
import { type ScryptParameters, verifyPassword, verifyWithoutAccount } from './password-hashing.js';
import { clearLoginCookie, clearSessionCookie, readLoginCookie, setLoginCookie } from './session-cookie.js';
import { randomSecret, type SessionStore, type SignedIn } from './sessions.js';

export type SignInStore = SessionStore &
  Pick<StateStore, 'consoleUserCredentials' | 'recordConsoleSignIn' | 'recordAudit'>;

export interface SignInOptions {
  readonly store: SignInStore;
  readonly rateLimit: LoginRateLimit;
  readonly now: () => Date;
  readonly secureCookies: boolean;
  readonly clientAddress: (context: Context) => string;
  /** The cost of the stand-in verification for names without an account (the real hashes carry their own). */
  readonly passwordParameters?: ScryptParameters | undefined;
  readonly logger?: Pick<Logger, 'info' | 'warn'> | undefined;
  /** With single sign-on on, the provider's name: the form shows "Sign in with <name>" beside it. */
  readonly singleSignOnName?: string | undefined;
}

type ConsoleContext = Context<ConsoleEnv>;

const wellFormedToken = /^[A-Za-z0-9_-]{43}$/u;

/**
 * Shows the sign-in form with its token (cookie and hidden field): the token the cookie holds already, else a new
 * one. Kept, not replaced on every view: the browser's other requests that end on /login (its favicon, another
 * tab) would otherwise replace the cookie under the form on screen, whose post would then be refused.
 */
function showLogin(
  context: ConsoleContext,
  options: SignInOptions,
  status: 200 | 400 | 401 | 403 | 429,
  problem?: string,
  userName?: string,
) {
  const kept = readLoginCookie(context);
  const loginToken = kept !== undefined && wellFormedToken.test(kept) ? kept : randomSecret();
  setLoginCookie(context, loginToken, options.secureCookies);
  const { singleSignOnName } = options;
  return context.html(loginPage({ loginToken, problem, userName, singleSignOnName }), status);
}

const formText = (form: Record<string, unknown>, field: string) => {
  const value = form[field];
  return typeof value === 'string' ? value : '';
};

const minutes = (seconds: number) => `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`;

/** POST /login: the form token, the rate limit, then the password; a new session on success. */
async function signIn(context: ConsoleContext, options: SignInOptions): Promise<Response> {
  const cookieToken = readLoginCookie(context);
  if (cookieToken === undefined || !tokensMatch(await submittedToken(context), cookieToken))
    return showLogin(
      context,
      options,
      403,
      'The sign-in form expired or did not come from this console. If this repeats: the browser must accept cookies, and over plain http the console works only at 127.0.0.1 or localhost (behind the TLS proxy, set CRM_SYNC_PUBLIC_URL=https://…).',
    );
  const form = await context.req.parseBody();
  const typedName = formText(form, 'name');
  const password = formText(form, 'password');
  const userName = normalizeUserName(typedName);
  if (userName === '' || password === '')
    return showLogin(context, options, 400, 'Give a user name and a password.', typedName);
  const address = options.clientAddress(context);
  const admission = await options.rateLimit.admit({ userName, address }, options.now());
  if (!admission.ok) {
    options.logger?.warn({ userName, address }, 'console sign-in refused: too many failed attempts');
    context.header('Retry-After', String(admission.retryAfterSeconds));
    return showLogin(
      context,
      options,
      429,
      `Too many failed sign-ins for this user name or from this address. Try again in ${minutes(admission.retryAfterSeconds)}.`,
      typedName,
    );
  }
  const user = await options.store.consoleUserCredentials(userName);
  const valid =
    user === null
      ? await verifyWithoutAccount(password, options.passwordParameters)
      : await verifyPassword(password, user.passwordHash);
  if (user === null || !valid) {
    await admission.attempt.failed(options.now());
    options.logger?.warn({ userName, address }, 'console sign-in failed: wrong user name or password');
    return showLogin(context, options, 401, 'Wrong user name or password.', typedName);
  }
  await admission.attempt.succeeded();
  return startSignedIn(context, options, user);
}

async function startSignedIn(
  context: ConsoleContext,
  options: SignInOptions,
  user: { readonly name: string; readonly role: SignedIn['role'] },
): Promise<Response> {
  await openSession(context, options, user);
  await options.store.recordConsoleSignIn(user.name, options.now().toISOString());
  clearLoginCookie(context, options.secureCookies);
  return context.redirect('/', 303);
}

/**
 * GET /login, POST /login and POST /logout (single sign-on's routes are in auth/single-sign-on-routes.ts). The sign-in form is the one console page open
 * to everyone; the rest sit behind `requireSignIn`, which `consoleRoutes` puts in front of them (so POST /logout
 * needs the session's CSRF token).
 */
export function signInRoutes(options: SignInOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  // The sign-in form; someone signed in already goes to the console. Its token is double-submitted (cookie and
  // field): https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#alternative-using-a-double-submit-cookie-pattern
  app.get('/login', (context) =>
    context.get('signedIn') ? context.redirect('/', 303) : showLogin(context, options, 200),
  );
  // Same answer for an unknown name and a wrong password, limited per name and address:
  // https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#authentication-and-error-messages
  app.post('/login', (context) => signIn(context, options));
  // Ends the session on the server, not only in the browser:
  // https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#manual-session-expiration
  app.post('/logout', async (context) => {
    const signedIn = context.get('signedIn');
    if (signedIn) {
      await options.store.endConsoleSession(signedIn.idHash);
      await options.store.recordAudit({
        at: options.now().toISOString(),
        actor: signedIn.userName,
        action: 'session.sign-out',
        target: signedIn.userName,
        before: { role: signedIn.role },
        after: null,
      });
    }
    clearSessionCookie(context, options.secureCookies);
    return context.redirect('/login', 303);
  });
  return app;
}
