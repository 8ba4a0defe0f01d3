import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import type { CustomFetch } from 'openid-client';
import type { Logger } from 'pino';
import type { StateStore } from '../state/state-store.js';
import { actionRoutes } from './actions/action-routes.js';
import { attentionRoutes } from './attention/attention-routes.js';
import { clientAddress as socketClientAddress } from './auth/client-address.js';
import { createLoginRateLimit } from './auth/login-rate-limit.js';
import type { ScryptParameters } from './auth/password-hashing.js';
import { requireSignIn } from './auth/require-sign-in.js';
import { clearSessionCookie, cookiesAreSecure, readSessionCookie } from './auth/session-cookie.js';
import { resumeSession } from './auth/sessions.js';
import { createSignInFlowSealer } from './auth/sign-in-flow-cookie.js';
import { signInRoutes } from './auth/sign-in-routes.js';
import { createSingleSignOnClient } from './auth/single-sign-on-client.js';
import { singleSignOnRoutes } from './auth/single-sign-on-routes.js';
import { callbackPath, type SingleSignOnSettings, startPath } from './auth/single-sign-on-settings.js';
import { conflictRoutes } from './conflicts/conflict-routes.js';
import type { ConsoleEnv } from './console-env.js';
import type { ConsoleService } from './console-service.js';
import { refusalPage } from './layout.js';
import { overviewRoutes } from './overview/overview-routes.js';
import type { PageOptions } from './page-options.js';
import { recordRoutes } from './records/record-routes.js';
import { runRoutes } from './runs/run-routes.js';
import { consoleSecurityHeaders } from './security-headers.js';

/** The pages read links, held records, conflicts, runs and the audit log; sign-in its accounts and sessions. */
export type ConsoleStore = StateStore;

export interface ConsoleOptions {
  readonly store: ConsoleStore;
  /** `CRM_SYNC_PUBLIC_URL`: behind the TLS proxy an https URL, which makes the cookies `Secure`. */
  readonly publicUrl: string | null;
  /** `CRM_SYNC_HTTP_HOST`: where the service listens when there is no public URL. */
  readonly host: string;
  readonly now?: (() => Date) | undefined;
  /** The client's address for the sign-in limit (default: the socket's, or the local proxy's X-Forwarded-For). */
  readonly clientAddress?: ((context: Context) => string) | undefined;
  readonly passwordParameters?: ScryptParameters | undefined;
  readonly logger?: Pick<Logger, 'info' | 'warn'> | undefined;
  /**
   * The running service (`crm-sync serve`): the engine the actions and conflict resolutions go through, its schedule
   * and its metrics. Without it the pages show what the state holds and the actions answer 501.
   */
  readonly service?: ConsoleService | undefined;
  /**
   * Single sign-on through the company's OpenID Connect provider (`CRM_SYNC_OIDC_*`, auth/single-sign-on-settings.ts);
   * `null` or absent: off, and the login page has the local form only.
   */
  readonly singleSignOn?: SingleSignOnSettings | null | undefined;
  /** The HTTP client single sign-on reaches the provider with (tests); the global fetch otherwise. */
  readonly singleSignOnFetch?: CustomFetch | undefined;
}

/** The console paths open to everyone: the sign-in form, and with single sign-on on its way out and back. */
const openPaths = (singleSignOn: boolean): ReadonlySet<string> =>
  new Set(singleSignOn ? ['/login', startPath, callbackPath] : ['/login']);

/** The service's own endpoints: outside the console, its sign-in and its headers (webhooks carry signatures). */
const servicePaths = /^\/(?:webhooks(?:\/|$)|healthz$|readyz$|metrics$)/u;

/** Runs `middleware` on console paths only: mounted at `/`, the console must not touch the service's endpoints. */
const onConsolePaths =
  (middleware: MiddlewareHandler<ConsoleEnv>): MiddlewareHandler<ConsoleEnv> =>
  (context, next) =>
    servicePaths.test(context.req.path) ? next() : middleware(context, next);

const largestFormBytes = 64 * 1024;

