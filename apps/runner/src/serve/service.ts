import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { Runtime } from '../commands/runtime.js';
import type { SingleSignOnSettings } from '../console/auth/single-sign-on-settings.js';
import type { ConsoleEnv } from '../console/console-env.js';
import { consoleRoutes } from '../console/console-routes.js';
import type { InboxEvent } from '../state/state-store.js';
import { type AlertConfig, createAlerter } from './alerts/index.js';
import { createEngineLane } from './engine-lane.js';
import { healthRoutes } from './health-routes.js';
import { createInboxWriter } from './inbox-writer.js';
import { serviceErrorHandler } from './leadership/fenced-write-page.js';
import { runLeaderTerm } from './leadership/leader-term.js';
import { type Leadership, soleLeadership } from './leadership/leadership.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';
import { recentBinding } from './recent-binding.js';
import { nextFullCycleAt, type ServiceConfig } from './service-config.js';
import { createServiceLoop, type LoopState } from './service-loop.js';
import { webhookIntake } from './webhooks/intake.js';

export interface SyncService {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly metrics: ServiceMetrics;
  readonly state: LoopState;
  /**
   * Stops accepting work, lets the run in flight finish its slice and commit (the engine releases the lock), and
   * closes the HTTP server; the runtime (state store) is the caller's to close.
   */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  readonly now?: (() => Date) | undefined;
  /** How long the inbox gathers a burst before syncing (tests shorten it). */
  readonly gatherMs?: number | undefined;
  /** Where failed cycles, stale syncing and new records needing attention are announced. */
  readonly alerts?: AlertConfig | undefined;
  /** The console's single sign-on (`CRM_SYNC_OIDC_*`); absent or `null`: local accounts only. */
  readonly singleSignOn?: SingleSignOnSettings | null | undefined;
  /**
   * Who runs cycles and the inbox (docs/DESIGN.md §5b, "Leadership"): on a PostgreSQL state the instance holding
   * the leadership, whose fence the store's writes carry; absent: this instance alone (SQLite). The service starts
   * it, and closes it when it stops.
   */
  readonly leadership?: Leadership | undefined;
}

/**
 * `crm-sync serve` (docs/DESIGN.md §5b): the HTTP endpoints (webhooks, health, metrics) and the loop that runs the
 * engine on a schedule and for the inbox. The binding is checked by the caller before it starts.
 */
export async function startSyncService(
  runtime: Runtime,
  config: ServiceConfig,
  options: ServiceOptions = {},
): Promise<SyncService> {
  const now = options.now ?? (() => new Date());
  const { store, logger } = runtime;
  const metrics = createServiceMetrics();
  const stopping = new AbortController();
  const leadership = options.leadership ?? soleLeadership();
  metrics.leadership(leadership.status().role, false);
  const alerter =
    options.alerts === undefined ? null : createAlerter({ config: options.alerts, logger, now });
  const lane = createEngineLane({
    engine: runtime,
    store,
    metrics,
    logger,
    now,
    afterRun: async (report) => {
      // Never throws, and a channel gives up after 10 s: the sync does not wait on a mail server.
      if (alerter !== null) void alerter.afterRun(report, await store.errors());
    },
  });
  // Only the leader runs cycles, so only the leader can tell that none succeeded.
  const staleCheck = setInterval(() => {
    if (leadership.status().role === 'leader') void alerter?.tick();
  }, 60_000);
  staleCheck.unref();
  const loop = createServiceLoop(
    lane,
    {
      intervalMs: config.intervalMs,
      nextFullAt: (at) => nextFullCycleAt(at, config.fullAt),
      gatherMs: options.gatherMs,
    },
    { logger, now },
  );
  metrics.setInboxDepth(await store.inboxDepth());
  // Seconds since the last success count from the last run that succeeded before this process started.
  const lastSucceeded = (await store.runs(50)).find(
    (run) => run.finishedAt !== null && (run.exitCode === 0 || run.exitCode === 3),
  );
  if (lastSucceeded?.finishedAt) metrics.cycleSucceededAt(new Date(lastSucceeded.finishedAt));

  // Deliveries arriving together share one transaction; the depth is counted once per commit, not per delivery.
  const inbox = createInboxWriter({
    store,
    now,
    committed: async (stored) => {
      if (stored === 0) return;
      loop.wake();
      metrics.setInboxDepth(await store.inboxDepth());
    },
  });
  const accept = async (events: readonly InboxEvent[]): Promise<void> => {
    if (stopping.signal.aborted) throw new Error('the service is stopping');
    await inbox.store(events);
  };
  const binding = recentBinding(store);
  const app = new Hono<ConsoleEnv>();
  app.onError(serviceErrorHandler(logger));
  app.route(
    '/',
    healthRoutes({
      metrics,
      leadership: () => leadership.status(),
      readiness: async () => {
        try {
          await store.inboxDepth();
        } catch (error) {
          return { ready: false, reason: `the state store cannot be read: ${String(error)}` };
        }
        for (const last of [loop.state.lastCycle, loop.state.lastTargeted])
          if (last?.failed === true)
            return { ready: false, reason: `the last ${last.mode} run failed at ${last.at.toISOString()}` };
        return { ready: true };
      },
    }),
  );
  // The webhook receivers take their requests ahead of the web framework (webhooks/intake.ts).
  const webhooks = webhookIntake({
    hubspot: {
      secret: config.hubspotWebhookSecret,
      appId: config.hubspotAppId,
      publicBaseUrl: config.publicUrl,
    },
    visma: { secrets: config.vismaWebhookSecrets },
    boundCompanyNo: async () => (await binding())?.vismaCompanyNo ?? null,
    boundPortalId: async () => (await binding())?.hubspotPortalId ?? null,
    warn: (fields, message) => logger.warn(fields, message),
    accept,
    error: (error, system) => logger.error({ err: error, system }, 'a webhook delivery failed unexpectedly'),
    count: (system, outcome) => metrics.webhookDelivery(system, outcome),
  });

  // The operator console, behind sign-in; the paths above stay outside it (webhooks have signatures).
  app.route(
    '/',
    consoleRoutes({
      store,
      publicUrl: config.publicUrl,
      host: config.host,
      now,
      logger,
      service: { engine: runtime, state: loop.state, metrics },
      singleSignOn: options.singleSignOn,
    }),
  );

  const server = await listen(app, webhooks, config.host, config.port);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
  logger.info({ url }, `crm-sync serve listening on ${url}`);
  leadership.start({
    lead: (term) =>
      runLeaderTerm(term, {
        loop,
        stopping: stopping.signal,
        logger,
        sharedInbox: leadership.shared ? store : null,
      }),
    changed: (status) => metrics.leadership(status.role, true),
  });

  return {
    url,
    metrics,
    state: loop.state,
    async stop() {
      stopping.abort('SIGTERM');
      clearInterval(staleCheck);
      // The leader lets go once the run in flight has ended, so a standby takes over at once.
      await Promise.all([leadership.close(), closeServer(server.server), inbox.drain()]);
      alerter?.close();
    },
  };
}

function listen(
  app: Hono<ConsoleEnv>,
  webhooks: ReturnType<typeof webhookIntake>,
  hostname: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const framework = getRequestListener(app.fetch, { hostname });
  const server = createServer((request, response) => {
    if (!webhooks(request, response)) void framework(request, response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open: idle ones are closed now, busy ones after their answer.
    server.closeIdleConnections();
  });
}
