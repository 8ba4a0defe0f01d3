import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import type { ConsoleRole, StateStore } from '../state/state-store.js';
import { hashPassword, type ScryptParameters } from './auth/password-hashing.js';
import { requireSignIn } from './auth/require-sign-in.js';
import { type ConsoleOptions, consoleRoutes } from './console-routes.js';
import { TestBrowser } from './test-browser.js';

// Cheap hashes keep the tests fast; the hashes carry their parameters, so verification is the real code path.
const cheap: ScryptParameters = { N: 2 ** 10, r: 8, p: 1 };
const password = 'correct horse battery staple';

let directory: string;
let store: StateStore;
let clock: Date;
const advance = (milliseconds: number) => {
  clock = new Date(clock.getTime() + milliseconds);
};

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-console-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
  clock = new Date('2026-03-02T09:00:00.000Z');
});
afterEach(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

async function addUser(name: string, role: ConsoleRole, secret = password) {
  await store.addConsoleUser({
    name,
    role,
    passwordHash: await hashPassword(secret, cheap),
    createdAt: clock.toISOString(),
  });
}

/** The console with an operator-only action added behind it, as pages will add theirs. */
function consoleApp(overrides: Partial<ConsoleOptions> = {}) {
  const app = consoleRoutes({
    store,
    publicUrl: null,
    host: '127.0.0.1',
    now: () => clock,
    passwordParameters: cheap,
    ...overrides,
  });
  app.post('/test/operator-action', requireSignIn('operator'), (context) => context.text('done'));
  return app;
}

async function signIn(browser: TestBrowser, name: string, secret = password) {
  const form = await browser.get('/login');
  const token = TestBrowser.field(form.text, 'csrf_token') ?? '';
  return browser.post('/login', { csrf_token: token, name, password: secret });
}

/** The session's CSRF token, from the hidden field of the sign-out form on the signed-in page. */
async function sessionToken(browser: TestBrowser): Promise<string> {
  const home = await browser.get('/');
  expect(home.status).toBe(200);
  return TestBrowser.field(home.text, 'csrf_token') ?? '';
}

describe('signing in to the console', () => {
  it('signs in with the right password, shows who is signed in, and records it', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    const answer = await signIn(browser, 'Alice');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('alice (operator)');
    expect(home.text).toContain('<h1>Overview</h1>');
    expect((await store.consoleUsers())[0]?.lastSignInAt).toBe(clock.toISOString());
    expect(await store.auditLog({ limit: 10 })).toMatchObject([
      { actor: 'alice', action: 'session.sign-in', target: 'alice', after: { role: 'operator' } },
    ]);
  });

  it('refuses a wrong password and an unknown user alike, with no session', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    const wrong = await signIn(browser, 'alice', 'not the password at all');
    const unknown = await signIn(browser, 'mallory', password);
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Wrong user name or password.');
    }
    expect(browser.cookies.has('crm_sync_session')).toBe(false);
    expect((await browser.get('/')).status).toBe(303);
  });

  it('limits failed sign-ins per user name: 429 with Retry-After, even for the right password, until the window passes', async () => {
    await addUser('alice', 'operator');
    const app = consoleApp();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // A new address each time: the user name's count is what stops these.
      const browser = new TestBrowser(consoleApp({ clientAddress: () => `192.0.2.${attempt}` }));
      expect((await signIn(browser, 'alice', `wrong password ${attempt}`)).status).toBe(401);
      advance(60_000);
    }
    const limited = await signIn(new TestBrowser(app), 'alice');
    expect(limited.status).toBe(429);
    // The first failure was 5 minutes ago: it leaves the 15-minute window in 10 minutes.
    expect(limited.headers.get('retry-after')).toBe('600');
    advance(600_000);
    expect((await signIn(new TestBrowser(app), 'alice')).status).toBe(303);
  });

  it('limits failed sign-ins per client address across user names, and a restart does not reset the count', async () => {
    const options = { clientAddress: () => '198.51.100.7' };
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await signIn(new TestBrowser(consoleApp(options)), `user${attempt}`)).status).toBe(401);
    // A new app (a restarted service) on the same state.
    const limited = await signIn(new TestBrowser(consoleApp(options)), 'someone-else');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await signIn(new TestBrowser(consoleApp({ clientAddress: () => '203.0.113.9' })), 'x');
    expect(elsewhere.status).toBe(401);
  });

  it('clears the user name’s failures on a successful sign-in', async () => {
    await addUser('alice', 'operator');
    const app = consoleApp();
    for (let attempt = 0; attempt < 4; attempt += 1)
      expect(
        (
          await signIn(
            new TestBrowser(consoleApp({ clientAddress: () => `a${attempt}` })),
            'alice',
            'nope nope nope',
          )
        ).status,
      ).toBe(401);
    expect((await signIn(new TestBrowser(app), 'alice')).status).toBe(303);
    for (let attempt = 0; attempt < 4; attempt += 1)
      expect(
        (
          await signIn(
            new TestBrowser(consoleApp({ clientAddress: () => `b${attempt}` })),
            'alice',
            'nope nope nope',
          )
        ).status,
      ).toBe(401);
    expect((await signIn(new TestBrowser(app), 'alice')).status).toBe(303);
  });

  it('keeps the form’s token when the browser loads /login again meanwhile (its favicon redirected there)', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    const form = await browser.get('/login');
    const token = TestBrowser.field(form.text, 'csrf_token') ?? '';
    // What Chromium does for /favicon.ico before anyone is signed in: a redirect to /login, followed.
    expect((await browser.get('/favicon.ico')).headers.get('location')).toBe('/login');
    await browser.get('/login');
    const answer = await browser.post('/login', { csrf_token: token, name: 'alice', password });
    expect(answer.status).toBe(303);
    expect(browser.cookies.has('crm_sync_session')).toBe(true);
  });

  it('refuses a sign-in form posted without its token, or from another site', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    await browser.get('/login');
    const noToken = await browser.post('/login', { name: 'alice', password });
    expect(noToken.status).toBe(403);
    const form = await browser.get('/login');
    const token = TestBrowser.field(form.text, 'csrf_token') ?? '';
    const crossSite = await browser.post(
      '/login',
      { csrf_token: token, name: 'alice', password },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(browser.cookies.has('crm_sync_session')).toBe(false);
  });
});

