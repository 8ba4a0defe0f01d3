import { afterEach, expect, it } from 'vitest';
import { type ActionWorld, actionWorldPerTest, linkedCustomer } from '../../engine/actions/action-world.js';
import { RedirectFollowingBrowser } from '../../test-support/redirect-following-browser.js';
import {
  consoleOrigin,
  type SingleSignOnWorld,
  signInWithProvider,
  startSingleSignOnWorld,
} from '../../test-support/single-sign-on-world.js';

// A session made by single sign-on acts as a local one does: an operator's CSRF-protected form post goes through
// the engine (checked in the state the engine keeps and the audit log), a viewer's is refused, and signing out ends
// the session on the server.

const worlds = actionWorldPerTest();
let sso: SingleSignOnWorld | undefined;
afterEach(async () => {
  await sso?.close();
  sso = undefined;
});

async function signedInWithProvider(w: ActionWorld, login: string) {
  sso = await startSingleSignOnWorld(w.runtime.store, { now: w.now, service: { engine: w.dependencies } });
  const browser = sso.browser();
  const overview = await signInWithProvider(sso, browser, login);
  expect(overview.url.pathname, overview.text).toBe('/');
  return { browser, token: RedirectFollowingBrowser.field(overview.text, 'csrf_token') };
}

it('an operator signed in by the provider excludes a record with a CSRF-protected post, audited as oidc:<email>', async () => {
  const w = await worlds.start({ customers: 3, companies: 0, seed: 7 });
  expect((await w.cycle(true)).exitCode).toBe(0);
  const { company } = linkedCustomer(w.world, 0);
  const { browser, token } = await signedInWithProvider(w, 'olga.sso');
  const form = { entity: 'customer', system: 'hubspot', id: company.id, back: '/attention' };
  const forged = await browser.post(`${consoleOrigin}/actions/exclude`, form);
  expect(forged.status).toBe(403);
  expect(await w.runtime.store.exclusions('customer')).toEqual([]);
  const excluded = await browser.post(`${consoleOrigin}/actions/exclude`, { ...form, csrf_token: token });
  expect(excluded.status, excluded.text).toBe(200);
  expect(await w.runtime.store.exclusions('customer')).toMatchObject([
    { system: 'hubspot', recordId: company.id, excludedBy: 'oidc:olga.operator@example.com' },
  ]);
  expect(await w.runtime.store.auditLog({ action: 'record.exclude', limit: 5 })).toMatchObject([
    { actor: 'oidc:olga.operator@example.com', target: `customer hubspot ${company.id}` },
  ]);

  const signedOut = await browser.post(`${consoleOrigin}/logout`, { csrf_token: token });
  expect(signedOut.url.pathname).toBe('/login');
  expect((await browser.open(`${consoleOrigin}/attention`)).url.pathname).toBe('/login');
  expect(await w.runtime.store.auditLog({ action: 'session.sign-out', limit: 5 })).toMatchObject([
    { actor: 'oidc:olga.operator@example.com', before: { role: 'operator' } },
  ]);
});

it('a viewer signed in by the provider sees the pages and may not act', async () => {
  const w = await worlds.start({ customers: 3, companies: 0, seed: 7 });
  expect((await w.cycle(true)).exitCode).toBe(0);
  const { company } = linkedCustomer(w.world, 0);
  const { browser, token } = await signedInWithProvider(w, 'vera.sso');
  const attention = await browser.open(`${consoleOrigin}/attention`);
  expect(attention.status).toBe(200);
  expect(attention.text).not.toContain('action="/actions/');
  const refused = await browser.post(`${consoleOrigin}/actions/exclude`, {
    entity: 'customer',
    system: 'hubspot',
    id: company.id,
    csrf_token: token,
  });
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('oidc:vera@example.com is signed in as a viewer');
  expect(await w.runtime.store.exclusions('customer')).toEqual([]);
});
