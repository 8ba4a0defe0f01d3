import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { freePort } from '../test-support/free-port.js';
import { startLocalOidcProvider } from '../test-support/local-oidc-provider.js';
import { admin, cli, type World } from './cli-harness.js';
import { chromiumPath, screenshotDirectory, signInAs, startConsoleWorld } from './console-harness.js';
import { eventually, type RunningService, serviceEnv, startService } from './serve-harness.js';

// The operator console in a real headless Chromium, against the built `crm-sync serve` and both simulators: what a
// person sees and does, checked on both simulators' stores and in the state the service keeps.
const executablePath = chromiumPath();
const title =
  executablePath === null
    ? 'the operator console in Chromium (skipped: no Chromium at CHROMIUM_PATH or /usr/bin/chromium)'
    : 'the operator console in Chromium';

let world: World;
let service: RunningService;
let pairs: ReadonlyArray<{ crmId: string; associateNo: number }>;
let browser: Browser;
const shots = screenshotDirectory();

const shoot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

async function readState<T>(
  read: (store: ReturnType<typeof openSqliteStateStore>) => Promise<T>,
): Promise<T> {
  const store = openSqliteStateStore(world.env.CRM_SYNC_STATE ?? '');
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** Clicks a button that runs an action; a cycle holding the lock (a webhook's targeted sync) is waited out. */
async function act(page: Page, click: () => Promise<void>, expected: string) {
  for (let attempt = 0; ; attempt += 1) {
    await click();
    const text = (await page.locator('main').textContent()) ?? '';
    if (!text.includes('A cycle is running') || attempt === 5) {
      expect(text).toContain(expected);
      return;
    }
    await page.goBack();
    await page.waitForTimeout(300);
  }
}

/** From the console's sign-in page through the provider's own login and consent forms (any password). */
async function signInAtProvider(page: Page, login: string) {
  await page.getByRole('link', { name: /^Sign in with / }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe.skipIf(executablePath === null)(title, () => {
  beforeAll(async () => {
    ({ world, service, pairs } = await startConsoleWorld());
    browser = await chromium.launch({ executablePath: executablePath ?? '' });
  });
  afterAll(async () => {
    await browser?.close();
    if (service?.child.exitCode === null) await service.stop('SIGKILL');
    await world?.close();
  });

  it('an operator signs in, sees the overview, resolves a conflict on both systems, excludes a record, signs out', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(10_000);
    const { url } = service;
    await page.goto(`${url}/attention`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shoot(page, 'login');
    await signInAs(page, url, 'olga');
    expect(await page.getByRole('heading', { name: 'Overview', level: 1 }).count()).toBe(1);
    expect(await page.locator('header').textContent()).toContain('olga (operator)');
    const customers = page.getByRole('region', { name: 'Customers (companies)' });
    expect(Number(await customers.locator('.figure').textContent())).toBeGreaterThan(0);
    await shoot(page, 'overview');

    // Phone numbers are settled by a person (the demo's policy): edited on both sides, they wait as a conflict.
    const [pair] = pairs;
    if (pair === undefined) throw new Error('the demo linked no pair');
    await admin(`${world.crm.baseUrl}/admin/companies/${pair.crmId}`, 'PATCH', { phone: '+47 31 11 11 11' });
    await admin(`${world.erp.adminUrl}/associates/${pair.associateNo}`, 'PATCH', { phone: '31222222' });
    const conflict = page.locator('section.panel', {
      has: page.getByRole('heading', { name: `HubSpot ${pair.crmId}` }),
    });
    await eventually('the conflict on the conflicts page', async () => {
      await page.goto(`${url}/conflicts`);
      return (await conflict.count()) === 1;
    });
    expect(await conflict.textContent()).toContain('+********11');
    await shoot(page, 'conflicts');
    await conflict.getByRole('button', { name: 'Take HubSpot’s' }).click();
    expect(await page.locator('main').textContent()).toContain(
      `Business NXT customer ${pair.associateNo}: phone: +4731222222 → +4731111111`,
    );
    expect(world.erp.store.rows.get(pair.associateNo)?.phone).toBe('31222222');
    await shoot(page, 'conflict-preview');
    await act(page, () => page.getByRole('button', { name: 'Write this' }).click(), 'Resolved');
    await shoot(page, 'conflict-resolved');
    expect(world.erp.store.rows.get(pair.associateNo)?.phone).toBe('+4731111111');
    expect(world.crm.store.records.companies.get(pair.crmId)?.properties.get('phone')).toBe(
      '+47 31 11 11 11',
    );
    expect(await readState((store) => store.conflicts('open'))).toEqual([]);

    // A held record left out of the sync from the attention page.
    await page.goto(`${url}/attention`);
    await shoot(page, 'attention');
    // The HubSpot company whose organization number fails its check digit (the demo's "Feil Orgnr AS").
    const held = page.locator('#rule-org-number-check-digit tr:has(form)').first();
    const heldId = (await held.locator('td').nth(2).locator('a').first().textContent()) ?? '';
    await held.getByPlaceholder('why (optional)').fill('not a customer of ours');
    await act(page, () => held.getByRole('button', { name: 'Exclude from sync' }).click(), 'Done.');
    expect(await readState((store) => store.exclusions('customer'))).toMatchObject([
      { system: 'hubspot', recordId: heldId, excludedBy: 'olga', reason: 'not a customer of ours' },
    ]);
    await page.goto(`${url}/records/customer/hubspot/${pair.crmId}`);
    expect(await page.locator('main').textContent()).toContain('conflict.resolve');
    await shoot(page, 'record');
    await page.goto(`${url}/runs`);
    await shoot(page, 'runs');
    // The oldest run: the first, full cycle.
    await page.locator('main table a').last().click();
    expect(await page.locator('main').textContent()).toContain('full');
    await shoot(page, 'run');
    await page.goto(`${url}/records`);
    await shoot(page, 'records');

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('a viewer sees the pages without action forms and cannot act; anonymous and forged requests are refused', async () => {
    const { url } = service;
    const viewer = await (await browser.newContext()).newPage();
    await signInAs(viewer, url, 'victor');
    await viewer.goto(`${url}/attention`);
    expect(await viewer.locator('form[action^="/actions/"]').count()).toBe(0);
    await shoot(viewer, 'attention-viewer');
    await viewer.goto(`${url}/conflicts`);
    expect(await viewer.getByRole('button', { name: /^Take / }).count()).toBe(0);
    const token = (await viewer.locator('input[name="csrf_token"]').first().getAttribute('value')) ?? '';
    const exclusion = {
      entity: 'customer',
      system: 'hubspot',
      id: String(pairs[1]?.crmId),
      csrf_token: token,
    };
    const sameOrigin = { origin: url, 'sec-fetch-site': 'same-origin' };
    const refused = await viewer.request.post(`${url}/actions/exclude`, {
      form: exclusion,
      headers: sameOrigin,
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);

    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`${url}/conflicts`);
    expect(new URL(anonymous.url()).pathname).toBe('/login');
    const { csrf_token: _, ...withoutToken } = exclusion;
    expect(
      (
        await anonymous.request.post(`${url}/actions/exclude`, {
          form: withoutToken,
          headers: sameOrigin,
          maxRedirects: 0,
        })
      ).status(),
    ).toBe(401);

    const operator = await (await browser.newContext()).newPage();
    await signInAs(operator, url, 'olga');
    const forged = await operator.request.post(`${url}/actions/exclude`, {
      form: withoutToken,
      headers: sameOrigin,
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const own = (await operator.locator('input[name="csrf_token"]').first().getAttribute('value')) ?? '';
    const crossSite = await operator.request.post(`${url}/actions/exclude`, {
      form: { ...withoutToken, csrf_token: own },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      maxRedirects: 0,
    });
    expect(crossSite.status()).toBe(403);
    const excluded = await readState((store) => store.exclusions('customer'));
    expect(excluded.map((exclusion) => exclusion.recordId)).not.toContain(String(pairs[1]?.crmId));
  });
  // Last: it restarts the service with single sign-on set up, as an operator would to turn it on.
  it('with single sign-on set up, an operator signs in through the company’s provider and acts; a user without a role is refused', async () => {
    const port = await freePort();
    const publicUrl = `http://localhost:${port}`;
    const provider = await startLocalOidcProvider(`${publicUrl}/oidc/callback`);
    try {
      // Settings that are incomplete: `crm-sync serve` names each variable and its rule, and does not start.
      const incomplete = await cli(
        { ...world, env: { ...world.env, CRM_SYNC_OIDC_ISSUER: provider.issuer } },
        ['serve'],
      );
      expect(incomplete.code).toBe(2);
      for (const variable of [
        'CRM_SYNC_OIDC_CLIENT_ID',
        'CRM_SYNC_OIDC_CLIENT_SECRET',
        'CRM_SYNC_PUBLIC_URL',
      ])
        expect(incomplete.stderr).toContain(`${variable} `);
      await service.stop();
      serviceEnv(world, {
        CRM_SYNC_HTTP_PORT: String(port),
        CRM_SYNC_PUBLIC_URL: publicUrl,
        CRM_SYNC_OIDC_ISSUER: provider.issuer,
        CRM_SYNC_OIDC_CLIENT_ID: provider.client.id,
        CRM_SYNC_OIDC_CLIENT_SECRET: provider.client.secret,
        CRM_SYNC_OIDC_PROVIDER_NAME: 'Example Entra ID',
      });
      service = await startService(world, { setup: false });
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      page.setDefaultTimeout(10_000);
      // The console on localhost, the provider on 127.0.0.1: two sites, as in production.
      await page.goto(`${publicUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByLabel('Password').count()).toBe(1);
      await shoot(page, 'login-single-sign-on');
      await signInAtProvider(page, 'olga.sso');
      await page.waitForURL(`${publicUrl}/`);
      expect(await page.locator('header').textContent()).toContain(
        'oidc:olga.operator@example.com (operator)',
      );

      await page.goto(`${publicUrl}/attention`);
      const held = page.locator('tr:has(button:text-is("Exclude from sync"))').first();
      await act(page, () => held.getByRole('button', { name: 'Exclude from sync' }).click(), 'Done.');
      const excluded = await readState((store) => store.exclusions('customer'));
      expect(excluded.map((exclusion) => exclusion.excludedBy)).toContain('oidc:olga.operator@example.com');
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(new URL(page.url()).pathname).toBe('/login');

      const refused = await (await browser.newContext()).newPage();
      await refused.goto(`${publicUrl}/login`);
      await signInAtProvider(refused, 'nils.norole');
      await refused.waitForURL((url) => url.pathname === '/oidc/callback');
      expect(await refused.locator('main').textContent()).toContain(
        'You signed in at Example Entra ID as nils@example.com, but this console grants you no role.',
      );
      await refused.goto(`${publicUrl}/`);
      expect(new URL(refused.url()).pathname).toBe('/login');
      expect(
        await readState((store) => store.auditLog({ action: 'session.sign-in', limit: 50 })),
      ).not.toContainEqual(expect.objectContaining({ actor: 'oidc:nils@example.com' }));
    } finally {
      await provider.close();
    }
  });
});
