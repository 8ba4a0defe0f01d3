import type { Entity } from '@port-service/mapping';
import type { HeldRecord } from '../../commands/status.js';
import type { StateStore, StoredLink } from '../../state/state-store.js';

/** A candidate pair a held record names: a HubSpot record and a Business NXT row that may be the same. */
export interface CandidatePairRef {
  readonly entity: Entity;
  readonly crmId: string;
  readonly associateNo: number;
}

/** A held record as the attention page lists it: with both ids, its own and its counterpart's when it has one. */
export interface HeldRow extends HeldRecord {
  readonly system: 'hubspot' | 'visma-nxt';
  readonly hubspotId: string | null;
  readonly associateNo: number | null;
  /** For a candidates rule: the pairs to link or keep separate. */
  readonly candidates: readonly CandidatePairRef[];
}

/** `hubspot 12, visma-nxt 7` → the records it names. */
export function relatedRecords(related: string | null): Array<{ system: string; id: string }> {
  return (related ?? '')
    .split(',')
    .map((entry) => entry.trim().split(' '))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[1] !== '')
    .map(([system, id]) => ({ system, id }));
}

type LinkIndex = ReadonlyMap<string, StoredLink>;

/** The links of the held records, by `entity system id`, read with one query per entity and system. */
async function linksOf(store: StateStore, held: readonly HeldRecord[]): Promise<LinkIndex> {
  const index = new Map<string, StoredLink>();
  for (const entity of ['customer', 'contact'] as const) {
    const ofEntity = held.filter((record) => record.entity === entity);
    const crmIds = ofEntity.filter((record) => record.system === 'hubspot').map((record) => record.recordId);
    const associateNos = ofEntity
      .filter((record) => record.system === 'visma-nxt')
      .map((record) => Number(record.recordId));
    for (const link of crmIds.length === 0 ? [] : await store.linksByCrmIds(entity, crmIds))
      index.set(`${entity} hubspot ${link.crmId}`, link);
    for (const link of associateNos.length === 0 ? [] : await store.linksByAssociateNos(entity, associateNos))
      index.set(`${entity} visma-nxt ${link.associateNo}`, link);
  }
  return index;
}

function rowOf(record: HeldRecord, links: LinkIndex): HeldRow {
  const system = record.system === 'hubspot' ? 'hubspot' : 'visma-nxt';
  const link = links.get(`${record.entity} ${system} ${record.recordId}`);
  const others = relatedRecords(record.related);
  const other = (wanted: string) =>
    others.length === 1 && others[0]?.system === wanted ? others[0].id : null;
  const isCandidates = record.reason.startsWith('candidates');
  const candidates = isCandidates
    ? others
        .filter((entry) => entry.system !== system)
        .map((entry) =>
          system === 'hubspot'
            ? { entity: record.entity, crmId: record.recordId, associateNo: Number(entry.id) }
            : { entity: record.entity, crmId: entry.id, associateNo: Number(record.recordId) },
        )
    : [];
  const hubspotId =
    system === 'hubspot' ? record.recordId : (link?.crmId ?? (isCandidates ? null : other('hubspot')));
  const erpId =
    system === 'visma-nxt'
      ? record.recordId
      : (link?.associateNo ?? (isCandidates ? null : other('visma-nxt')));
  return {
    ...record,
    system,
    hubspotId,
    associateNo: erpId === null ? null : Number(erpId),
    candidates,
  };
}

/** Every held record, with both ids, grouped by rule (`reason`). */
export async function heldRows(
  store: StateStore,
  held: readonly HeldRecord[],
): Promise<Map<string, HeldRow[]>> {
  const links = await linksOf(store, held);
  const groups = new Map<string, HeldRow[]>();
  for (const record of held) {
    const group = groups.get(record.reason) ?? [];
    group.push(rowOf(record, links));
    groups.set(record.reason, group);
  }
  return groups;
}
