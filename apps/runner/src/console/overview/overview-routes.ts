import { Hono } from 'hono';
import type { ConsoleEnv } from '../console-env.js';
import type { PageOptions } from '../page-options.js';
import { cycleStatus } from './cycle-status.js';
import { overviewPage } from './overview-page.js';
import { requestUsage } from './request-usage.js';
import { entityHealth } from './sync-health.js';
import { webhookDeliveries } from './webhook-deliveries.js';

/** The runs the overview reads: enough for a day of 10-minute cycles with targeted syncs between them. */
const recentRuns = 2000;

/** GET / (https://hono.dev/docs/api/routing): the overview, from the state store and the service's live state. */
export function overviewRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const { store, service } = options;
    const now = options.now();
    const [errors, runs, conflicts, inboxDepth] = await Promise.all([
      store.errors(),
      store.runs(recentRuns),
      store.conflicts('open'),
      store.inboxDepth(),
    ]);
    const health = [
      await entityHealth(store, errors, 'customer'),
      await entityHealth(store, errors, 'contact'),
    ];
    return context.html(
      overviewPage(signedIn, {
        health,
        cycles: cycleStatus(runs, service, now),
        usage: requestUsage(runs, service?.engine.config, now),
        webhooks: await webhookDeliveries(service?.metrics),
        openConflicts: conflicts.length,
        inboxDepth,
        now,
      }),
    );
  });
  return app;
}
