import { describe, expect, it } from 'vitest';
import { healthRoutes, type Readiness } from './health-routes.js';
import type { LeadershipStatus } from './leadership/leadership.js';
import { createServiceMetrics } from './metrics.js';

describe('health routes', () => {
  it('GET /healthz answers 200 alive, never cached, whatever the readiness', async () => {
    const app = healthRoutes({
      readiness: async () => ({ ready: false, reason: 'the state store is closed' }),
      metrics: createServiceMetrics(),
    });
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/u);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'alive' });
  });

  it('GET /readyz asks the readiness on every request: 200 when ready, 503 with the reason when not', async () => {
    let readiness: Readiness = { ready: true };
    let asked = 0;
    const app = healthRoutes({
      readiness: async () => {
        asked += 1;
        return readiness;
      },
      metrics: createServiceMetrics(),
    });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true });

    readiness = { ready: false, reason: 'the last cycle failed: HubSpot answered 401 (token revoked)' };
    const notReady = await app.request('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('cache-control')).toBe('no-store');
    expect(await notReady.json()).toEqual({
      status: 'not-ready',
      ready: false,
      reason: 'the last cycle failed: HubSpot answered 401 (token revoked)',
    });
    expect(asked).toBe(2);
  });

  it('GET /readyz answers 503 with the error when the readiness check itself throws', async () => {
    const app = healthRoutes({
      readiness: async () => {
        throw new Error('SQLITE_BUSY: database is locked');
      },
      metrics: createServiceMetrics(),
    });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not-ready',
      ready: false,
      reason: 'the readiness check failed: SQLITE_BUSY: database is locked',
    });
  });

  it('names the role: a standby is ready too, and /healthz gives its generation and the leader it sees', async () => {
    let status: LeadershipStatus = { role: 'standby', generation: null, leader: 'db-host-a/4242' };
    const app = healthRoutes({
      readiness: async () => ({ ready: true }),
      metrics: createServiceMetrics(),
      leadership: () => status,
    });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, role: 'standby' });
    expect(await (await app.request('/healthz')).json()).toEqual({
      status: 'alive',
      role: 'standby',
      generation: null,
      leader: 'db-host-a/4242',
    });
    status = { role: 'leader', generation: 7n, leader: 'db-host-b/99' };
    expect(await (await app.request('/readyz')).json()).toEqual({
      status: 'ready',
      ready: true,
      role: 'leader',
    });
    expect(await (await app.request('/healthz')).json()).toEqual({
      status: 'alive',
      role: 'leader',
      generation: 7,
      leader: 'db-host-b/99',
    });
  });

  it("GET /metrics answers the registry's text with Prometheus' content type", async () => {
    const metrics = createServiceMetrics();
    metrics.cycleFinished('incremental', 'ok');
    metrics.setInboxDepth(4);
    const app = healthRoutes({ readiness: async () => ({ ready: true }), metrics });
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('crm_sync_cycles_total{kind="incremental",outcome="ok"} 1\n');
    expect(text).toContain('crm_sync_inbox_depth 4\n');
    expect(text).toContain('# TYPE crm_sync_process_cpu_user_seconds_total counter');
  });

  it('answers 404 for other paths and methods', async () => {
    const app = healthRoutes({ readiness: async () => ({ ready: true }), metrics: createServiceMetrics() });
    expect((await app.request('/webhooks/hubspot', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/metrics', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/')).status).toBe(404);
  });
});
