import type { Run } from '../src/state/state-store.js';
import type { ServiceWorld } from './service-world.js';
import { pause } from './simulator-edits.js';

/** Requests the simulators served (their own count, not the sync's), 429 answers included. */
export interface ServedRequests {
  readonly hubspot: number;
  readonly visma: number;
  readonly hubspotRateLimited: number;
  readonly vismaRateLimited: number;
  /** The service's own count (`crm_sync_api_requests_total`, both systems), for a cross-check. */
  readonly serviceCounted: number;
}

export async function servedRequests({ simulators, service }: ServiceWorld): Promise<ServedRequests> {
  const counted = await service.metrics.registry.getSingleMetric('crm_sync_api_requests_total')?.get();
  return {
    ...(await simulators.stats()),
    serviceCounted: (counted?.values ?? []).reduce((sum, sample) => sum + sample.value, 0),
  };
}

export function servedBetween(before: ServedRequests, after: ServedRequests): ServedRequests {
  return {
    hubspot: after.hubspot - before.hubspot,
    visma: after.visma - before.visma,
    hubspotRateLimited: after.hubspotRateLimited - before.hubspotRateLimited,
    vismaRateLimited: after.vismaRateLimited - before.vismaRateLimited,
    serviceCounted: after.serviceCounted - before.serviceCounted,
  };
}

/**
 * Waits until the inbox is empty and neither simulator served a request for `quietMs`: the echoes of the sync's
 * own writes have come back and settled. Throws after `timeoutMs`, naming what was still going on.
 */
export async function quiet(serviceWorld: ServiceWorld, quietMs = 2000, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await servedRequests(serviceWorld);
  let since = Date.now();
  for (;;) {
    await pause(100);
    const now = await servedRequests(serviceWorld);
    const depth = await serviceWorld.runtime.store.inboxDepth();
    if (now.hubspot !== last.hubspot || now.visma !== last.visma || depth > 0) since = Date.now();
    last = now;
    if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline)
      throw new Error(
        `the service did not go quiet within ${timeoutMs / 1000} s: ${depth} events in the inbox`,
      );
  }
}

/** The service's runs that started at or after `from` (epoch ms), oldest first. */
export async function runsSince(serviceWorld: ServiceWorld, from: number): Promise<Run[]> {
  const runs = await serviceWorld.runtime.store.runs(5000);
  return runs
    .filter((run) => Date.parse(run.startedAt) >= from)
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
}
