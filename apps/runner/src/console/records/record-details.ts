import type { RecordRef } from '../../engine/actions/action-types.js';
import { pairTarget } from '../../engine/actions/candidate-pair.js';
import { auditTarget, type RecordState, readRecordState } from '../../engine/actions/record-state.js';
import type { Conflict, StateStore, StoredAuditEntry } from '../../state/state-store.js';
import { type CandidatePairRef, relatedRecords } from '../attention/held-rows.js';

/** Everything the state says about one record: its link and counterpart, held records, conflicts, audit entries. */
export interface RecordDetails {
  readonly state: RecordState;
  readonly conflicts: readonly Conflict[];
  readonly audit: readonly StoredAuditEntry[];
  /** The candidate pairs its held records name, to link or keep separate. */
  readonly candidates: readonly CandidatePairRef[];
  readonly portalId: number | null;
}

const auditPerTarget = 50;

/** The HubSpot id and associate number of the record and its counterpart (either may be missing). */
function pairIds(state: RecordState): { crmId: string | null; associateNo: number | null } {
  const refs = [state.ref, ...(state.counterpart === null ? [] : [state.counterpart])];
  const crm = refs.find((ref) => ref.system === 'hubspot');
  const erp = refs.find((ref) => ref.system === 'visma-nxt');
  return { crmId: crm?.id ?? null, associateNo: erp === undefined ? null : Number(erp.id) };
}

function candidatesOf(state: RecordState): CandidatePairRef[] {
  const { ref } = state;
  return state.held
    .filter(
      (error) =>
        error.rule.startsWith('candidates') && error.system === ref.system && error.recordId === ref.id,
    )
    .flatMap((error) => relatedRecords(error.related ?? null))
    .filter((other) => other.system !== ref.system)
    .map((other) =>
      ref.system === 'hubspot'
        ? { entity: ref.entity, crmId: ref.id, associateNo: Number(other.id) }
        : { entity: ref.entity, crmId: other.id, associateNo: Number(ref.id) },
    );
}

/** The audit log about the record: its own target, its counterpart's, its pair's (links, candidates), its conflicts'. */
async function auditAbout(
  store: StateStore,
  state: RecordState,
  conflicts: readonly Conflict[],
  candidates: readonly CandidatePairRef[],
) {
  const { crmId, associateNo } = pairIds(state);
  const targets = new Set<string>([auditTarget(state.ref), ...conflicts.map((conflict) => conflict.id)]);
  if (state.counterpart !== null) targets.add(auditTarget(state.counterpart));
  if (crmId !== null && associateNo !== null)
    targets.add(pairTarget({ entity: state.ref.entity, crmId, associateNo }));
  for (const pair of candidates) targets.add(pairTarget(pair));
  const entries = (
    await Promise.all([...targets].map((target) => store.auditLog({ target, limit: auditPerTarget })))
  ).flat();
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

export async function recordDetails(store: StateStore, ref: RecordRef): Promise<RecordDetails> {
  const state = await readRecordState(store, ref);
  const { crmId, associateNo } = pairIds(state);
  const conflicts = (await store.conflicts('all')).filter(
    (conflict) =>
      conflict.entity === ref.entity && (conflict.crmId === crmId || conflict.associateNo === associateNo),
  );
  const candidates = candidatesOf(state);
  return {
    state,
    conflicts,
    audit: await auditAbout(store, state, conflicts, candidates),
    candidates,
    portalId: (await store.binding())?.hubspotPortalId ?? null,
  };
}
