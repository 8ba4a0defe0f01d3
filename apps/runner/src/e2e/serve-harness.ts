import type { ChildProcess } from 'node:child_process';
import { hubSpotSimulatorAppId } from '@port-service/simulators';
import { admin, type CliResult, cli, finished, pause, spawnCli, type World } from './cli-harness.js';

/** The simulator's app id: its API writes carry it as the events' `sourceId` (echoes of the sync's writes). */
export const simulatorAppId = hubSpotSimulatorAppId;
export const webhookSecrets = { hubspot: 'hubspot-client-secret', visma: 'visma-signature-key' } as const;

export interface RunningService {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  /** SIGTERM (or another signal), and the process's end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** The service settings of these tests: a free port, both webhook secrets, cycles far apart unless told. */
export function serviceEnv(world: World, extra: NodeJS.ProcessEnv = {}): void {
  Object.assign(world.env, {
    CRM_SYNC_HTTP_PORT: '0',
    CRM_SYNC_INTERVAL: '1h',
    HUBSPOT_WEBHOOK_SECRET: webhookSecrets.hubspot,
    HUBSPOT_APP_ID: String(simulatorAppId),
    VISMA_WEBHOOK_SECRETS: webhookSecrets.visma,
    ...extra,
  });
}

/** `crm-sync setup` (unless told not to), then `crm-sync serve` until it says where it listens. */
export async function startService(world: World, options: { setup?: boolean } = {}): Promise<RunningService> {
  if (options.setup !== false) {
    const setup = await cli(world, ['setup']);
    if (setup.code !== 0) throw new Error(`crm-sync setup failed:\n${setup.stderr}`);
  }
  const child = spawnCli(world, ['serve']);
  const ended = finished(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stdout}\n${stderr}`)), 20_000);
    child.stdout?.on('data', () => {
      const found = /listening on (http:\/\/\S+)/u.exec(stdout)?.[1];
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('close', () => reject(new Error(`serve ended early:\n${stdout}\n${stderr}`)));
  });
  return {
    url,
    child,
    output: () => ({ stdout, stderr }),
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return ended;
    },
  };
}

/** Both simulators deliver their signed webhooks to the service. */
export async function subscribe(world: World, service: RunningService): Promise<void> {
  await admin(`${world.crm.baseUrl}/admin/webhooks`, 'POST', {
    url: `${service.url}/webhooks/hubspot`,
    clientSecret: webhookSecrets.hubspot,
  });
  await admin(`${erpAdmin(world)}/webhooks`, 'POST', {
    url: `${service.url}/webhooks/visma-nxt`,
    secret: webhookSecrets.visma,
  });
}

export const erpAdmin = (world: World) => world.erp.adminUrl;

/** One sample of a metric (its labels as written in the exposition), or 0 when absent. */
export async function metric(service: RunningService, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

/** Waits until `check` holds, polling; fails naming what it waited for. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await pause(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
