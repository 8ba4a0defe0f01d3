import type { StateStore } from '../state/state-store.js';
import { hashPassword, type ScryptParameters } from './auth/password-hashing.js';
import type { ConsoleRole } from './auth/roles.js';
import { type ConsoleOptions, consoleRoutes } from './console-routes.js';
import { TestBrowser } from './test-browser.js';

// For the console's tests: accounts with cheap hashes (the hashes carry their parameters, so verification is the
// real code path), the console on a given store, and a browser signed in as someone.

export const cheapHashes: ScryptParameters = { N: 2 ** 10, r: 8, p: 1 };
export const testPassword = 'correct horse battery staple';

export async function addUser(store: StateStore, name: string, role: ConsoleRole): Promise<void> {
  await store.addConsoleUser({
    name,
    role,
    passwordHash: await hashPassword(testPassword, cheapHashes),
    createdAt: new Date().toISOString(),
  });
}

export function consoleApp(store: StateStore, overrides: Partial<ConsoleOptions> = {}) {
  return consoleRoutes({
    store,
    publicUrl: null,
    host: '127.0.0.1',
    passwordParameters: cheapHashes,
    ...overrides,
  });
}

/** A browser signed in as `name`, and the session's CSRF token (from the sign-out form of the overview). */
export async function signedIn(
  app: ReturnType<typeof consoleApp>,
  name: string,
): Promise<{ browser: TestBrowser; token: string }> {
  const browser = new TestBrowser(app);
  const form = await browser.get('/login');
  const login = TestBrowser.field(form.text, 'csrf_token') ?? '';
  const answer = await browser.post('/login', { csrf_token: login, name, password: testPassword });
  if (answer.status !== 303) throw new Error(`${name} could not sign in: ${answer.status} ${answer.text}`);
  const home = await browser.get('/');
  return { browser, token: TestBrowser.field(home.text, 'csrf_token') ?? '' };
}
