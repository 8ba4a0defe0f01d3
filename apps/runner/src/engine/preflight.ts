import { syncPropertySpecs } from '@port-service/hubspot';
import type { SyncPolicy } from '@port-service/mapping';
import { type CycleError, fromHubSpot } from './cycle-error.js';
import type { SyncClients } from './sync-clients.js';

/**
 * What must hold before a cycle reads or writes a record: the HubSpot properties the sync writes exist. Without
 * them every write would fail, record by record, with the same cause; instead the cycle fails once and says how
 * to fix it. Two requests (one per object type).
 */
export async function checkSyncProperties(
  clients: SyncClients,
  policy: SyncPolicy,
): Promise<CycleError | null> {
  const specs = syncPropertySpecs(policy.hubspotProperties);
  const missing: string[] = [];
  for (const type of ['companies', 'contacts'] as const) {
    const listed = await clients.hubspot.properties.list(type);
    if (listed.isErr()) return fromHubSpot(listed.error, `reading the ${type} properties`);
    const names = new Set(listed.value.map((property) => property.name));
    for (const spec of specs[type]) if (!names.has(spec.name)) missing.push(`${type}.${spec.name}`);
  }
  if (missing.length === 0) return null;
  return {
    side: 'hubspot',
    kind: 'config',
    message: `HubSpot has no property ${missing.join(', ')}, which the sync writes: run \`crm-sync setup\` once (it creates them), then run again`,
    fatal: true,
  };
}
