import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openid from 'openid-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../../state/sqlite-state-store.js';
import type { StateStore } from '../../state/state-store.js';
import type { RedirectFollowingBrowser, Visit } from '../../test-support/redirect-following-browser.js';
import {
  consoleOrigin,
  passProvider,
  type SingleSignOnWorld,
  signInWithProvider,
  startSingleSignOnWorld,
} from '../../test-support/single-sign-on-world.js';
import { consoleRoutes } from '../console-routes.js';
import { addUser, testPassword } from '../test-console.js';
import { signInFlowCookieName } from './sign-in-flow-cookie.js';
import { callbackPath } from './single-sign-on-settings.js';

// Single sign-on against a real OpenID Connect provider (oidc-provider, on a free port): the browser goes through
// the real redirects, the provider's login and consent forms and the console's callback, and what is checked is
// what the console answers and what its state store holds afterwards.

let directory: string;
let store: StateStore;
let world: SingleSignOnWorld;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-sso-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
  world = await startSingleSignOnWorld(store);
});
afterEach(async () => {
  await world.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const signIns = () => store.auditLog({ action: 'session.sign-in', limit: 10 });

/** Through the provider, holding back the way back to the console: the callback's address, not yet opened. */
async function heldCallback(browser: RedirectFollowingBrowser, login = 'olga.sso') {
  browser.stopBefore = (url) => url.pathname === callbackPath;
  const visit = await signInWithProvider(world, browser, login);
  browser.stopBefore = null;
  const callback = visit.trail.at(-1);
  if (callback?.pathname !== callbackPath)
    throw new Error(`the provider did not send the browser back: ${visit.url}`);
  return callback;
}

/** The nonce of the console's authorization request on a held flow's way out. */
async function heldFlowNonce(browser: RedirectFollowingBrowser): Promise<{ callback: URL; nonce: string }> {
  browser.stopBefore = (url) => url.pathname === callbackPath;
  const visit = await signInWithProvider(world, browser, 'olga.sso');
  browser.stopBefore = null;
  const callback = visit.trail.at(-1);
  const nonce = browser.history.find((url) => url.pathname === '/auth')?.searchParams.get('nonce');
  if (callback === undefined || nonce === undefined || nonce === null) throw new Error('no held flow');
  return { callback, nonce };
}

const isSignInPage = (visit: Visit) => visit.url.pathname === '/login' && visit.status === 200;

describe('single sign-on through the company’s provider', () => {
  it('offers the provider on the sign-in page beside the local form, which still signs in (break-glass)', async () => {
    await addUser(store, 'breakglass', 'operator');
    const browser = world.browser();
    const page = await browser.open(`${consoleOrigin}/login`);
    expect(page.text).toContain(
      '<a href="/oidc/start" id="single-sign-on">Sign in with the test provider</a>',
    );
    expect(page.text).toContain('name="password"');
    const signedIn = await browser.submit(page, { name: 'breakglass', password: testPassword });
    expect(signedIn.url.pathname).toBe('/');
    expect(signedIn.text).toContain('breakglass (operator)');
  });

  it('without the settings: the sign-in page as before, and no single sign-on paths', async () => {
    const app = consoleRoutes({ store, publicUrl: consoleOrigin, host: '127.0.0.1' });
    const page = await app.request(`${consoleOrigin}/login`);
    const text = await page.text();
    expect(text).not.toContain('Sign in with');
    expect(text).not.toContain('/oidc/');
    // Like any other console path, they need a signed-in user (and then do not exist).
    expect((await app.request(`${consoleOrigin}/oidc/start`)).headers.get('location')).toBe('/login');
    expect(
      (await app.request(`${consoleOrigin}${callbackPath}?code=x&state=y`)).headers.get('location'),
    ).toBe('/login');
  });

  it('says the provider cannot be reached when it is down, and sends nobody there', async () => {
    await world.provider.close();
    const answer = await world.browser().open(`${consoleOrigin}/oidc/start`);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain(`the test provider (${world.provider.issuer}) cannot be reached just now`);
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('signs an operator in through the real redirects; the session sees the pages, is audited as oidc:<email>', async () => {
    const browser = world.browser();
    const ended = await signInWithProvider(world, browser, 'olga.sso');
    expect(ended.url.href).toBe(`${consoleOrigin}/`);
    expect(ended.status).toBe(200);
    expect(ended.text).toContain('oidc:olga.operator@example.com (operator)');
    // It went to the provider and back through the callback.
    const passed = browser.history.map((url) => `${url.origin}${url.pathname}`);
    expect(passed).toContain(`${world.provider.issuer}/auth`);
    expect(passed).toContain(`${consoleOrigin}${callbackPath}`);
    // The flow's cookie is gone once used; the session cookie is there.
    expect(browser.cookiesFor(`${consoleOrigin}${callbackPath}`).has(signInFlowCookieName)).toBe(false);
    expect(browser.cookiesFor(`${consoleOrigin}/`).has('crm_sync_session')).toBe(true);
    for (const path of ['/attention', '/conflicts', '/runs', '/records'])
      expect((await browser.open(`${consoleOrigin}${path}`)).status, path).toBe(200);
    expect(await signIns()).toMatchObject([
      {
        actor: 'oidc:olga.operator@example.com',
        target: 'oidc:olga.operator@example.com',
        after: { role: 'operator', method: 'single sign-on', issuer: world.provider.issuer },
      },
    ]);
  });

  it('signs a viewer in as a viewer', async () => {
    const ended = await signInWithProvider(world, world.browser(), 'vera.sso');
    expect(ended.url.pathname).toBe('/');
    expect(ended.text).toContain('oidc:vera@example.com (viewer)');
  });

  it('refuses a user the provider signs in but who holds no role here, saying why, with no session', async () => {
    const browser = world.browser();
    const ended = await signInWithProvider(world, browser, 'nils.norole');
    expect(ended.url.pathname).toBe(callbackPath);
    expect(ended.status).toBe(403);
    expect(ended.text).toContain('You signed in at the test provider as nils@example.com');
    expect(ended.text).toContain('none of crm-sync.operator (operator) or crm-sync.viewer (viewer)');
    expect(browser.cookiesFor(`${consoleOrigin}/`).has('crm_sync_session')).toBe(false);
    expect(isSignInPage(await browser.open(`${consoleOrigin}/`))).toBe(true);
    expect(await signIns()).toEqual([]);
  });

  it('refuses a way back whose state was altered', async () => {
    const browser = world.browser();
    const callback = await heldCallback(browser);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', openid.randomState());
    const answer = await browser.open(tampered);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('did not pass this console’s checks');
    expect(answer.text).toContain('unexpected &quot;state&quot; response parameter value');
    expect(isSignInPage(await browser.open(`${consoleOrigin}/`))).toBe(true);
    expect(await signIns()).toEqual([]);
  });

  it('refuses a way back without the flow’s cookie (another browser, or the cookie gone)', async () => {
    const browser = world.browser();
    const callback = await heldCallback(browser);
    const elsewhere = world.browser();
    const stolen = await elsewhere.open(callback);
    expect(stolen.status).toBe(400);
    expect(stolen.text).toContain('did not start in this browser');
    browser.forget('localhost', signInFlowCookieName);
    expect((await browser.open(callback)).status).toBe(400);
    expect(await signIns()).toEqual([]);
  });

  it('refuses an ID token replayed from an earlier sign-in (its nonce is another flow’s)', async () => {
    await signInWithProvider(world, world.browser(), 'olga.sso');
    const [earlier] = world.tap.idTokens;
    if (earlier === undefined) throw new Error('the first sign-in got no ID token');
    const browser = world.browser();
    const callback = await heldCallback(browser);
    world.tap.replaceIdToken = earlier;
    const answer = await browser.open(callback);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('unexpected ID Token &quot;nonce&quot; claim value');
    expect(isSignInPage(await browser.open(`${consoleOrigin}/`))).toBe(true);
    expect(await signIns()).toHaveLength(1);
  });

  it('refuses an ID token the provider made for another application, even with this flow’s nonce', async () => {
    const browser = world.browser();
    const { callback, nonce } = await heldFlowNonce(browser);
    world.tap.replaceIdToken = await otherApplicationIdToken(browser, nonce);
    const answer = await browser.open(callback);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('unexpected JWT &quot;aud&quot; (audience) claim value');
    expect(await signIns()).toEqual([]);
  });
});

/**
 * An ID token from the same provider for the other registered application, with `nonce`: its own authorization
 * request in the same browser (signed in at the provider already), its consent, and its own code redemption.
 */
async function otherApplicationIdToken(browser: RedirectFollowingBrowser, nonce: string): Promise<string> {
  const other = world.provider.otherClient;
  const verifier = openid.randomPKCECodeVerifier();
  const authorization = new URL(`${world.provider.issuer}/auth`);
  for (const [name, value] of Object.entries({
    client_id: other.id,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: other.redirectUri,
    nonce,
    state: openid.randomState(),
    code_challenge: await openid.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }))
    authorization.searchParams.set(name, value);
  const ended = await passProvider(world, browser, await browser.open(authorization), 'olga.sso');
  const code = ended.trail.at(-1)?.searchParams.get('code');
  if (code === undefined || code === null) throw new Error(`no code for the other application: ${ended.url}`);
  const token = await fetch(`${world.provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: other.redirectUri,
      client_id: other.id,
      client_secret: other.secret,
      code_verifier: verifier,
    }),
  });
  const body = (await token.json()) as { id_token?: string };
  if (body.id_token === undefined)
    throw new Error(`no ID token for the other application: ${JSON.stringify(body)}`);
  return body.id_token;
}
