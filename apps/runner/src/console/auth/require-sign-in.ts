import type { MiddlewareHandler } from 'hono';
import type { ConsoleEnv } from '../console-env.js';
import { refusalPage } from '../layout.js';
import { submittedToken, tokensMatch } from './csrf-token.js';
import { type ConsoleRole, roleAllows } from './roles.js';

const readsOnly = /^(GET|HEAD)$/u;

/**
 * Console routes are for signed-in users only (https://hono.dev/docs/guides/middleware). Nobody signed in: a page
 * (GET) redirects to /login, anything else answers 401. A request that changes something must carry the session's
 * CSRF token (form field or header), else 403. A user whose role is below `role` gets 403.
 */
export function requireSignIn(role: ConsoleRole = 'viewer'): MiddlewareHandler<ConsoleEnv> {
  return async (context, next) => {
    const signedIn = context.get('signedIn') ?? null;
    const reading = readsOnly.test(context.req.method);
    if (signedIn === null) {
      if (reading) return context.redirect('/login', 303);
      return context.html(
        refusalPage('Sign in first', 'This needs a signed-in user: sign in at /login.', null),
        401,
      );
    }
    if (!reading && !tokensMatch(await submittedToken(context), signedIn.csrfToken))
      return context.html(
        refusalPage(
          'Refused',
          'The form did not carry this session’s token (an old page, or a request from another site). Reload the page and try again.',
          signedIn,
        ),
        403,
      );
    if (!roleAllows(signedIn.role, role))
      return context.html(
        refusalPage(
          'Not allowed',
          `Only ${role}s may do this; ${signedIn.userName} is signed in as a ${signedIn.role}.`,
          signedIn,
        ),
        403,
      );
    await next();
  };
}
