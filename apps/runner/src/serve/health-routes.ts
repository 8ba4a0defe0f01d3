import { Hono } from 'hono';
import type { LeadershipStatus } from './leadership/leadership.js';
import type { ServiceMetrics } from './metrics.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface HealthRouteOptions {
  /** Whether the service can do its work now: the state store is open and the last cycle did not fail. */
  readonly readiness: () => Promise<Readiness>;
  readonly metrics: ServiceMetrics;
  /** This instance's role and generation (docs/DESIGN.md §5b, "Leadership"); a standby is ready too. */
  readonly leadership?: (() => LeadershipStatus) | undefined;
}

/**
 * `GET /healthz`, `GET /readyz` and `GET /metrics`, for a service manager, a load balancer and Prometheus. They are
 * for the internal network only (docs/OPERATION.md, "Running as a service"): the reverse proxy publishes the two
 * webhook paths and nothing else. Answers are never cached.
 */
export function healthRoutes(options: HealthRouteOptions): Hono {
  const app = new Hono();
  app.use(async (context, next) => {
    await next();
    context.header('Cache-Control', 'no-store');
  });

  const role = () => {
    const status = options.leadership?.();
    return status === undefined ? {} : { role: status.role };
  };

  // Liveness: the process runs and answers. https://kubernetes.io/docs/reference/using-api/health-checks/
  app.get('/healthz', (context) => {
    const status = options.leadership?.();
    if (status === undefined) return context.json({ status: 'alive' });
    const generation = status.generation === null ? null : Number(status.generation);
    return context.json({ status: 'alive', role: status.role, generation, leader: status.leader });
  });

  // Readiness: 503 with the reason while the service cannot do its work. https://kubernetes.io/docs/reference/using-api/health-checks/
  app.get('/readyz', async (context) => {
    let readiness: Readiness;
    try {
      readiness = await options.readiness();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      readiness = { ready: false, reason: `the readiness check failed: ${message}` };
    }
    if (readiness.ready) return context.json({ status: 'ready', ready: true, ...role() });
    return context.json({ status: 'not-ready', ready: false, reason: readiness.reason, ...role() }, 503);
  });

  // The registry in Prometheus' text format. https://prometheus.io/docs/instrumenting/exposition_formats/
  app.get('/metrics', async (context) => {
    const text = await options.metrics.registry.metrics();
    return context.body(text, 200, { 'Content-Type': options.metrics.registry.contentType });
  });

  return app;
}