describe('sessions', () => {
  it('ends a session idle for 30 minutes, and keeps one used within that', async () => {
    await addUser('alice', 'viewer');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    advance(29 * 60_000);
    expect((await browser.get('/')).status).toBe(200);
    advance(29 * 60_000);
    expect((await browser.get('/')).status).toBe(200);
    advance(30 * 60_000);
    const expired = await browser.get('/');
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/login');
    expect(expired.setCookies.some((line) => /^crm_sync_session=;.*Max-Age=0/u.test(line))).toBe(true);
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    await addUser('alice', 'viewer');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    // A request every 29 minutes: never idle long enough, until 12 hours have passed since sign-in.
    for (let step = 0; step < 24; step += 1) {
      advance(29 * 60_000);
      expect((await browser.get('/')).status).toBe(200);
    }
    advance(25 * 60_000);
    expect((await browser.get('/')).status).toBe(303);
  });

  it('signs out: the session ends on the server, so the old cookie no longer works', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    const stolen = browser.cookies.get('crm_sync_session') ?? '';
    const out = await browser.post('/logout', { csrf_token: await sessionToken(browser) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const replay = new TestBrowser(consoleApp());
    replay.cookies.set('crm_sync_session', stolen);
    expect((await replay.get('/')).status).toBe(303);
    expect((await store.auditLog({ action: 'session.sign-out', limit: 5 })).length).toBe(1);
  });

  it('ends the sessions of a user whose password changes', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    await store.setConsolePassword(
      'alice',
      await hashPassword('another long password', cheap),
      clock.toISOString(),
    );
    expect((await browser.get('/')).status).toBe(303);
  });
});

describe('what needs a signed-in user', () => {
  it('redirects an anonymous page request to /login and refuses an anonymous action with 401', async () => {
    const browser = new TestBrowser(consoleApp());
    const page = await browser.get('/');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    expect((await browser.get('/some/later/page')).status).toBe(303);
    expect((await browser.post('/logout', {})).status).toBe(401);
    expect((await browser.post('/test/operator-action', {})).status).toBe(401);
  });

  it('refuses a signed-in post without the session’s CSRF token, or with a wrong one (403)', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    const token = await sessionToken(browser);
    expect((await browser.post('/test/operator-action', {})).status).toBe(403);
    expect((await browser.post('/test/operator-action', { csrf_token: `${token}x` })).status).toBe(403);
    const crossSite = await browser.post(
      '/test/operator-action',
      { csrf_token: token },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    const done = await browser.post('/test/operator-action', { csrf_token: token });
    expect(done.status).toBe(200);
    expect(done.text).toBe('done');
  });

  it('lets a viewer see the console but not reach an operator action (403)', async () => {
    await addUser('victor', 'viewer');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'victor');
    const token = await sessionToken(browser);
    const refused = await browser.post('/test/operator-action', { csrf_token: token });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Only operators may do this');
  });
});

