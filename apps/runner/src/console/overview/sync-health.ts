import type { Entity } from '@port-service/mapping';
import type { RecordError, StateStore } from '../../state/state-store.js';

/**
 * One entity's sync health, as HubSpot's Sync Health shows it: links in sync, records held for a person, records
 * failing. Counted from the state only (links and held records): no API calls.
 */
export interface EntityHealth {
  readonly entity: Entity;
  /** Active links neither of whose records is held. */
  readonly inSync: number;
  /** Records held for a person: invalid data, candidates, shared emails, … and links with one side gone. */
  readonly held: number;
  /** Records whose read or write failed (retried every cycle). */
  readonly failing: number;
  /** Records an operator left out of the sync. */
  readonly excluded: number;
  readonly activeLinks: number;
  readonly orphanedLinks: number;
}

/** The rules of records whose read or write failed: what "failing" counts. */
export const failingRules: ReadonlySet<string> = new Set(['write-failed', 'read-failed']);

const recordKey = (system: string, id: string | number) => `${system} ${id}`;

/** The rules each held record of the entity is held for, by `system id`. */
function heldRecords(errors: readonly RecordError[], entity: Entity): Map<string, Set<string>> {
  const held = new Map<string, Set<string>>();
  for (const error of errors) {
    if (error.entity !== entity) continue;
    const key = recordKey(error.system, error.recordId);
    const rules = held.get(key) ?? new Set<string>();
    rules.add(error.rule);
    held.set(key, rules);
  }
  return held;
}

/** What a held record counts as: failing when a read or write failed, else excluded, else held for a person. */
function classify(rules: ReadonlySet<string>): 'failing' | 'excluded' | 'held' {
  if ([...rules].some((rule) => failingRules.has(rule))) return 'failing';
  return rules.has('excluded') ? 'excluded' : 'held';
}

const pageSize = 5000;

/** Counts the entity's links page by page: active ones without a held record on either side are in sync. */
export async function entityHealth(
  store: Pick<StateStore, 'allLinks'>,
  errors: readonly RecordError[],
  entity: Entity,
): Promise<EntityHealth> {
  const held = heldRecords(errors, entity);
  let inSync = 0;
  let activeLinks = 0;
  let orphanedLinks = 0;
  for (let after: string | null = null; ; ) {
    const links = await store.allLinks(entity, after, pageSize);
    for (const link of links) {
      if (link.status === 'orphaned') orphanedLinks += 1;
      else activeLinks += 1;
      const clean =
        !held.has(recordKey('hubspot', link.crmId)) && !held.has(recordKey('visma-nxt', link.associateNo));
      if (link.status === 'active' && clean) inSync += 1;
    }
    if (links.length < pageSize) break;
    after = links[links.length - 1]?.crmId ?? null;
  }
  const counts = { held: orphanedLinks, failing: 0, excluded: 0 };
  for (const rules of held.values()) counts[classify(rules)] += 1;
  return { entity, inSync, ...counts, activeLinks, orphanedLinks };
}
