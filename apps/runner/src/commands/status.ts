import type { Entity } from '@port-service/mapping';
import { table } from '../output/table.js';
import type { StateStore } from '../state/state-store.js';

export interface StatusSnapshot {
  readonly links: Record<Entity, { active: number; orphaned: number }>;
  readonly watermarks: Record<string, string | null>;
  readonly runs: Awaited<ReturnType<StateStore['runs']>>;
  readonly openConflicts: Awaited<ReturnType<StateStore['conflicts']>>;
  readonly errors: Awaited<ReturnType<StateStore['errors']>>;
  readonly pendingIntents: number;
}

async function countLinks(store: StateStore, entity: Entity) {
  const counts = { active: 0, orphaned: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await store.allLinks(entity, after, 5000);
    if (page.length === 0) return counts;
    for (const link of page) counts[link.status] += 1;
    after = page[page.length - 1]?.crmId ?? null;
  }
}

/** Everything `crm-sync status` shows, read from the state store only (no API calls). */
export async function readStatus(store: StateStore): Promise<StatusSnapshot> {
  const watermarks: Record<string, string | null> = {};
  for (const entity of ['customer', 'contact'])
    for (const side of ['hubspot', 'visma-nxt']) {
      const name = `${entity}.${side}`;
      watermarks[name] = await store.getWatermark(name);
    }
  return {
    links: { customer: await countLinks(store, 'customer'), contact: await countLinks(store, 'contact') },
    watermarks,
    runs: await store.runs(10),
    openConflicts: await store.conflicts('open'),
    errors: await store.errors(),
    pendingIntents: (await store.pendingIntents()).length,
  };
}

export function formatStatus(status: StatusSnapshot): string {
  const lines: string[] = [];
  lines.push(
    `Links: customers ${status.links.customer.active} active, ${status.links.customer.orphaned} orphaned; contacts ${status.links.contact.active} active, ${status.links.contact.orphaned} orphaned`,
  );
  lines.push(
    `Watermarks: ${Object.entries(status.watermarks)
      .map(([name, value]) => `${name} ${value ?? 'none (next run is full)'}`)
      .join('; ')}`,
  );
  if (status.pendingIntents > 0)
    lines.push(
      `Creates left pending by an interrupted cycle: ${status.pendingIntents} (the next run settles them)`,
    );
  lines.push('', 'Last runs:');
  lines.push(
    status.runs.length === 0
      ? '  none yet'
      : table(
          ['started', 'mode', 'exit', 'created', 'updated', 'failed', 'HubSpot calls', 'NXT calls'],
          status.runs.map((run) => {
            const sum = (suffix: string) =>
              Object.entries(run.counts)
                .filter(([key]) => key.endsWith(suffix))
                .reduce((total, [, value]) => total + value, 0);
            return [
              run.startedAt,
              run.mode,
              run.exitCode === null ? 'running or killed' : String(run.exitCode),
              sum('.create-erp') + sum('.create-crm'),
              sum('.update-erp') + sum('.update-crm'),
              sum('.failed'),
              run.apiCalls.hubspot ?? 0,
              run.apiCalls.vismaNxt ?? 0,
            ];
          }),
        ),
  );
  lines.push(
    '',
    `Open conflicts: ${status.openConflicts.length}${status.openConflicts.length > 0 ? ' (crm-sync conflicts list)' : ''}`,
  );
  lines.push(
    `Records with errors: ${new Set(status.errors.map((error) => `${error.entity}:${error.system}:${error.recordId}`)).size}`,
  );
  if (status.errors.length > 0) {
    lines.push(
      table(
        ['entity', 'system', 'record', 'field', 'rule', 'first seen', 'last seen', 'message'],
        status.errors.map((error) => [
          error.entity,
          error.system,
          error.recordId,
          error.field,
          error.rule,
          error.firstSeenAt,
          error.lastSeenAt,
          error.message,
        ]),
      ),
    );
  }
  return lines.join('\n');
}
