import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { TestBrowser } from './test-browser.js';
import { addUser, consoleApp, signedIn } from './test-console.js';

// The console's pages on a state seeded as cycles leave it: links, held records, a conflict, runs. Read through
// the routes as a browser would (`app.request`), without the service: what the pages show, and who may act.
let directory: string;
let store: StateStore;
const at = '2026-03-02T09:00:00.000Z';

async function seed() {
  await store.bind({ hubspotPortalId: 4455667, vismaCompanyNo: 9001, boundAt: at });
  for (const [crmId, associateNo] of [
    ['101', 11],
    ['102', 12],
    ['103', 13],
    ['104', 14],
  ] as const)
    await store.insertLink('customer', { crmId, associateNo, fingerprints: {} });
  await store.insertLink('contact', { crmId: '201', associateNo: 21, fingerprints: {} });
  await store.markOrphaned('customer', { crmId: '104', associateNo: 14 }, 'archived-in-hubspot');
  const held = { entity: 'customer', seenAt: at, fixIn: 'hubspot' } as const;
  await store.recordError({
    ...held,
    system: 'hubspot',
    recordId: '102',
    field: 'email',
    rule: 'email-format',
    message: 'email kari.nordmann@example.no is not an address Business NXT takes',
  });
  await store.recordError({
    ...held,
    system: 'visma-nxt',
    recordId: '13',
    field: '*',
    rule: 'write-failed',
    message: 'update-erp failed: Business NXT answered 503',
    fixIn: null,
  });
  await store.recordError({
    ...held,
    system: 'hubspot',
    recordId: '105',
    field: '*',
    rule: 'candidates:name-and-postal-code',
    message: 'same name and postal code as a Business NXT customer',
    related: 'visma-nxt 15',
  });
  await store.openConflict({
    id: 'c-1',
    entity: 'customer',
    crmId: '101',
    associateNo: 11,
    field: 'phone',
    reason: 'both-changed',
    baseFingerprint: null,
    createdAt: at,
    hubspot: { value: '+********11', changedAt: '2026-03-02T08:55:00.000Z', changedBy: 'CRM_UI' },
    businessNxt: { value: '+********22', changedAt: '2026-03-02 09:56:00.0000000', changedBy: null },
  });
  await store.startRun({ id: 'run-full', startedAt: '2026-03-02T08:00:00.000Z', mode: 'full' });
  await store.finishRun({
    id: 'run-full',
    finishedAt: '2026-03-02T08:00:20.000Z',
    exitCode: 3,
    counts: {
      'customer.create-erp': 2,
      'customer.update-crm': 1,
      'customer.failed': 1,
      'contact.create-crm': 4,
    },
    apiCalls: { hubspot: 120, hubspotRateLimited: 2, vismaNxt: 30, vismaNxtRateLimited: 0 },
  });
  await store.startRun({ id: 'run-targeted', startedAt: '2026-03-02T08:30:00.000Z', mode: 'targeted' });
  await store.finishRun({
    id: 'run-targeted',
    finishedAt: '2026-03-02T08:30:01.000Z',
    exitCode: 0,
    counts: {},
    apiCalls: { hubspot: 3, vismaNxt: 2 },
  });
  await addUser(store, 'olga', 'operator');
  await addUser(store, 'victor', 'viewer');
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-console-pages-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
  await seed();
});
afterEach(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const clock = () => new Date('2026-03-02T09:00:00.000Z');
const pages = [
  '/',
  '/attention',
  '/conflicts',
  '/runs',
  '/runs/run-full',
  '/records',
  '/records?q=999',
  '/records/customer/hubspot/101',
];
const actions = [
  '/actions/retry',
  '/actions/exclude',
  '/actions/include',
  '/actions/link',
  '/actions/separate',
  '/conflicts/c-1/resolve',
];
const retryForm = { entity: 'customer', system: 'visma-nxt', id: '13', back: '/attention' };

describe('who may see and do what', () => {
  it('sends an anonymous page request to /login and refuses an anonymous action with 401', async () => {
    const browser = new TestBrowser(consoleApp(store, { now: clock }));
    for (const path of [
      ...pages,
      ...actions.map((action) => `${action}?entity=customer&system=hubspot&id=1&take=crm`),
    ]) {
      const answer = await browser.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location'), path).toBe('/login');
    }
    for (const path of actions) expect((await browser.post(path, retryForm)).status, path).toBe(401);
  });

  it('shows a viewer every page, with no action forms, and refuses a viewer’s action and preview (403)', async () => {
    const { browser, token } = await signedIn(consoleApp(store, { now: clock }), 'victor');
    for (const path of pages) {
      const answer = await browser.get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).not.toMatch(/action="\/actions\/|action="\/conflicts\/c-1\/resolve"/u);
    }
    for (const path of actions) {
      const posted = await browser.post(path, { ...retryForm, take: 'crm', csrf_token: token });
      expect(posted.status, path).toBe(403);
      expect(posted.text).toContain('Only operators may do this');
      expect((await browser.get(`${path}?entity=customer&system=hubspot&id=101&take=crm`)).status, path).toBe(
        403,
      );
    }
    expect(await store.auditLog({ action: 'record.retry', limit: 5 })).toEqual([]);
  });

  it('refuses an operator’s action posted without the session’s CSRF token, or with another one (403)', async () => {
    const { browser, token } = await signedIn(consoleApp(store, { now: clock }), 'olga');
    for (const path of actions) {
      expect((await browser.post(path, { ...retryForm, take: 'crm' })).status, path).toBe(403);
      expect(
        (await browser.post(path, { ...retryForm, take: 'crm', csrf_token: `${token}x` })).status,
        path,
      ).toBe(403);
      const crossSite = await browser.post(
        path,
        { ...retryForm, take: 'crm', csrf_token: token },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      );
      expect(crossSite.status, path).toBe(403);
    }
  });

  it('answers an operator’s action 501, naming why, when the console runs without the service’s engine', async () => {
    const { browser, token } = await signedIn(consoleApp(store, { now: clock }), 'olga');
    const answer = await browser.post('/actions/retry', { ...retryForm, csrf_token: token });
    expect(answer.status).toBe(501);
    expect(answer.text).toContain('Actions run through the sync engine');
    const resolve = await browser.post('/conflicts/c-1/resolve', { take: 'crm', key: '', csrf_token: token });
    expect(resolve.status).toBe(501);
    expect((await store.conflicts('open')).map((conflict) => conflict.id)).toEqual(['c-1']);
  });
});

describe('what the pages show', () => {
  it('overview: in sync, held and failing per entity, the last cycle, seconds since its success, API usage against the limits', async () => {
    const { browser } = await signedIn(consoleApp(store, { now: clock }), 'victor');
    const { text } = await browser.get('/');
    const customers = /aria-label="Customers[^"]*">([\s\S]*?)<\/section>/u.exec(text)?.[1] ?? '';
    // 101 in sync (its conflict holds no record); 102 held, 13 failing, 104 orphaned (held), 105 candidates (held).
    expect(customers).toMatch(/figure ok">1<\/span> in sync/u);
    expect(customers).toContain('<strong>3</strong> held for a person');
    expect(customers).toContain('<strong>1</strong> failing');
    expect(text).toMatch(/Contacts[\s\S]*?figure ok">1<\/span> in sync/u);
    // The last cycle is the full one (exit 3: ran to its end), finished 08:00:20: 59 min 40 s before 09:00.
    expect(text).toContain('<span class="figure">3580 s</span>');
    expect(text).toMatch(/Last cycle<\/th><td>full<\/td>/u);
    // 120 HubSpot requests in 20 s: 60 per 10 s against the default 100; 2 answered 429.
    expect(text).toMatch(
      /<th>HubSpot<\/th><td class="number">120 <span class="failing">\(2 answered 429\)<\/span> in 20 s/u,
    );
    expect(text).toContain('60 of 100 per 10 s');
    expect(text).toContain('30 of 600 per minute');
    expect(text).toContain('Open conflicts</h2><p><span class="figure held">1</span>');
    expect(text).toContain('not scheduled: the console runs without');
  });

  it('needs attention: grouped by rule, both ids, a HubSpot link for the bound account, fix in, since; masked for a viewer', async () => {
    const viewer = await signedIn(consoleApp(store, { now: clock }), 'victor');
    const page = (await viewer.browser.get('/attention')).text;
    for (const rule of [
      'write-failed',
      'email-format',
      'archived-in-hubspot',
      'candidates:name-and-postal-code',
    ])
      expect(page).toContain(`id="rule-${rule}"`);
    expect(page.indexOf('id="rule-write-failed"')).toBeLessThan(page.indexOf('id="rule-email-format"'));
    // The failed write was held on the Business NXT side: its HubSpot id comes from the link.
    const failed = /id="rule-write-failed"[\s\S]*?<\/section>/u.exec(page)?.[0] ?? '';
    expect(failed).toContain('href="/records/customer/hubspot/103">103</a>');
    expect(failed).toContain('https://app.hubspot.com/contacts/4455667/record/0-2/103');
    expect(failed).toContain('href="/records/customer/visma-nxt/13">13</a>');
    expect(failed).toContain('<time datetime="2026-03-02T09:00:00.000Z">2026-03-02 09:00:00 UTC</time>');
    expect(page).toContain('<td>HubSpot</td><td><time datetime="2026-03-02T09:00:00.000Z">');
    expect(page).toContain('k***@e***.no');
    expect(page).not.toContain('kari.nordmann@example.no');
    const operator = await signedIn(consoleApp(store, { now: clock }), 'olga');
    const acting = (await operator.browser.get('/attention')).text;
    expect(acting).toContain('kari.nordmann@example.no');
    expect(acting).toMatch(
      /<form class="inline" method="post" action="\/actions\/retry"><input type="hidden" name="csrf_token" value="[^"]+"><input type="hidden" name="entity" value="customer"><input type="hidden" name="system" value="visma-nxt"><input type="hidden" name="id" value="13">/u,
    );
    expect(acting).toMatch(
      /name="crmId" value="105"><input type="hidden" name="associateNo" value="15">[\s\S]*?Link these two/u,
    );
  });

  it('conflicts: both values side by side with who changed each when; take buttons for operators only', async () => {
    const viewer = (
      await (await signedIn(consoleApp(store, { now: clock }), 'victor')).browser.get('/conflicts')
    ).text;
    expect(viewer).toMatch(
      /HubSpot 101<\/h3>\s*<p><strong>\+\*{8}11<\/strong><\/p>\s*<p class="note">changed <time datetime="2026-03-02T08:55:00.000Z">[^<]+<\/time> by CRM_UI/u,
    );
    expect(viewer).toMatch(
      /Business NXT 11<\/h3>\s*<p><strong>\+\*{8}22<\/strong><\/p>\s*<p class="note">changed <span>2026-03-02 09:56:00.0000000 \(Business NXT local time\)<\/span> by unknown/u,
    );
    expect(viewer).not.toContain('Take HubSpot');
    const operator = (
      await (await signedIn(consoleApp(store, { now: clock }), 'olga')).browser.get('/conflicts')
    ).text;
    expect(operator).toContain(
      '<form method="get" action="/conflicts/c-1/resolve"><input type="hidden" name="take" value="crm"><button type="submit">Take HubSpot’s</button>',
    );
    expect(operator).toContain('value="erp"><button type="submit">Take Business NXT’s</button>');
  });

  it('runs: the timeline newest first with mode, outcome, counts and requests; a run’s page with its counts', async () => {
    const { browser } = await signedIn(consoleApp(store, { now: clock }), 'victor');
    const timeline = (await browser.get('/runs')).text;
    expect(timeline.indexOf('/runs/run-targeted')).toBeLessThan(timeline.indexOf('/runs/run-full'));
    expect(timeline).toMatch(
      /<td>full<\/td><td class="held">ok, records held<\/td>\s*<td class="number">20 s<\/td>/u,
    );
    expect(timeline).toMatch(
      /<td class="number">6<\/td><td class="number">1<\/td>\s*<td class="number">1<\/td><td class="number">120<\/td><td class="number">30<\/td>/u,
    );
    expect((await browser.get('/runs?mode=targeted')).text).not.toContain('/runs/run-full');
    const run = (await browser.get('/runs/run-full')).text;
    expect(run).toContain('<tr><th>create-erp</th><td class="number">2</td><td class="number">0</td></tr>');
    expect(run).toContain('<tr><th>create-crm</th><td class="number">0</td><td class="number">4</td></tr>');
    expect(run).toContain('120 (2 answered 429)');
    expect((await browser.get('/runs/no-such-run')).status).toBe(404);
  });

  it('records: finds a record by either id and shows its link, status, conflicts and audit entries', async () => {
    await store.recordAudit({
      at,
      actor: 'olga',
      action: 'record.retry',
      target: 'customer visma-nxt 11',
      before: null,
      after: { ok: true },
    });
    await store.recordAudit({
      at,
      actor: 'olga',
      action: 'record.retry',
      target: 'customer visma-nxt 12',
      before: null,
      after: null,
    });
    const { browser } = await signedIn(consoleApp(store, { now: clock }), 'victor');
    const found = await browser.get('/records?q=11');
    expect(found.status).toBe(303);
    expect(found.headers.get('location')).toBe('/records/customer/visma-nxt/11');
    const record = (await browser.get('/records/customer/visma-nxt/11')).text;
    expect(record).toContain(
      'Linked to <a href="/records/customer/hubspot/101">HubSpot company 101</a>: <span class="ok">in sync</span>',
    );
    expect(record).toContain('https://app.hubspot.com/contacts/4455667/record/0-2/101');
    expect(record).toMatch(/c-1<\/a><\/td><td><code>phone<\/code><\/td>\s*<td>open<\/td>/u);
    expect(record).toContain('customer visma-nxt 11');
    expect(record).not.toContain('customer visma-nxt 12');
    // A held HubSpot record's candidate is found by its number too, and an id the state does not know is said so.
    expect((await browser.get('/records?q=visma-nxt 15')).headers.get('location')).toBe(
      '/records/customer/visma-nxt/15',
    );
    expect((await browser.get('/records?q=999')).text).toContain('The state knows no record by “999”');
  });
});
