import type { CustomFetch } from 'openid-client';
import { callbackPath, loadSingleSignOnSettings } from '../console/auth/single-sign-on-settings.js';
import { type ConsoleOptions, consoleRoutes } from '../console/console-routes.js';
import type { StateStore } from '../state/state-store.js';
import { type LocalOidcProvider, startLocalOidcProvider } from './local-oidc-provider.js';
import { RedirectFollowingBrowser, type Visit } from './redirect-following-browser.js';

// For the console's single sign-on tests: the local OpenID Connect provider, the console on a state store with
// single sign-on set up as `crm-sync serve` reads it (CRM_SYNC_OIDC_*), and browsers that go between the two.

/** The console's address in these tests: answered by the app itself, on another site than the provider's. */
export const consoleOrigin = 'http://localhost:8787';

/**
 * What the console's HTTP client saw at the token endpoint, and a way to hand it another ID token instead (an
 * attacker's replay, or a token made for another application): the checks after it are openid-client's.
 */
export interface TokenTap {
  readonly fetch: CustomFetch;
  readonly idTokens: readonly string[];
  replaceIdToken: string | null;
}

function tokenTap(): TokenTap {
  const idTokens: string[] = [];
  const tap: TokenTap = {
    idTokens,
    replaceIdToken: null,
    async fetch(url, options) {
      const response = await fetch(url, options as RequestInit);
      if (new URL(url).pathname !== '/token') return response;
      const body = (await response.json()) as Record<string, unknown>;
      if (typeof body.id_token === 'string') idTokens.push(body.id_token);
      if (tap.replaceIdToken !== null) body.id_token = tap.replaceIdToken;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: response.status, headers });
    },
  };
  return tap;
}

export interface SingleSignOnWorld {
  readonly provider: LocalOidcProvider;
  readonly app: ReturnType<typeof consoleRoutes>;
  readonly tap: TokenTap;
  /** A new browser, with no cookies. */
  browser(): RedirectFollowingBrowser;
  close(): Promise<void>;
}

export async function startSingleSignOnWorld(
  store: StateStore,
  overrides: Partial<ConsoleOptions> = {},
): Promise<SingleSignOnWorld> {
  const provider = await startLocalOidcProvider(`${consoleOrigin}${callbackPath}`);
  const loaded = loadSingleSignOnSettings(
    {
      CRM_SYNC_OIDC_ISSUER: provider.issuer,
      CRM_SYNC_OIDC_CLIENT_ID: provider.client.id,
      CRM_SYNC_OIDC_CLIENT_SECRET: provider.client.secret,
      CRM_SYNC_OIDC_PROVIDER_NAME: 'the test provider',
    },
    () => undefined,
    consoleOrigin,
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const tap = tokenTap();
  const app = consoleRoutes({
    store,
    publicUrl: consoleOrigin,
    host: '127.0.0.1',
    singleSignOn: loaded.settings,
    singleSignOnFetch: tap.fetch,
    ...overrides,
  });
  return {
    provider,
    app,
    tap,
    browser: () =>
      new RedirectFollowingBrowser(
        new Map([[consoleOrigin, (url: string, init: RequestInit) => app.request(url, init)]]),
        [provider.issuer],
      ),
    close: () => provider.close(),
  };
}

/**
 * Goes through the provider's development login and consent forms as `login` (any password), from a visit that
 * ended on them; returns where the browser ended after them.
 */
export async function passProvider(
  world: SingleSignOnWorld,
  browser: RedirectFollowingBrowser,
  visit: Visit,
  login: string,
): Promise<Visit> {
  let page = visit;
  for (let step = 0; step < 4 && page.url.origin === world.provider.issuer; step += 1) {
    if (/name="login"/u.test(page.text))
      page = await browser.submit(page, { login, password: 'any password' });
    else if (/name="prompt" value="consent"/u.test(page.text)) page = await browser.submit(page);
    else break;
  }
  return page;
}

/** From the console's sign-in page, through "Sign in with …" and the provider, to wherever the browser ends. */
export async function signInWithProvider(
  world: SingleSignOnWorld,
  browser: RedirectFollowingBrowser,
  login: string,
): Promise<Visit> {
  const loginPage = await browser.open(`${consoleOrigin}/login`);
  const link = /<a href="([^"]+)" id="single-sign-on">/u.exec(loginPage.text)?.[1];
  if (link === undefined) throw new Error(`no single sign-on link on the sign-in page:\n${loginPage.text}`);
  return passProvider(world, browser, await browser.open(new URL(link, consoleOrigin)), login);
}