/**
 * Cross-site posts refused by their Origin / Sec-Fetch-Site headers (https://hono.dev/docs/middleware/builtin/csrf),
 * before and besides the token each form carries. Behind the proxy the browser's origin is the public URL's.
 */
function sameOriginPosts(publicUrl: string | null): MiddlewareHandler<ConsoleEnv> {
  const publicOrigin = publicUrl === null ? null : new URL(publicUrl).origin;
  const check = csrf({
    origin: (origin, context) => origin === new URL(context.req.url).origin || origin === publicOrigin,
  });
  return async (context, next) => {
    try {
      return await check(context, next);
    } catch (error) {
      if (context.finalized || !(error instanceof Error) || !('getResponse' in error)) throw error;
      const message = 'This form was sent from another site, and is refused.';
      return context.html(refusalPage('Refused', message, null), 403);
    }
  };
}

function singleSignOnApp(
  options: ConsoleOptions,
  settings: SingleSignOnSettings,
  now: () => Date,
  secureCookies: boolean,
): Hono<ConsoleEnv> {
  return singleSignOnRoutes({
    store: options.store,
    now,
    secureCookies,
    logger: options.logger,
    settings,
    client: createSingleSignOnClient(settings, options.singleSignOnFetch),
    sealer: createSignInFlowSealer(),
  });
}

/**
 * The operator console, to mount at `/` beside the webhook and health routes: GET/POST /login, POST /logout, with
 * single sign-on GET /oidc/start and /oidc/callback (console/auth/single-sign-on-routes.ts), and
 * behind them the pages (overview `/`, `/attention`, `/conflicts`, `/runs`, `/records`) and the operator actions
 * (`/actions/*`, `/conflicts/<id>/resolve`). Every console page, action and piece of data needs a signed-in user
 * (`requireSignIn`); /webhooks/*, /healthz, /readyz and /metrics are left alone whichever is mounted first.
 * Sessions: console/auth/sessions.ts; cookies: console/auth/session-cookie.ts; sign-in limit:
 * console/auth/login-rate-limit.ts.
 */
export function consoleRoutes(options: ConsoleOptions): Hono<ConsoleEnv> {
  const now = options.now ?? (() => new Date());
  const secureCookies = cookiesAreSecure(options);
  const open = openPaths(Boolean(options.singleSignOn));
  const app = new Hono<ConsoleEnv>();
  app.use(onConsolePaths(consoleSecurityHeaders()));
  app.use(
    onConsolePaths(async (context, next) => {
      if (context.req.method === 'GET' || context.req.method === 'HEAD') return next();
      return bodyLimit({ maxSize: largestFormBytes })(context, next);
    }),
  );
  app.use(onConsolePaths(sameOriginPosts(options.publicUrl)));
  // Who is signed in: the session the cookie names, unless it expired (then the cookie is cleared too).
  app.use(
    onConsolePaths(async (context, next) => {
      const sessionId = readSessionCookie(context);
      const signedIn = sessionId === undefined ? null : await resumeSession(options.store, sessionId, now());
      if (sessionId !== undefined && signedIn === null) clearSessionCookie(context, secureCookies);
      context.set('signedIn', signedIn);
      await next();
    }),
  );
  app.use(
    onConsolePaths((context, next) => (open.has(context.req.path) ? next() : requireSignIn()(context, next))),
  );
  app.route(
    '/',
    signInRoutes({
      store: options.store,
      rateLimit: createLoginRateLimit(options.store),
      now,
      secureCookies,
      clientAddress: options.clientAddress ?? socketClientAddress,
      passwordParameters: options.passwordParameters,
      logger: options.logger,
      singleSignOnName: options.singleSignOn?.providerName,
    }),
  );
  if (options.singleSignOn)
    app.route('/', singleSignOnApp(options, options.singleSignOn, now, secureCookies));
  const pages: PageOptions = { store: options.store, service: options.service, now };
  for (const routes of [
    overviewRoutes,
    attentionRoutes,
    conflictRoutes,
    runRoutes,
    recordRoutes,
    actionRoutes,
  ])
    app.route('/', routes(pages));
  return app;
}
