import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDemoWorld } from '../demo/scenario.js';
import type { ConsoleRole } from '../state/state-store.js';
import { type CliResult, finished, type World } from './cli-harness.js';
import {
  eventually,
  metric,
  type RunningService,
  serviceEnv,
  startService,
  subscribe,
} from './serve-harness.js';

const bin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));

/** The Chromium to drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`; `null` when neither exists. */
export function chromiumPath(): string | null {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium'])
    if (candidate !== undefined && candidate !== '' && existsSync(candidate)) return candidate;
  return null;
}

export const consolePassword = 'console password for tests';

/** `crm-sync users add NAME --role ROLE --password-stdin`, the password piped in as an operator would. */
export async function addConsoleUser(world: World, name: string, role: ConsoleRole): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, 'users', 'add', name, '--role', role, '--password-stdin'], {
    env: world.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const ended = finished(child);
  child.stdin?.end(consolePassword);
  return ended;
}

/**
 * The demo's world (src/demo/scenario.ts: customers in both systems, a shared organization number, invalid data on
 * both sides, phone numbers settled by a person), an operator and a viewer, and `crm-sync serve` after its first
 * cycle, with both simulators' webhooks delivered to it.
 */
export async function startConsoleWorld(): Promise<{
  world: World;
  service: RunningService;
  pairs: ReadonlyArray<{ crmId: string; associateNo: number }>;
}> {
  const demo = await startDemoWorld(7, 12);
  const world: World = { crm: demo.crm, erp: demo.erp, env: demo.env, dir: '', close: () => demo.close() };
  serviceEnv(world);
  for (const [name, role] of [
    ['olga', 'operator'],
    ['victor', 'viewer'],
  ] as const) {
    const added = await addConsoleUser(world, name, role);
    if (added.code !== 0)
      throw new Error(`crm-sync users add ${name} failed:\n${added.stdout}\n${added.stderr}`);
  }
  const service = await startService(world);
  await eventually('the first (full) cycle', async () => {
    const held = await metric(service, 'crm_sync_cycles_total', '{kind="full",outcome="held"}');
    return held + (await metric(service, 'crm_sync_cycles_total', '{kind="full",outcome="ok"}')) >= 1;
  });
  await subscribe(world, service);
  return { world, service, pairs: demo.pairs };
}

/** Signs in through the form, as a person does; ends on the overview. */
export async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(consolePassword);
  const posted = page.waitForResponse((response) => response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await posted;
  await page.waitForLoadState();
  if (new URL(page.url()).pathname !== '/')
    throw new Error(
      `signing in as ${name} ended at ${page.url()}: ${await page.locator('main').textContent()}`,
    );
}

/**
 * Where screenshots go: docs/console/ when `UPDATE_CONSOLE_SCREENSHOTS=1` (to refresh the documentation's), else a
 * temporary directory (they are still taken, so a page that cannot render fails the test).
 */
export function screenshotDirectory(): string {
  if (process.env.UPDATE_CONSOLE_SCREENSHOTS !== '1') return mkdtempSync(join(tmpdir(), 'crm-sync-console-'));
  const docs = fileURLToPath(new URL('../../../../docs/console/', import.meta.url));
  mkdirSync(docs, { recursive: true });
  return docs;
}
