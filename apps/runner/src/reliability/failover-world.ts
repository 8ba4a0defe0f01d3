import pg from 'pg';
import { admin, cli, pause, startWorld, type World } from '../e2e/cli-harness.js';
import { erpAdmin, simulatorAppId, webhookSecrets } from '../e2e/serve-harness.js';
import { freePort } from '../test-support/free-port.js';
import { dropDatabase, freshDatabase } from '../test-support/postgres-server.js';
import { startApiWriteCounter } from './api-write-counter.js';
import { startWebhookBalancer, type WebhookBalancer } from './failover-balancer.js';
import { type Role, type ServeProcess, startServe } from './failover-instances.js';
import type { InstanceWrite, ServeTerms } from './failover-leaders.js';

export const slots = ['a', 'b'] as const;
export type Slot = (typeof slots)[number];

/**
 * The failover suite's world: both simulators in this process, one fresh PostgreSQL database, and two `crm-sync
 * serve` instances on it, each with its own port and its own recording proxy in front of both simulators' APIs,
 * behind one webhook balancer. A killed instance is restarted as a new process in its slot.
 */
export interface FailoverWorld {
  readonly world: World;
  readonly databaseUrl: string;
  readonly balancer: WebhookBalancer;
  /** Every write request the instances sent, as their proxies received them. */
  readonly writes: InstanceWrite[];
  /** Every serve process so far, killed ones included, with the terms their logs told. */
  readonly processes: ServeTerms[];
  /** The process running in each slot now. */
  readonly current: Map<Slot, ServeProcess>;
  /** A new `crm-sync serve` in `slot` (its previous process must have ended). */
  start(slot: Slot): Promise<ServeProcess>;
  /** Each current process's role by `/readyz`. */
  roles(): Promise<Map<Slot, Role | null>>;
  /** Each current process's `crm_sync_leader` gauge. */
  leaderGauges(): Promise<Map<Slot, number | null>>;
  /** `pg_terminate_backend` of the session holding the leadership's advisory lock; answers its pid. */
  cutLeaderConnection(): Promise<number>;
  close(): Promise<void>;
}

// A fingerprint key shared by every instance on the database (a PostgreSQL state keeps none of its own).
const hashKey = 'failover-suite-fingerprint-key';

