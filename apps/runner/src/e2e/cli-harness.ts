import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type HubSpotSimulator,
  type HubSpotSimulatorOptions,
  startHubSpotSimulator,
  startVismaNxtSimulator,
  type VismaNxtSimulator,
  type VismaNxtSimulatorOptions,
} from '@port-service/simulators';
import type { CycleReport } from '../engine/report.js';

const bin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));

/** Both simulators on loopback and a state directory: what the real CLI is pointed at in these tests. */
export interface World {
  readonly crm: HubSpotSimulator;
  readonly erp: VismaNxtSimulator;
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startWorld(options: {
  customers?: number;
  companies?: number;
  seed?: number;
  policy?: unknown;
  crm?: Partial<HubSpotSimulatorOptions>;
  erp?: Partial<VismaNxtSimulatorOptions>;
}): Promise<World> {
  const seed = options.seed ?? 1;
  const erp = await startVismaNxtSimulator({
    port: 0,
    host: '127.0.0.1',
    seed,
    customers: options.customers ?? 0,
    ...options.erp,
  });
  const crm = await startHubSpotSimulator({
    port: 0,
    host: '127.0.0.1',
    seed,
    companies: options.companies ?? 0,
    ...options.crm,
  });
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-e2e-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HUBSPOT_ACCESS_TOKEN: crm.accessToken,
    HUBSPOT_BASE_URL: crm.baseUrl,
    VISMA_CLIENT_ID: erp.clientId,
    VISMA_CLIENT_SECRET: erp.clientSecret,
    VISMA_COMPANY_NO: String(erp.companyNo),
    VISMA_TOKEN_URL: erp.tokenUrl,
    VISMA_GRAPHQL_URL: erp.graphqlUrl,
    CRM_SYNC_STATE: join(dir, 'state.db'),
  };
  if (options.policy !== undefined) {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(options.policy));
    env.CRM_SYNC_CONFIG = join(dir, 'policy.json');
  }
  return {
    crm,
    erp,
    env,
    dir,
    async close() {
      await Promise.all([crm.close(), erp.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function spawnCli(world: World, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** Runs `crm-sync …` to the end. */
export function cli(world: World, args: readonly string[]): Promise<CliResult> {
  return finished(spawnCli(world, args));
}

/** `crm-sync run --json …`: the exit code and the parsed report. */
export async function run(
  world: World,
  args: readonly string[] = [],
): Promise<{ code: number | null; report: CycleReport; stderr: string }> {
  const result = await cli(world, ['run', '--json', ...args]);
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as CycleReport, stderr: result.stderr };
  } catch {
    throw new Error(
      `crm-sync run printed no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Operations the report says were applied, summed over customers and contacts. */
export function writes(report: CycleReport): number {
  let total = 0;
  for (const entity of ['customer', 'contact'] as const)
    for (const kind of ['create-erp', 'create-crm', 'update-erp', 'update-crm', 'write-back'] as const)
      total += report.entities[entity].applied[kind] ?? 0;
  return total;
}

export async function admin(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
