import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../console/auth/password-hashing.js';
import { hashSessionId } from '../console/auth/sessions.js';
import { type Answer, TestBrowser } from '../console/test-browser.js';
import { addUser, cheapHashes, consoleApp, testPassword } from '../console/test-console.js';
import {
  type ConsoleRoute,
  consoleRouteList,
  formFor,
  SecurityTally,
  type SecurityWorld,
  seededEmail,
  seededPhone,
  snapshot,
  startSecurityWorld,
  withQuery,
} from './console-security-world.js';
import { recordFigure } from './figures.js';

// The operator console's security (docs/RELIABILITY.md, "Console security"): every route the app lists, tried
// anonymously, with wrong passwords, with ended, expired and forged sessions, without or with foreign CSRF tokens and
// origins, and as a viewer on operator routes, against the real engine and both simulators, so a request let through
// would write. Each refusal is counted; "nothing changed" is checked on the state and both simulators' stores.
let world: SecurityWorld;
let routes: ConsoleRoute[];
const tally = new SecurityTally();
let pagesChecked = 0;
const headerFaults: string[] = [];

beforeAll(async () => {
  world = await startSecurityWorld();
  routes = consoleRouteList(world);
  for (const [name, role] of [
    ['olga', 'operator'],
    ['oskar', 'operator'],
    ['victor', 'viewer'],
    ['rate-user', 'operator'],
    ['ursula', 'operator'],
  ] as const)
    await addUser(world.w.runtime.store, name, role);
}, 60_000);

afterAll(async () => {
  const gets = routes.filter((route) => route.method === 'GET');
  const posts = routes.filter((route) => route.method === 'POST');
  const paths = routes.reduce((sum, route) => sum + route.paths.length, 0);
  const byKind = [...tally.refused].map(([kind, count]) => `${count} ${kind}`).join(', ');
  recordFigure(
    'console-security',
    `${routes.length} routes enumerated from the app (${gets.length} GET, ${posts.length} POST; ${paths} paths with their parameters filled), ${tally.requests} requests: ${tally.refusedTotal()} refused as they must be (${byKind}), ${tally.accepted.length} accepted that should not be; ${pagesChecked} answers checked for CSP, frame-ancestors 'none', X-Frame-Options DENY and no-store, ${headerFaults.length} without`,
  );
  await world?.w.close();
});

const browser = () => new TestBrowser(tally.counting(world.app));
const pathsOf = (method: 'GET' | 'POST', except: readonly string[] = ['/login']) =>
  routes
    .filter((route) => route.method === method && !except.includes(route.pattern))
    .flatMap((r) => r.paths);
/** Operator-only pages: the action and resolution previews (console-routes.ts). */
const operatorOnly = (path: string) => /^\/actions\/|^\/conflicts\/[^/]+\/resolve$/u.test(path);

async function signIn(as: TestBrowser, name: string, password = testPassword, client = '192.0.2.1') {
  const form = await as.get('/login', { 'x-test-client': client });
  const token = TestBrowser.field(form.text, 'csrf_token') ?? '';
  return as.post('/login', { csrf_token: token, name, password }, { 'x-test-client': client });
}

async function signedInAs(name: string): Promise<{ as: TestBrowser; token: string }> {
  const as = browser();
  const answer = await signIn(as, name);
  if (answer.status !== 303) throw new Error(`${name} could not sign in: ${answer.status}`);
  const home = await as.get('/');
  return { as, token: TestBrowser.field(home.text, 'csrf_token') ?? '' };
}

function checkHeaders(what: string, answer: Answer): void {
  pagesChecked += 1;
  const policy = answer.headers.get('content-security-policy') ?? '';
  if (!policy.includes("default-src 'self'")) headerFaults.push(`${what}: no default-src 'self'`);
  if (!policy.includes("frame-ancestors 'none'")) headerFaults.push(`${what}: no frame-ancestors 'none'`);
  if (answer.headers.get('x-frame-options') !== 'DENY') headerFaults.push(`${what}: no X-Frame-Options DENY`);
  if (answer.headers.get('cache-control') !== 'no-store')
    headerFaults.push(`${what}: no Cache-Control no-store`);
}