export async function startFailoverWorld(options: {
  readonly customers: number;
  readonly companies: number;
  readonly seed: number;
  readonly random: () => number;
  readonly intervalMs: number;
}): Promise<FailoverWorld> {
  const world = await startWorld({
    customers: options.customers,
    companies: options.companies,
    seed: options.seed,
  });
  const databaseUrl = await freshDatabase();
  const writes: InstanceWrite[] = [];
  const proxies = await Promise.all(
    slots.map((slot) =>
      startApiWriteCounter({
        hubspotBaseUrl: world.crm.baseUrl,
        vismaGraphqlUrl: world.erp.graphqlUrl,
        onWrite: (write) => writes.push({ ...write, slot }),
      }),
    ),
  );
  const ports = new Map<Slot, number>();
  for (const slot of slots) ports.set(slot, await freePort());
  const balancer = await startWebhookBalancer(
    new Map(slots.map((slot) => [slot, `http://127.0.0.1:${ports.get(slot)}`])),
    options.random,
  );
  // The simulators' own URLs stay in `world.env`, for `setup` and the last `run --full`, so that only the
  // instances' writes pass the proxies.
  Object.assign(world.env, {
    CRM_SYNC_STATE: databaseUrl,
    CRM_SYNC_HASH_KEY: hashKey,
    CRM_SYNC_INTERVAL: `${options.intervalMs / 1000}s`,
    CRM_SYNC_PUBLIC_URL: balancer.url,
    HUBSPOT_WEBHOOK_SECRET: webhookSecrets.hubspot,
    HUBSPOT_APP_ID: String(simulatorAppId),
    VISMA_WEBHOOK_SECRETS: webhookSecrets.visma,
  });
  const processes: ServeTerms[] = [];
  const current = new Map<Slot, ServeProcess>();
  const served = new Map<Slot, number>();
  const close = async () => {
    await Promise.all([...current.values()].map((instance) => instance.stop('SIGKILL')));
    await balancer.close();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await world.close();
    await dropDatabase(databaseUrl);
  };
  const each = async <T>(read: (instance: ServeProcess) => Promise<T>) =>
    new Map(
      await Promise.all([...current].map(async ([slot, instance]) => [slot, await read(instance)] as const)),
    );
  const context: FailoverWorld = {
    world,
    databaseUrl,
    balancer,
    writes,
    processes,
    current,
    async start(slot) {
      const index = slots.indexOf(slot);
      const proxy = proxies[index];
      if (proxy === undefined) throw new Error(`no proxy for instance ${slot}`);
      served.set(slot, (served.get(slot) ?? 0) + 1);
      const instance = await startServe({
        slot,
        name: `${slot}${served.get(slot)}`,
        port: ports.get(slot) ?? 0,
        env: { ...world.env, HUBSPOT_BASE_URL: proxy.hubspotUrl, VISMA_GRAPHQL_URL: proxy.vismaGraphqlUrl },
      });
      processes.push(instance.terms);
      current.set(slot, instance);
      return instance;
    },
    roles: () => each((instance) => instance.role()),
    leaderGauges: () => each(leaderGauge),
    cutLeaderConnection: () => cutLeaderConnection(databaseUrl),
    close,
  };
  try {
    const setup = await cli(world, ['setup']);
    if (setup.code !== 0) throw new Error(`crm-sync setup failed:\n${setup.stderr}`);
    await admin(`${world.crm.baseUrl}/admin/webhooks`, 'POST', {
      url: `${balancer.url}/webhooks/hubspot`,
      clientSecret: webhookSecrets.hubspot,
    });
    await admin(`${erpAdmin(world)}/webhooks`, 'POST', {
      url: `${balancer.url}/webhooks/visma-nxt`,
      secret: webhookSecrets.visma,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return context;
}

/** The `crm_sync_leader` gauge of one instance, or `null` when it has none or does not answer. */
async function leaderGauge(instance: ServeProcess): Promise<number | null> {
  try {
    const text = await (
      await fetch(`${instance.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith('crm_sync_leader '));
    return line === undefined ? null : Number(line.split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Cuts the leader's dedicated connection from the server's side, as a failed network or a restarted pooler would:
 * the session holding a granted advisory lock in this database (the leadership's, named by its
 * `application_name` when several hold one). https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL
 */
async function cutLeaderConnection(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'failover suite' });
  await client.connect();
  try {
    // https://www.postgresql.org/docs/15/view-pg-locks.html
    const { rows } = await client.query<{ pid: number; application_name: string }>(
      `SELECT l.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const named = rows.filter((row) => /leader/iu.test(row.application_name));
    const [holder, ...others] = named.length > 0 ? named : rows;
    if (holder === undefined || others.length > 0)
      throw new Error(
        `expected one session holding the leadership's advisory lock, found ${rows.length}: ${JSON.stringify(rows)}`,
      );
    await client.query('SELECT pg_terminate_backend($1)', [holder.pid]);
    return holder.pid;
  } finally {
    await client.end();
  }
}

/**
 * Waits until exactly one current instance answers role `leader` and every other `standby` (polled every 100 ms:
 * two processes' `/readyz`); answers the leader, or throws naming `what` and the roles last seen.
 */
export async function settledLeader(context: FailoverWorld, what: string, withinMs: number): Promise<Slot> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const roles = await context.roles();
    const leaders = [...roles].filter(([, role]) => role === 'leader').map(([slot]) => slot);
    const standbys = [...roles.values()].filter((role) => role === 'standby').length;
    const [leader] = leaders;
    if (leader !== undefined && leaders.length === 1 && standbys === roles.size - 1) return leader;
    if (Date.now() > deadline)
      throw new Error(
        `gave up after ${withinMs / 1000} s waiting for ${what}; roles: ${[...roles].map(([slot, role]) => `${slot} ${role ?? 'none'}`).join(', ')}`,
      );
    await pause(100);
  }
}

/** The highest generation any process has logged claiming, or 0. */
export const lastGeneration = (context: FailoverWorld) =>
  Math.max(0, ...context.processes.flatMap((terms) => terms.claims.map((claim) => claim.generation)));

/** Waits for a process to log `became the leader` with a generation above `generation`; answers who and when. */
export async function nextClaim(
  context: FailoverWorld,
  generation: number,
  what: string,
  withinMs: number,
): Promise<{ readonly process: ServeTerms; readonly at: number; readonly generation: number }> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    for (const terms of context.processes)
      for (const claim of terms.claims)
        if (claim.generation > generation) return { process: terms, ...claim };
    if (Date.now() > deadline)
      throw new Error(
        `gave up after ${withinMs / 1000} s waiting for ${what}: no process logged "became the leader" with a generation above ${generation}`,
      );
    await pause(25);
  }
}
