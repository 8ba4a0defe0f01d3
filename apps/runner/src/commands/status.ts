import type { Entity } from '@port-service/mapping';
import { table } from '../output/table.js';
import type { StateStore, StoredLink } from '../state/state-store.js';

/**
 * A record that needs a person, listed for as long as its cause exists (docs/DESIGN.md §4, "held records are state"):
 * invalid data, candidates, shared emails, records whose customer is not synced, failed writes, and links with one
 * side archived or deleted.
 */
export interface HeldRecord {
  readonly entity: Entity;
  readonly reason: string;
  readonly system: string;
  readonly recordId: string;
  readonly field: string;
  /** The other record(s) involved, as `system id`. */
  readonly related: string | null;
  /** Where a person fixes the cause. */
  readonly fixIn: string | null;
  readonly since: string;
  readonly lastSeenAt: string;
  readonly message: string;
}

export interface StatusSnapshot {
  readonly links: Record<Entity, { active: number; orphaned: number }>;
  readonly held: readonly HeldRecord[];
  readonly watermarks: Record<string, string | null>;
  readonly runs: Awaited<ReturnType<StateStore['runs']>>;
  readonly openConflicts: Awaited<ReturnType<StateStore['conflicts']>>;
  readonly errors: Awaited<ReturnType<StateStore['errors']>>;
  readonly pendingIntents: number;
}

async function readLinks(store: StateStore, entity: Entity) {
  const counts = { active: 0, orphaned: 0 };
  const orphans: HeldRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await store.allLinks(entity, after, 5000);
    if (page.length === 0) return { counts, orphans };
    for (const link of page) {
      counts[link.status] += 1;
      if (link.status === 'orphaned') orphans.push(orphanHeld(entity, link));
    }
    after = page[page.length - 1]?.crmId ?? null;
  }
}

/** A link with one side gone: the other side is kept and no longer synced, until a person decides. */
function orphanHeld(entity: Entity, link: StoredLink): HeldRecord {
  const archived = link.statusReason === 'archived-in-hubspot';
  return {
    entity,
    reason: link.statusReason ?? 'orphaned',
    system: archived ? 'visma-nxt' : 'hubspot',
    recordId: archived ? String(link.associateNo) : link.crmId,
    field: '*',
    related: archived ? `hubspot ${link.crmId}` : `visma-nxt ${link.associateNo}`,
    fixIn: archived ? 'visma-nxt' : 'hubspot',
    since: link.updatedAt,
    lastSeenAt: link.updatedAt,
    message: archived
      ? `archived in HubSpot (${link.crmId}): kept in Business NXT and no longer synced; remove it there too, or restore the HubSpot record to sync it again`
      : `deleted in Business NXT (actor ${link.associateNo}): kept in HubSpot and no longer synced; archive it there too if it should go`,
  };
}

function errorHeld(error: Awaited<ReturnType<StateStore['errors']>>[number]): HeldRecord {
  return {
    entity: error.entity,
    reason: error.rule,
    system: error.system,
    recordId: error.recordId,
    field: error.field,
    related: error.related ?? null,
    fixIn: error.fixIn ?? null,
    since: error.firstSeenAt,
    lastSeenAt: error.lastSeenAt,
    message: error.message,
  };
}

/** Everything `crm-sync status` shows, read from the state store only (no API calls). */
export async function readStatus(store: StateStore): Promise<StatusSnapshot> {
  const watermarks: Record<string, string | null> = {};
  for (const entity of ['customer', 'contact'])
    for (const side of ['hubspot', 'visma-nxt']) {
      const name = `${entity}.${side}`;
      watermarks[name] = await store.getWatermark(name);
    }
  const customers = await readLinks(store, 'customer');
  const contacts = await readLinks(store, 'contact');
  const errors = await store.errors();
  return {
    links: { customer: customers.counts, contact: contacts.counts },
    held: [...errors.map(errorHeld), ...customers.orphans, ...contacts.orphans],
    watermarks,
    runs: await store.runs(10),
    openConflicts: await store.conflicts('open'),
    errors,
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
          status.runs.map((run, index) => {
            const sum = (suffix: string) =>
              Object.entries(run.counts)
                .filter(([key]) => key.endsWith(suffix))
                .reduce((total, [, value]) => total + value, 0);
            return [
              run.startedAt,
              run.mode,
              runOutcome(run.exitCode, index > 0),
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
  const records = new Set(status.held.map((held) => `${held.entity}:${held.system}:${held.recordId}`));
  lines.push(`Records that need a person: ${records.size}`);
  if (status.held.length > 0) {
    lines.push(
      table(
        ['entity', 'reason', 'record', 'field', 'other', 'fix in', 'since', 'message'],
        status.held.map((held) => [
          held.entity,
          held.reason,
          `${held.system} ${held.recordId}`,
          held.field,
          held.related ?? '',
          held.fixIn ?? '',
          held.since,
          held.message,
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/**
 * A run's exit as `status` shows it. A run without an exit code never finished: killed, when a later run started
 * (the lock was free again), else running now or killed.
 */
function runOutcome(exitCode: number | null, laterRunStarted: boolean): string {
  if (exitCode === null) return laterRunStarted ? 'killed' : 'running or killed';
  if (exitCode === 130) return '130 interrupted (SIGINT)';
  if (exitCode === 143) return '143 interrupted (SIGTERM)';
  return String(exitCode);
}
