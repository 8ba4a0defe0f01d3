import type { HubSpotObjectInput } from '../sources/hubspot.js';
import { indexLinks, type LinkIndex, type LinkState, type PlanContext } from './context.js';
import type { Entity } from './operations.js';

/** What the planner needs of a HubSpot record to read the decisions it carries. */
export interface ClaimingRecord {
  readonly crmId: string;
  readonly archived: boolean;
  /** The ERP actor number the sync wrote to the record (`visma_actor_no`), if any. */
  readonly erpActorNo: number | null;
  /** For the survivor of a HubSpot merge: the actor numbers its property history holds besides its own. */
  readonly mergedErpActorNos: readonly number[];
}

export interface LinkDecisionsInput {
  readonly entity: Entity;
  readonly links: readonly LinkState[];
  readonly records: readonly ClaimingRecord[];
  /** Associate numbers of the Business NXT rows in view. */
  readonly associateNos: ReadonlySet<number>;
  /** Associate numbers looked up and not found: deleted in Business NXT. */
  readonly missingAssociateNos: ReadonlySet<number>;
}

/**
 * The links to plan with, after the decisions people made in the systems themselves (docs/DESIGN.md §4,
 * "decisions survive a lost state store"): what was archived, deleted or restored is read from HubSpot and
 * Business NXT, so a state store rebuilt by `relink` never brings back what people removed.
 *
 * - An unlinked HubSpot record that is archived and carries the actor number of a Business NXT row in view was
 *   archived on purpose: an orphaned link, and the row is not created in HubSpot again.
 * - An unlinked live HubSpot record whose actor number Business NXT no longer has was linked to a row that was
 *   deleted: an orphaned link, and the record is not created in Business NXT again.
 * - A link orphaned because its HubSpot record was archived, whose record is live again (restored in HubSpot) and
 *   whose row is still there: active again, and the pair syncs as before.
 */
export function linksWithDecisions(
  context: PlanContext,
  input: LinkDecisionsInput,
): { links: LinkState[]; held: Set<number> } {
  const byCrm = new Map(input.links.map((link) => [link.crmId, link]));
  const linkedNos = new Set(input.links.map((link) => link.associateNo));
  const records = new Map(input.records.map((record) => [record.crmId, record]));
  const decided: LinkState[] = [];
  for (const link of input.links) {
    const record = records.get(link.crmId);
    const restored =
      link.status === 'orphaned' &&
      link.statusReason === 'archived-in-hubspot' &&
      record !== undefined &&
      !record.archived &&
      input.associateNos.has(link.associateNo) &&
      !input.missingAssociateNos.has(link.associateNo);
    if (!restored) {
      decided.push(link);
      continue;
    }
    context.operations.push({
      id: `${input.entity}:restore:${link.crmId}`,
      entity: input.entity,
      kind: 'restore',
      crmId: link.crmId,
      associateNo: link.associateNo,
      reason: 'restored-in-hubspot',
    });
    decided.push({ ...link, status: 'active', statusReason: null });
  }
  for (const record of input.records) {
    const associateNo = record.erpActorNo;
    if (associateNo === null || byCrm.has(record.crmId) || linkedNos.has(associateNo)) continue;
    const archived = record.archived && input.associateNos.has(associateNo);
    const deleted = !record.archived && input.missingAssociateNos.has(associateNo);
    if (!archived && !deleted) continue;
    const reason = archived ? 'archived-in-hubspot' : 'deleted-in-business-nxt';
    context.operations.push({
      id: `${input.entity}:orphan:${record.crmId}`,
      entity: input.entity,
      kind: 'orphan',
      crmId: record.crmId,
      associateNo,
      side: archived ? 'crm' : 'erp',
      reason,
    });
    linkedNos.add(associateNo);
    decided.push({
      crmId: record.crmId,
      associateNo,
      fingerprints: {},
      status: 'orphaned',
      statusReason: reason,
    });
  }
  return { links: decided, held: heldByMerges(context, input, linkedNos) };
}

/**
 * A Business NXT row whose actor number was on a record HubSpot merged away (the survivor's history keeps it) was
 * linked to that record: it is not created in HubSpot again, and is held for a person, naming the survivor.
 */
function heldByMerges(
  context: PlanContext,
  input: LinkDecisionsInput,
  linkedNos: ReadonlySet<number>,
): Set<number> {
  const held = new Set<number>();
  for (const record of input.records) {
    if (record.archived) continue;
    for (const associateNo of record.mergedErpActorNos) {
      if (associateNo === record.erpActorNo || linkedNos.has(associateNo) || held.has(associateNo)) continue;
      if (!input.associateNos.has(associateNo)) continue;
      held.add(associateNo);
      context.operations.push({
        id: `${input.entity}:skip:visma-nxt:${associateNo}`,
        entity: input.entity,
        kind: 'skip',
        system: 'visma-nxt',
        recordId: String(associateNo),
        reason: 'merged-in-hubspot',
        message: `its HubSpot record was merged into ${record.crmId}, which is linked to actor ${record.erpActorNo ?? 'none'}: merge the two in Business NXT too, or set ${context.policy.hubspotProperties.erpActorNo} on a HubSpot record for it`,
        issues: [],
        related: [{ system: 'hubspot', recordId: record.crmId }],
      });
    }
  }
  return held;
}

/** A planner's records as `linksWithDecisions` reads them, indexed with the decisions applied. */
export function decidedLinkIndex(
  context: PlanContext,
  entity: Entity,
  input: { readonly links: readonly LinkState[]; readonly missingAssociateNos: ReadonlySet<number> },
  crm: Iterable<{
    readonly input: HubSpotObjectInput;
    readonly mapped: { readonly record: { readonly erpActorNo: number | null } };
  }>,
  associateNos: Iterable<number>,
): LinkIndex {
  const actorProperty = context.policy.hubspotProperties.erpActorNo;
  const decided = linksWithDecisions(context, {
    entity,
    links: input.links,
    records: [...crm].map(({ input: record, mapped }) => ({
      crmId: record.id,
      archived: record.archived === true,
      erpActorNo: mapped.record.erpActorNo,
      mergedErpActorNos: mergedActorNumbers(record, actorProperty),
    })),
    associateNos: new Set(associateNos),
    missingAssociateNos: input.missingAssociateNos,
  });
  return indexLinks(decided.links, decided.held);
}

/** The actor numbers a merge survivor's history holds (`visma_actor_no` values of both merged records). */
export function mergedActorNumbers(record: HubSpotObjectInput, actorProperty: string): number[] {
  if ((record.properties.hs_merged_object_ids ?? '').trim() === '') return [];
  return (record.propertyHistory?.[actorProperty] ?? [])
    .map(Number)
    .filter((value) => Number.isInteger(value) && value > 0);
}
