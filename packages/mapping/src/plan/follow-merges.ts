import type { HubSpotObjectInput } from '../sources/hubspot.js';
import { byNumericId, type LinkIndex, type LinkState, type PlanContext } from './context.js';
import type { Entity } from './operations.js';

/** The ids a HubSpot merge folded into a record (`hs_merged_object_ids`, "123;456"), never its own id. */
export function mergedIds(record: HubSpotObjectInput): string[] {
  const ids = (record.properties.hs_merged_object_ids ?? '')
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '' && id !== record.id);
  return [...new Set(ids)];
}

/**
 * HubSpot merges, for companies and contacts alike. A merge leaves one live record (today one with a new id,
 * formerly the primary keeping its id) whose `hs_merged_object_ids` names the records merged into it.
 * - The links of merged-away records move to that survivor (`relink`), so it is planned as a linked pair and never
 *   created again.
 * - If those records (and the survivor's own link) point at different Business NXT records, the merge joined
 *   two people or customers: one `conflict`, no relink, and the survivor is held (returned) so that nothing is
 *   matched, created or written for it until a person sorts it out.
 * The links in `links` are updated in place. Returns the ids of the held survivors.
 */
export function followMerges(
  context: PlanContext,
  entity: Entity,
  records: readonly HubSpotObjectInput[],
  links: LinkIndex,
): ReadonlySet<string> {
  const held = new Set<string>();
  const survivors = records
    .filter((record) => record.archived !== true && mergedIds(record).length > 0)
    .sort((a, b) => byNumericId(a.id, b.id));
  for (const survivor of survivors) {
    const loserLinks = mergedIds(survivor).flatMap((id) => links.byCrm.get(id) ?? []);
    if (loserLinks.length === 0) continue;
    const own = links.byCrm.get(survivor.id);
    const associateNos = [...new Set([...loserLinks, ...(own ? [own] : [])].map((link) => link.associateNo))];
    if (associateNos.length > 1) {
      held.add(survivor.id);
      pushConflict(context, entity, survivor.id, associateNos);
      continue;
    }
    for (const loser of loserLinks) relink(context, entity, links, loser, survivor.id);
  }
  return held;
}

function pushConflict(
  context: PlanContext,
  entity: Entity,
  survivorId: string,
  associateNos: readonly number[],
): void {
  const sorted = [...associateNos].sort((a, b) => a - b);
  context.operations.push({
    id: `${entity}:conflict:${survivorId}:merge`,
    entity,
    kind: 'conflict',
    crmId: survivorId,
    associateNo: sorted[0] ?? 0,
    field: 'link',
    crmValue: survivorId,
    erpValue: sorted.join(' / '),
    reason: 'merged-records-linked-differently',
    base: undefined,
  });
}

function relink(
  context: PlanContext,
  entity: Entity,
  links: LinkIndex,
  loser: LinkState,
  survivorId: string,
): void {
  links.byCrm.delete(loser.crmId);
  // A survivor linked already (to the same record) keeps its own link and fingerprints.
  if (!links.byCrm.has(survivorId)) {
    const moved: LinkState = { ...loser, crmId: survivorId };
    links.byCrm.set(survivorId, moved);
    links.byErp.set(moved.associateNo, moved);
  }
  context.operations.push({
    id: `${entity}:relink:${loser.crmId}`,
    entity,
    kind: 'relink',
    fromCrmId: loser.crmId,
    toCrmId: survivorId,
    associateNo: loser.associateNo,
    reason: 'hubspot-merge',
  });
}
