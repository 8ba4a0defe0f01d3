import type { StateBinding, StateStore } from '../state/state-store.js';

/**
 * The state's binding (the HubSpot account and Business NXT company) as the webhook receivers check it, read at
 * most once every `maxAgeMs`: a burst of deliveries, each checked against it, costs one read, not one each. A
 * failed read is not kept, so the next delivery tries again.
 */
export function recentBinding(store: Pick<StateStore, 'binding'>, maxAgeMs = 1000) {
  let cached: { readonly at: number; readonly value: Promise<StateBinding | null> } | null = null;
  return (): Promise<StateBinding | null> => {
    const at = performance.now();
    if (cached !== null && at - cached.at < maxAgeMs) return cached.value;
    const value = store.binding();
    cached = { at, value };
    value.catch(() => {
      cached = null;
    });
    return value;
  };
}
