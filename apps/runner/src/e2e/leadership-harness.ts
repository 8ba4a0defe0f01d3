import { TestBrowser } from '../console/test-browser.js';
import { dropDatabase, freshDatabase } from '../test-support/postgres-server.js';
import type { World } from './cli-harness.js';
import { addConsoleUser, consolePassword } from './console-harness.js';
import type { RunningService } from './serve-harness.js';

/**
 * Points a world's CLI at a new database on the test PostgreSQL server (its fingerprint key given, as a shared
 * state requires); the answer drops it again.
 */
export async function usePostgresState(world: World): Promise<{ url: string; drop(): Promise<void> }> {
  const url = await freshDatabase({ migrated: true });
  world.env.CRM_SYNC_STATE = url;
  world.env.CRM_SYNC_HASH_KEY = 'a-fingerprint-key-shared-by-both-instances';
  return { url, drop: () => dropDatabase(url) };
}

export interface Readyz {
  readonly status: number;
  readonly ready: boolean;
  readonly role: 'leader' | 'standby' | undefined;
}

/** `GET /readyz`: its status code, and the readiness and role its JSON names. */
export async function readyz(service: RunningService): Promise<Readyz> {
  const response = await fetch(`${service.url}/readyz`);
  const body = (await response.json()) as { ready?: boolean; role?: 'leader' | 'standby' };
  return { status: response.status, ready: body.ready === true, role: body.role };
}

/** An operator added with `crm-sync users add`, signed in to a service's console over HTTP, with its CSRF token. */
export async function operatorSignedIn(
  world: World,
  service: RunningService,
  name: string,
): Promise<{ browser: TestBrowser; token: string }> {
  const added = await addConsoleUser(world, name, 'operator');
  if (added.code !== 0) throw new Error(`crm-sync users add ${name} failed:\n${added.stderr}`);
  // Redirects are answers to read (a sign-in answers 303 with the session's cookie), not to follow.
  const browser = new TestBrowser(
    { request: (url, init) => fetch(url, { ...init, redirect: 'manual' }) },
    service.url,
  );
  const form = await browser.get('/login');
  const login = TestBrowser.field(form.text, 'csrf_token') ?? '';
  const answer = await browser.post('/login', { csrf_token: login, name, password: consolePassword });
  if (answer.status !== 303) throw new Error(`${name} could not sign in: ${answer.status} ${answer.text}`);
  const home = await browser.get('/');
  return { browser, token: TestBrowser.field(home.text, 'csrf_token') ?? '' };
}