const toLogin = (answer: Answer) => answer.status === 303 && answer.headers.get('location') === '/login';

/** Every page and action through `as`, which must be treated as nobody signed in; `token` is sent with posts. */
async function expectAnonymous(kind: string, as: TestBrowser, token = ''): Promise<void> {
  const before = await snapshot(world);
  for (const path of pathsOf('GET')) {
    const answer = await as.get(withQuery(world, path));
    checkHeaders(`anonymous GET ${path}`, answer);
    tally.expectRefused(kind, `GET ${path}`, answer, toLogin(answer) && answer.text === '');
  }
  for (const path of pathsOf('POST')) {
    const answer = await as.post(path, { ...formFor(world, path), csrf_token: token });
    checkHeaders(`anonymous POST ${path}`, answer);
    const leaks = world.secrets.filter((secret) => answer.text.includes(secret));
    tally.expectRefused(kind, `POST ${path}`, answer, answer.status === 401 && leaks.length === 0);
  }
  expect(await snapshot(world)).toBe(before);
}

describe('anonymous requests', () => {
  it('enumerates the console’s routes from the app, each with plausible parameters', () => {
    const listed = routes.map((route) => `${route.method} ${route.pattern}`);
    // The routes console-routes.ts documents are among them (a new one is covered without being named here).
    for (const route of ['GET /', 'GET /login', 'POST /login', 'POST /logout', 'POST /actions/:kind'])
      expect(listed).toContain(route);
    expect(pathsOf('POST').length).toBeGreaterThanOrEqual(7);
  });

  it('redirects every page to /login with an empty body and answers every action 401, showing no data', async () => {
    await expectAnonymous('anonymous', browser());
    const bodies = new Set<string>();
    const as = browser();
    for (const path of pathsOf('POST')) bodies.add((await as.post(path, formFor(world, path))).text);
    // One refusal for every action: it names nothing about the route's data.
    expect(bodies.size).toBe(1);
    expect(tally.accepted).toEqual([]);
  });

  it('shows the sign-in page to anyone, and refuses its form without the sign-in token', async () => {
    const as = browser();
    const page = await as.get('/login');
    checkHeaders('GET /login', page);
    expect(page.status).toBe(200);
    expect(world.secrets.filter((secret) => page.text.includes(secret))).toEqual([]);
    const refused = await as.post('/login', { name: 'olga', password: testPassword });
    tally.expectRefused('sign-in form without its token', 'POST /login', refused, refused.status === 403);
    expect(as.cookies.has('crm_sync_session')).toBe(false);
    expect(tally.accepted).toEqual([]);
  });
});

