import type { Entity } from '@port-service/mapping';
import type { RecordRef } from '../../engine/actions/action-types.js';
import type { StateStore } from '../../state/state-store.js';
import { relatedRecords } from '../attention/held-rows.js';

export type KnownBy = 'link' | 'held' | 'conflict' | 'excluded';

/** A record the state knows by the id searched for, and how it knows it. */
export interface FoundRecord {
  readonly ref: RecordRef;
  readonly knownBy: ReadonlySet<KnownBy>;
}

type Query = { readonly systems: readonly RecordRef['system'][]; readonly id: string; readonly text: string };
type Hit = readonly [RecordRef, KnownBy];

const entities: readonly Entity[] = ['customer', 'contact'];

/** `hubspot 123`, `visma-nxt 7`, or a bare id (or a conflict's id): the systems to look in and the id. */
export function parseQuery(text: string): Query {
  const [first = '', second] = text.trim().split(/\s+/u);
  if ((first === 'hubspot' || first === 'visma-nxt') && second !== undefined)
    return { systems: [first], id: second, text: text.trim() };
  return { systems: ['hubspot', 'visma-nxt'], id: first, text: text.trim() };
}

const wanted = (query: Query, system: string, id: string) =>
  (query.systems as readonly string[]).includes(system) && id === query.id;

async function linkHits(store: StateStore, query: Query): Promise<Hit[]> {
  if (!/^\d+$/u.test(query.id)) return [];
  const hits: Hit[] = [];
  for (const entity of entities) {
    if (query.systems.includes('hubspot'))
      for (const link of await store.linksByCrmIds(entity, [query.id]))
        hits.push([{ entity, system: 'hubspot', id: link.crmId }, 'link']);
    if (query.systems.includes('visma-nxt'))
      for (const link of await store.linksByAssociateNos(entity, [Number(query.id)]))
        hits.push([{ entity, system: 'visma-nxt', id: String(link.associateNo) }, 'link']);
  }
  return hits;
}

async function heldHits(store: StateStore, query: Query): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const error of await store.errors()) {
    const own = { system: error.system, id: error.recordId };
    for (const record of [own, ...relatedRecords(error.related ?? null)])
      if (
        (record.system === 'hubspot' || record.system === 'visma-nxt') &&
        wanted(query, record.system, record.id)
      )
        hits.push([{ entity: error.entity, system: record.system, id: record.id }, 'held']);
  }
  return hits;
}

async function conflictHits(store: StateStore, query: Query): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const conflict of await store.conflicts('all')) {
    const { entity } = conflict;
    if (conflict.id === query.text || wanted(query, 'hubspot', conflict.crmId))
      hits.push([{ entity, system: 'hubspot', id: conflict.crmId }, 'conflict']);
    if (wanted(query, 'visma-nxt', String(conflict.associateNo)))
      hits.push([{ entity, system: 'visma-nxt', id: String(conflict.associateNo) }, 'conflict']);
  }
  return hits;
}

async function exclusionHits(store: StateStore, query: Query): Promise<Hit[]> {
  return (await store.exclusions())
    .filter((exclusion) => wanted(query, exclusion.system, exclusion.recordId))
    .map((exclusion) => [
      { entity: exclusion.entity, system: exclusion.system, id: exclusion.recordId },
      'excluded',
    ]);
}

/**
 * The records the state knows by a HubSpot id or a Business NXT associate number: their links, held records,
 * conflicts and exclusions (or by a conflict's id). The state keeps no names, emails or org numbers, so those
 * cannot be searched here.
 */
export async function searchRecords(store: StateStore, text: string): Promise<FoundRecord[]> {
  const query = parseQuery(text);
  if (query.id === '') return [];
  const hits = [
    ...(await linkHits(store, query)),
    ...(await heldHits(store, query)),
    ...(await conflictHits(store, query)),
    ...(await exclusionHits(store, query)),
  ];
  const found = new Map<string, { ref: RecordRef; knownBy: Set<KnownBy> }>();
  for (const [ref, how] of hits) {
    const key = `${ref.entity} ${ref.system} ${ref.id}`;
    const entry = found.get(key) ?? { ref, knownBy: new Set<KnownBy>() };
    entry.knownBy.add(how);
    found.set(key, entry);
  }
  return [...found.values()];
}
