import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { emptyApiUsage } from '../engine/api-usage.js';
import { newReport } from '../engine/report.js';
import { createServiceMetrics } from './metrics.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/u.exec(line);
      if (match === null) throw new Error(`not an exposition sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/gu))
        labels[pair[1] ?? ''] = pair[2] ?? '';
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

/** The one sample with exactly these labels, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(text).filter(
    (candidate) =>
      candidate.name === name &&
      Object.keys(candidate.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

describe('service metrics', () => {
  it('names every metric crm_sync_, default process metrics included, on a registry of its own', async () => {
    const metrics = createServiceMetrics();
    const text = await metrics.registry.metrics();
    const names = [...text.matchAll(/^# TYPE (\S+) /gmu)].map((match) => match[1] ?? '');
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !name.startsWith('crm_sync_'))).toEqual([]);
    expect(names).toContain('crm_sync_process_cpu_user_seconds_total');
    expect(names).toContain('crm_sync_process_resident_memory_bytes');
    expect(names).toContain('crm_sync_nodejs_eventloop_lag_seconds');
    expect(
      globalRegistry.getMetricsAsArray().filter((metric) => metric.name.startsWith('crm_sync_')),
    ).toEqual([]);
    // A second instance registers without clashing and counts apart.
    const other = createServiceMetrics();
    other.cycleFinished('full', 'ok');
    expect(
      sample(await metrics.registry.metrics(), 'crm_sync_cycles_total', { kind: 'full', outcome: 'ok' }),
    ).toBe(0);
  });

  it('counts cycles by kind and outcome, every combination present from the start', async () => {
    const metrics = createServiceMetrics();
    const before = await metrics.registry.metrics();
    expect(sample(before, 'crm_sync_cycles_total', { kind: 'targeted', outcome: 'interrupted' })).toBe(0);
    metrics.cycleFinished('incremental', 'ok');
    metrics.cycleFinished('incremental', 'ok');
    metrics.cycleFinished('full', 'failed');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'incremental', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'full', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'full', outcome: 'ok' })).toBe(0);
  });

  it('counts records, API requests with their 429s, and webhook deliveries by system', async () => {
    const metrics = createServiceMetrics();
    metrics.recordsSynced('customer', 'synced', 40);
    metrics.recordsSynced('customer', 'synced', 2);
    metrics.recordsSynced('contact', 'held', 3);
    metrics.apiRequests('hubspot', 12, 2);
    metrics.apiRequests('visma-nxt', 5, 0);
    metrics.webhookDelivery('hubspot', 'accepted');
    metrics.webhookDelivery('visma-nxt', 'forged');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'crm_sync_records_total', { entity: 'customer', outcome: 'synced' })).toBe(42);
    expect(sample(text, 'crm_sync_records_total', { entity: 'contact', outcome: 'held' })).toBe(3);
    expect(sample(text, 'crm_sync_api_requests_total', { system: 'hubspot' })).toBe(12);
    expect(sample(text, 'crm_sync_api_rate_limited_total', { system: 'hubspot' })).toBe(2);
    expect(sample(text, 'crm_sync_api_requests_total', { system: 'visma-nxt' })).toBe(5);
    expect(
      sample(text, 'crm_sync_webhook_deliveries_total', { system: 'hubspot', outcome: 'accepted' }),
    ).toBe(1);
    expect(
      sample(text, 'crm_sync_webhook_deliveries_total', { system: 'visma-nxt', outcome: 'forged' }),
    ).toBe(1);
  });

  it('refuses counts that are negative or not whole, naming what was counted', () => {
    const metrics = createServiceMetrics();
    expect(() => metrics.recordsSynced('contact', 'failed', -1)).toThrow(
      /records \(contact, failed\) must be a whole number of at least 0, got -1/u,
    );
    expect(() => metrics.apiRequests('hubspot', 3, 1.5)).toThrow(/429 answers \(hubspot\)/u);
    expect(() => metrics.setInboxDepth(-2)).toThrow(/inbox depth/u);
  });

  it('sets the inbox depth to the latest value', async () => {
    const metrics = createServiceMetrics();
    metrics.setInboxDepth(7);
    metrics.setInboxDepth(3);
    expect(sample(await metrics.registry.metrics(), 'crm_sync_inbox_depth')).toBe(3);
  });

  it('says whether this instance leads, counting each change of role', async () => {
    const metrics = createServiceMetrics();
    let text = await metrics.registry.metrics();
    expect(sample(text, 'crm_sync_leader')).toBe(0);
    expect(sample(text, 'crm_sync_leadership_changes_total')).toBe(0);
    metrics.leadership('standby', false);
    metrics.leadership('leader', true);
    metrics.leadership('standby', true);
    metrics.leadership('leader', true);
    text = await metrics.registry.metrics();
    expect(sample(text, 'crm_sync_leader')).toBe(1);
    expect(sample(text, 'crm_sync_leadership_changes_total')).toBe(3);
  });

  it('computes the seconds since the last success at scrape time, with no sample before the first', async () => {
    let now = new Date('2026-03-29T01:00:00Z');
    const metrics = createServiceMetrics({ now: () => now });
    const before = await metrics.registry.metrics();
    expect(before).toContain('# TYPE crm_sync_seconds_since_last_successful_cycle gauge');
    expect(sample(before, 'crm_sync_seconds_since_last_successful_cycle')).toBeUndefined();

    metrics.cycleSucceededAt(new Date('2026-03-29T00:50:00Z'));
    expect(sample(await metrics.registry.metrics(), 'crm_sync_seconds_since_last_successful_cycle')).toBe(
      600,
    );
    now = new Date('2026-03-29T01:05:30Z');
    expect(sample(await metrics.registry.metrics(), 'crm_sync_seconds_since_last_successful_cycle')).toBe(
      930,
    );
    // An older success reported late does not move it back.
    metrics.cycleSucceededAt(new Date('2026-03-29T00:00:00Z'));
    expect(sample(await metrics.registry.metrics(), 'crm_sync_seconds_since_last_successful_cycle')).toBe(
      930,
    );
  });

  it('puts latencies in buckets from half a second to an hour, by direction', async () => {
    const metrics = createServiceMetrics();
    metrics.observeLatency('hubspot-to-visma-nxt', 0.7);
    metrics.observeLatency('hubspot-to-visma-nxt', 4000);
    metrics.observeLatency('hubspot-to-visma-nxt', -3); // clock skew: counted as 0
    metrics.observeLatency('hubspot-to-visma-nxt', Number.NaN); // ignored
    const text = await metrics.registry.metrics();
    const bucket = (le: string, direction = 'hubspot-to-visma-nxt') =>
      sample(text, 'crm_sync_latency_seconds_bucket', { le, direction });
    expect(bucket('0.5')).toBe(1);
    expect(bucket('1')).toBe(2);
    expect(bucket('3600')).toBe(2);
    expect(bucket('+Inf')).toBe(3);
    expect(sample(text, 'crm_sync_latency_seconds_sum', { direction: 'hubspot-to-visma-nxt' })).toBeCloseTo(
      4000.7,
    );
    expect(bucket('+Inf', 'visma-nxt-to-hubspot')).toBe(0);
  });

  it('reads a finished cycle report: outcome, records, requests, and the success time only when it ran to its end', async () => {
    const now = new Date('2026-10-25T02:00:00Z');
    const metrics = createServiceMetrics({ now: () => now });
    const held = newReport('run-1', 'incremental', false, emptyApiUsage(), '2026-10-25T01:50:00Z');
    held.finishedAt = '2026-10-25T01:55:00Z';
    held.exitCode = 3;
    held.entities.customer.applied['update-crm'] = 4;
    held.entities.customer.applied['create-erp'] = 1;
    held.entities.customer.applied.link = 6; // writes nothing: not counted as synced
    held.entities.customer.applied.skip = 30;
    held.entities.contact.failed = 2;
    held.items.push(
      {
        entity: 'contact',
        outcome: 'skipped',
        system: 'hubspot',
        crmId: '7',
        associateNo: null,
        reason: 'invalid-email',
        message: 'email: not an address',
      },
      {
        entity: 'contact',
        outcome: 'failed',
        system: 'hubspot',
        crmId: '8',
        associateNo: null,
        reason: 'write-failed',
        message: '500',
      },
    );
    held.apiCalls = { hubspot: 9, hubspotRateLimited: 1, vismaNxt: 4, vismaNxtRateLimited: 0 };
    metrics.cycleReported('incremental', held);

    const failed = newReport('run-2', 'full', false, emptyApiUsage(), '2026-10-25T01:56:00Z');
    failed.finishedAt = '2026-10-25T01:58:00Z';
    failed.exitCode = 1;
    metrics.cycleReported('full', failed);
    const stopped = newReport('run-3', 'incremental', false, emptyApiUsage(), '2026-10-25T01:58:00Z');
    stopped.finishedAt = '2026-10-25T01:59:00Z';
    stopped.exitCode = 143;
    stopped.interrupted = 'SIGTERM';
    metrics.cycleReported('incremental', stopped);

    const text = await metrics.registry.metrics();
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'incremental', outcome: 'held' })).toBe(1);
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'full', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'crm_sync_cycles_total', { kind: 'incremental', outcome: 'interrupted' })).toBe(1);
    expect(sample(text, 'crm_sync_records_total', { entity: 'customer', outcome: 'synced' })).toBe(5);
    expect(sample(text, 'crm_sync_records_total', { entity: 'contact', outcome: 'failed' })).toBe(2);
    expect(sample(text, 'crm_sync_records_total', { entity: 'contact', outcome: 'held' })).toBe(1);
    expect(sample(text, 'crm_sync_api_requests_total', { system: 'hubspot' })).toBe(9);
    expect(sample(text, 'crm_sync_api_rate_limited_total', { system: 'hubspot' })).toBe(1);
    expect(sample(text, 'crm_sync_api_requests_total', { system: 'visma-nxt' })).toBe(4);
    // The held cycle (01:55) ran to its end; the failed and the interrupted ones after it did not count.
    expect(sample(text, 'crm_sync_seconds_since_last_successful_cycle')).toBe(300);
  });
});