describe('wrong passwords', () => {
  const noSession = (as: TestBrowser) => !as.cookies.has('crm_sync_session');

  it('refuses wrong passwords, then 429 with Retry-After per user name after 5, the right password too', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // Spellings of one name, each from its own address: the name's count stops them.
      const name = ['rate-user', 'Rate-User', ' RATE-USER ', 'rate-User', 'rate-user'][attempt] ?? '';
      const as = browser();
      const answer = await signIn(as, name, `wrong password ${attempt}`, `198.51.100.${attempt}`);
      tally.expectRefused('wrong password', name, answer, answer.status === 401 && noSession(as));
    }
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const as = browser();
      const password = attempt % 2 === 0 ? testPassword : 'still not it, sorry';
      const answer = await signIn(as, 'rate-user', password, `198.51.100.${100 + attempt}`);
      const retryAfter = Number(answer.headers.get('retry-after'));
      tally.expectRefused(
        'rate-limited sign-in',
        `attempt ${attempt + 6}`,
        answer,
        answer.status === 429 && retryAfter > 0 && noSession(as),
      );
    }
    expect(tally.accepted).toEqual([]);
  });

  it('limits per client address across user names: 429 after 5, for a real user’s right password too', async () => {
    const address = '203.0.113.77';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const as = browser();
      const answer = await signIn(as, `nobody-${attempt}`, testPassword, address);
      tally.expectRefused(
        'wrong password',
        `nobody-${attempt}`,
        answer,
        answer.status === 401 && noSession(as),
      );
    }
    const as = browser();
    const answer = await signIn(as, 'olga', testPassword, address);
    const refused = answer.status === 429 && Number(answer.headers.get('retry-after')) > 0 && noSession(as);
    tally.expectRefused('rate-limited sign-in', 'olga from a locked address', answer, refused);
    expect(tally.accepted).toEqual([]);
  });

  it('answers an unknown user and a wrong password alike, before and after the lock-out', async () => {
    const same = (name: string, answer: Answer) => ({
      status: answer.status,
      retryAfter: answer.headers.get('retry-after'),
      cookies: answer.setCookies.map((line) => line.replace(/=[^;]*/u, '=…')),
      body: answer.text.replaceAll(name, '<name>').replace(/value="[A-Za-z0-9_-]{43}"/u, 'value="<token>"'),
    });
    const answers: Record<string, ReturnType<typeof same>[]> = { ursula: [], 'ulrich-unknown': [] };
    for (let attempt = 0; attempt < 6; attempt += 1)
      for (const [name, password] of [
        ['ursula', 'not her password at all'],
        ['ulrich-unknown', testPassword],
      ] as const) {
        const as = browser();
        const answer = await signIn(as, name, password, `192.0.2.${100 + attempt}`);
        answers[name]?.push(same(name, answer));
        tally.expectRefused(
          attempt < 5 ? 'wrong password' : 'rate-limited sign-in',
          name,
          answer,
          noSession(as),
        );
      }
    expect(answers.ursula).toEqual(answers['ulrich-unknown']);
    expect(answers.ursula?.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(tally.accepted).toEqual([]);
  });

  it('echoes a typed name escaped, never as markup', async () => {
    const answer = await signIn(browser(), '<img src=x onerror=alert(1)>', 'wrong', '192.0.2.250');
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('<img src=x');
  });
});

describe('ended, expired and forged sessions', () => {
  const advance = (milliseconds: number) => {
    world.clock.now = new Date(world.clock.now.getTime() + milliseconds);
  };

  it('treats a session idle for more than 30 minutes as nobody signed in', async () => {
    const { as, token } = await signedInAs('olga');
    advance(30 * 60_000 + 1000);
    await expectAnonymous('expired session', as, token);
    expect(tally.accepted).toEqual([]);
  });

  it('treats a session 12 hours after sign-in as nobody signed in, however active', async () => {
    const { as, token } = await signedInAs('olga');
    const cookie = as.cookies.get('crm_sync_session') ?? '';
    for (let step = 0; step < 24; step += 1) {
      advance(29 * 60_000);
      expect((await as.get('/')).status).toBe(200);
    }
    advance(25 * 60_000);
    // The cookie the browser would still send.
    as.cookies.set('crm_sync_session', cookie);
    await expectAnonymous('expired session', as, token);
    expect(tally.accepted).toEqual([]);
  });

  it('refuses the cookie of a signed-out session, a removed user’s and one from before a password change', async () => {
    const store = world.w.runtime.store;
    const signedOut = await signedInAs('olga');
    const cookie = signedOut.as.cookies.get('crm_sync_session') ?? '';
    expect((await signedOut.as.post('/logout', { csrf_token: signedOut.token })).status).toBe(303);
    signedOut.as.cookies.set('crm_sync_session', cookie);
    await expectAnonymous('ended session', signedOut.as, signedOut.token);
    await addUser(store, 'rita', 'operator');
    const removed = await signedInAs('rita');
    expect(await store.removeConsoleUser('rita')).toBe('changed');
    await expectAnonymous('ended session', removed.as, removed.token);
    const changed = await signedInAs('oskar');
    const newHash = await hashPassword('another long password', cheapHashes);
    expect(await store.setConsolePassword('oskar', newHash, world.clock.now.toISOString())).toBe(true);
    await expectAnonymous('ended session', changed.as, changed.token);
    await store.setConsolePassword(
      'oskar',
      await hashPassword(testPassword, cheapHashes),
      world.clock.now.toISOString(),
    );
    expect(tally.accepted).toEqual([]);
  });

  it('refuses forged session ids: random, malformed, the stored hash of a real one, a CSRF token', async () => {
    const real = await signedInAs('olga');
    const id = real.as.cookies.get('crm_sync_session') ?? '';
    const forged = [
      randomBytes(32).toString('base64url'),
      `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`,
      `${id}x`,
      id.slice(0, 20),
      hashSessionId(id),
      real.token,
      '../../etc/passwd',
    ];
    for (const value of forged) {
      const as = browser();
      as.cookies.set('crm_sync_session', value);
      await expectAnonymous('forged session id', as, real.token);
    }
    // The real one still works: the refusals were the ids' doing.
    expect((await real.as.get('/')).status).toBe(200);
    expect(tally.accepted).toEqual([]);
  });
});

