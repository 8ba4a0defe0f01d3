import type { Context } from 'hono';
import { Hono } from 'hono';
import * as openid from 'openid-client';
import type { ConsoleEnv } from '../console-env.js';
import { type OpenSessionOptions, openSession } from './open-session.js';
import {
  clearSignInFlowCookie,
  readSignInFlowCookie,
  type SignInFlowSealer,
  setSignInFlowCookie,
} from './sign-in-flow-cookie.js';
import type { SingleSignOnClient } from './single-sign-on-client.js';
import { singleSignOnIdentity, singleSignOnPrefix } from './single-sign-on-identity.js';
import { continuingPage, singleSignOnProblemPage } from './single-sign-on-pages.js';
import { callbackPath, type SingleSignOnSettings, startPath } from './single-sign-on-settings.js';

export interface SingleSignOnRouteOptions extends OpenSessionOptions {
  readonly settings: SingleSignOnSettings;
  readonly client: SingleSignOnClient;
  readonly sealer: SignInFlowSealer;
}

type ConsoleContext = Context<ConsoleEnv>;

/** The error's message, with its cause's (openid-client wraps the failed check's own message as the cause). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** GET /oidc/start: a new flow in its cookie, and the browser on to the provider. */
async function start(context: ConsoleContext, options: SingleSignOnRouteOptions): Promise<Response> {
  if (context.get('signedIn')) return context.redirect('/', 303);
  let started: Awaited<ReturnType<SingleSignOnClient['start']>>;
  try {
    started = await options.client.start();
  } catch (error) {
    options.logger?.warn(
      { issuer: options.settings.issuer, error: errorText(error) },
      'console single sign-on: the provider cannot be reached',
    );
    const message = `${options.settings.providerName} (${options.settings.issuer}) cannot be reached just now. Try again in a minute, or sign in with a local account.`;
    return context.html(singleSignOnProblemPage('Single sign-on is not available', message), 502);
  }
  setSignInFlowCookie(context, options.sealer.seal(started.flow, options.now()), options.secureCookies);
  return context.redirect(started.authorizationUrl.href, 303);
}

/** Why the provider's answer signed nobody in, as a page; the details go to the log. */
function failed(context: ConsoleContext, options: SingleSignOnRouteOptions, error: unknown): Response {
  const detail = errorText(error);
  options.logger?.warn({ issuer: options.settings.issuer, error: detail }, 'console single sign-on failed');
  // The provider's own error (the person cancelled, or is not assigned to the app), sent with the right state:
  // https://openid.net/specs/openid-connect-core-1_0.html#AuthError
  const message =
    error instanceof openid.AuthorizationResponseError
      ? `${options.settings.providerName} did not sign you in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`
      : `The answer from ${options.settings.providerName} did not pass this console’s checks, or the provider could not be reached (${detail}). Nobody was signed in. Start again from the sign-in page.`;
  return context.html(singleSignOnProblemPage('Single sign-on failed', message), 401) as Response;
}

/**
 * GET /oidc/callback: the flow's cookie (else 400), the code redeemed and the ID token checked by openid-client
 * (else 401), a role from its claims (else 403, and no session), then a session like a local sign-in's.
 */
async function callback(context: ConsoleContext, options: SingleSignOnRouteOptions): Promise<Response> {
  const sealed = readSignInFlowCookie(context);
  clearSignInFlowCookie(context, options.secureCookies);
  const flow = sealed === undefined ? null : options.sealer.open(sealed, options.now());
  if (flow === null)
    return context.html(
      singleSignOnProblemPage(
        'Single sign-on failed',
        'This sign-in did not start in this browser, or took longer than 10 minutes. Nobody was signed in. Start again from the sign-in page (the browser must accept cookies).',
      ),
      400,
    );
  let claims: Awaited<ReturnType<SingleSignOnClient['finish']>>;
  try {
    claims = await options.client.finish(new URL(context.req.url).search, flow);
  } catch (error) {
    return failed(context, options, error);
  }
  const identity = singleSignOnIdentity(claims, options.settings);
  if (!identity.granted) {
    options.logger?.warn({ userName: identity.userName }, 'console single sign-on refused: no role granted');
    const who = identity.userName.slice(singleSignOnPrefix.length);
    const message = `You signed in at ${options.settings.providerName} as ${who}, but this console grants you no role. ${identity.reason}`;
    return context.html(singleSignOnProblemPage('Not allowed in', message), 403);
  }
  const user = { name: identity.userName, role: identity.role };
  await openSession(context, options, user, { method: 'single sign-on', issuer: options.settings.issuer });
  context.header('Refresh', '0; url=/');
  return context.html(continuingPage({ userName: user.name, role: user.role }), 200);
}

/**
 * Single sign-on through the company's OpenID Connect provider, beside the local accounts: GET /oidc/start and
 * GET /oidc/callback, both open to everyone (`consoleRoutes` leaves them outside `requireSignIn`). Signing out is
 * POST /logout, as for local users: it ends the console's session, not the provider's (signing out there would
 * sign the person out of every other application of the company too).
 */
export function singleSignOnRoutes(options: SingleSignOnRouteOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  // The authorization request: https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
  app.get(startPath, (context) => start(context, options));
  // The authorization response and token request: https://openid.net/specs/openid-connect-core-1_0.html#AuthResponse
  app.get(callbackPath, (context) => callback(context, options));
  return app;
}