describe('cookies and headers', () => {
  const sessionLine = (lines: readonly string[]) =>
    lines.find((line) => line.startsWith('crm_sync_session=')) ?? '';

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, not Secure on plain http at 127.0.0.1', async () => {
    await addUser('alice', 'operator');
    const line = sessionLine((await signIn(new TestBrowser(consoleApp()), 'alice')).setCookies);
    expect(line).toMatch(/^crm_sync_session=[A-Za-z0-9_-]{43};/u);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Strict');
    expect(line).toContain('Path=/');
    expect(line).not.toContain('Secure');
  });

  it('sets it Secure behind an https public URL, and on plain http anywhere but loopback', async () => {
    await addUser('alice', 'operator');
    for (const where of [
      { publicUrl: 'https://sync.example.no', host: '127.0.0.1' },
      { publicUrl: null, host: '0.0.0.0' },
    ]) {
      const line = sessionLine((await signIn(new TestBrowser(consoleApp(where)), 'alice')).setCookies);
      expect(line).toContain('; Secure');
    }
  });

  it('accepts a form from the public origin behind the proxy', async () => {
    await addUser('alice', 'operator');
    const app = consoleApp({ publicUrl: 'https://sync.example.no' });
    const browser = new TestBrowser(app);
    const form = await browser.get('/login');
    const answer = await browser.post(
      '/login',
      { csrf_token: TestBrowser.field(form.text, 'csrf_token') ?? '', name: 'alice', password },
      { origin: 'https://sync.example.no', 'sec-fetch-site': '' },
    );
    expect(answer.status).toBe(303);
  });

  it('sends security headers on console pages: CSP, no framing, no referrer, no caching', async () => {
    const page = await new TestBrowser(consoleApp()).get('/login');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/u);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The inline style sheet is the one the policy's hash allows.
    const css = /<style>([\s\S]*?)<\/style>/u.exec(page.text)?.[1] ?? '';
    expect(policy).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
  });
});

describe('mounted at / beside the service’s endpoints', () => {
  function service(consoleFirst: boolean) {
    const app = new Hono();
    const endpoints = new Hono();
    endpoints.get('/healthz', (context) => context.json({ status: 'alive' }));
    endpoints.get('/readyz', (context) => context.json({ status: 'ready' }));
    endpoints.get('/metrics', (context) => context.text('# metrics'));
    endpoints.post('/webhooks/hubspot', (context) => context.text('accepted', 202));
    if (consoleFirst) app.route('/', consoleApp()).route('/', endpoints);
    else app.route('/', endpoints).route('/', consoleApp());
    return app;
  }

  for (const consoleFirst of [true, false])
    it(`leaves /healthz, /readyz, /metrics and /webhooks/* alone (console mounted ${consoleFirst ? 'first' : 'last'})`, async () => {
      const app = service(consoleFirst);
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const answer = await app.request(path);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-security-policy')).toBeNull();
      }
      const webhook = await app.request('/webhooks/hubspot', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://app.hubspot.com' },
        body: '[]',
      });
      expect(webhook.status).toBe(202);
      expect((await app.request('/')).status).toBe(303);
    });
});

describe('what the state file holds', () => {
  it('never the password or the session id: only a scrypt hash and the id’s SHA-256', async () => {
    await addUser('alice', 'operator');
    const browser = new TestBrowser(consoleApp());
    await signIn(browser, 'alice');
    await signIn(new TestBrowser(consoleApp()), 'alice', 'a wrong password guess');
    const sessionId = browser.cookies.get('crm_sync_session') ?? '';
    expect(sessionId).toHaveLength(43);
    await store.close();
    const bytes = Buffer.concat(
      readdirSync(directory)
        .filter((name) => name.startsWith('state.db'))
        .map((name) => readFileSync(join(directory, name))),
    );
    expect(bytes.includes(password)).toBe(false);
    expect(bytes.includes('a wrong password guess')).toBe(false);
    expect(bytes.includes(sessionId)).toBe(false);
    // The search itself works: what is meant to be there is found.
    expect(bytes.includes(createHash('sha256').update(sessionId).digest('hex'))).toBe(true);
    expect(bytes.includes('scrypt$1024$8$1$')).toBe(true);
    store = openSqliteStateStore(join(directory, 'state.db'));
  });
});