describe('cross-site request forgery', () => {
  it('refuses every post without the session’s token or from another site, and changes nothing', async () => {
    const { as, token } = await signedInAs('olga');
    const other = await signedInAs('oskar');
    const before = await snapshot(world);
    const own = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
    const cases: Array<[string, string | undefined, Record<string, string>]> = [
      ['no token', undefined, own],
      ['a wrong token', randomBytes(32).toString('base64url'), own],
      ['another session’s token', other.token, own],
      ['the token in a wrong header', `${token}x`, { ...own, 'x-csrf-token': `${token}x` }],
      ['a cross-site origin', token, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      [
        'a cross-site origin from an old browser',
        token,
        { origin: 'https://evil.example', 'sec-fetch-site': '' },
      ],
      ['a same-site subdomain', token, { origin: 'http://evil.localhost', 'sec-fetch-site': 'same-site' }],
      ['an opaque origin', token, { origin: 'null', 'sec-fetch-site': 'cross-site' }],
      ['no origin, cross-site', token, { origin: '', 'sec-fetch-site': 'cross-site' }],
    ];
    for (const path of pathsOf('POST', []))
      for (const [what, sent, headers] of cases) {
        const form = { ...formFor(world, path), ...(sent === undefined ? {} : { csrf_token: sent }) };
        const answer = await as.post(
          path,
          path === '/login' ? { ...form, name: 'olga', password: testPassword } : form,
          headers,
        );
        checkHeaders(`POST ${path} with ${what}`, answer);
        tally.expectRefused('CSRF', `POST ${path} with ${what}`, answer, answer.status === 403);
      }
    expect(await snapshot(world)).toBe(before);
    expect((await as.get('/')).status).toBe(200);
    expect(tally.accepted).toEqual([]);
  });
});

describe('privilege escalation', () => {
  it('refuses a viewer on every operator route, with the viewer’s own token, and changes nothing', async () => {
    const { as, token } = await signedInAs('victor');
    const before = await snapshot(world);
    for (const path of pathsOf('POST', ['/login', '/logout'])) {
      const form = formFor(world, path);
      for (const [what, answer] of [
        ['form', await as.post(path, { ...form, csrf_token: token })],
        ['header', await as.post(path, form, { 'x-csrf-token': token })],
      ] as const) {
        checkHeaders(`viewer POST ${path}`, answer);
        const refused = answer.status === 403 && answer.text.includes('Only operators may do this');
        tally.expectRefused(
          'viewer on an operator route',
          `POST ${path} (token in ${what})`,
          answer,
          refused,
        );
      }
    }
    for (const path of pathsOf('GET').filter(operatorOnly)) {
      const answer = await as.get(withQuery(world, path));
      tally.expectRefused('viewer on an operator route', `GET ${path}`, answer, answer.status === 403);
    }
    expect(await snapshot(world)).toBe(before);
    expect(tally.accepted).toEqual([]);
  });

  it('shows a viewer every other page without action forms and with personal data masked', async () => {
    const viewer = await signedInAs('victor');
    const forms = /action="\/actions\/|action="\/conflicts\/[^"]+\/resolve"|href="\/actions\//u;
    const personal = [
      /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/u,
      /\+47[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{3}/u,
      /\+47\s?\d{2}(?:\s?\d{2}){3}/u,
    ];
    const problems: string[] = [];
    for (const path of pathsOf('GET').filter((page) => !operatorOnly(page))) {
      const answer = await viewer.as.get(path);
      checkHeaders(`viewer GET ${path}`, answer);
      if (answer.status !== 200) problems.push(`${path}: ${answer.status}`);
      if (forms.test(answer.text)) problems.push(`${path}: an action form`);
      for (const pattern of personal)
        if (pattern.test(answer.text)) problems.push(`${path}: ${pattern.exec(answer.text)?.[0]}`);
    }
    expect(problems).toEqual([]);
    // The same pages show an operator the forms and the data: the checks above can see them.
    const operator = (await (await signedInAs('olga')).as.get('/attention')).text;
    expect(operator).toMatch(forms);
    expect(operator).toContain(seededEmail);
    expect(operator).toContain(seededPhone);
    const masked = (await viewer.as.get('/attention')).text;
    expect(masked).toContain(world.companies.held);
  });
});

describe('headers and cookies', () => {
  it('sends CSP, no framing and no-store on every page, signed in or not', async () => {
    const { as } = await signedInAs('olga');
    for (const path of pathsOf('GET', []))
      checkHeaders(`operator GET ${path}`, await as.get(withQuery(world, path)));
    checkHeaders('GET /login', await browser().get('/login'));
    checkHeaders('an unknown path', await browser().get('/no/such/page'));
    expect(headerFaults).toEqual([]);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, and Secure behind an https public URL', async () => {
    const cookieLine = (answer: Answer) =>
      answer.setCookies.find((line) => line.startsWith('crm_sync_session=')) ?? '';
    const plain = cookieLine(await signIn(browser(), 'olga'));
    const httpsApp = consoleApp(world.w.runtime.store, {
      publicUrl: 'https://sync.example.no',
      now: () => world.clock.now,
    });
    const secure = cookieLine(await signIn(new TestBrowser(tally.counting(httpsApp)), 'olga'));
    for (const line of [plain, secure]) {
      expect(line).toMatch(/^crm_sync_session=[A-Za-z0-9_-]{43};/u);
      expect(line).toContain('HttpOnly');
      expect(line).toContain('SameSite=Strict');
      expect(line).toContain('Path=/');
    }
    expect(plain).not.toContain('Secure');
    expect(secure).toContain('; Secure');
  });
});

describe('control: the same requests, rightly made, are let through', () => {
  it('an operator with the session’s token, from this console, reaches every operator route and it writes', async () => {
    const { as, token } = await signedInAs('olga');
    const problems: string[] = [];
    for (const path of pathsOf('POST', ['/login', '/logout'])) {
      const before = await snapshot(world);
      const answer = await as.post(path, { ...formFor(world, path), csrf_token: token });
      if ([401, 403, 501].includes(answer.status)) problems.push(`${path}: ${answer.status}`);
      if ((await snapshot(world)) === before) problems.push(`${path}: changed nothing (${answer.status})`);
    }
    expect(problems).toEqual([]);
    expect((await as.post('/logout', { csrf_token: token })).status).toBe(303);
  });
});
