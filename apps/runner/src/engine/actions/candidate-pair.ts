import type { Entity } from '@port-service/mapping';
import type { RecordError, StateStore } from '../../state/state-store.js';
import type { RecordRef } from './action-types.js';
import { recordLabel } from './record-labels.js';
import { readRecordState } from './record-state.js';
import { excludedRefusal } from './record-words.js';

/** A HubSpot record and a Business NXT row a cycle reported as candidates of each other. */
export interface CandidatePair {
  readonly entity: Entity;
  readonly crmId: string;
  readonly associateNo: number;
  /** What each of them is held for now (their candidates, among others). */
  readonly held: readonly RecordError[];
}

const isCandidates = (error: RecordError) => error.rule.startsWith('candidates');
const relatedOf = (error: RecordError) => (error.related ?? '').split(',').map((entry) => entry.trim());

/** Whether a held record names the other as its candidate (`related`: `visma-nxt 7, visma-nxt 8`). */
function names(error: RecordError, crmId: string, associateNo: number): boolean {
  if (!isCandidates(error)) return false;
  if (error.system === 'hubspot' && error.recordId === crmId)
    return relatedOf(error).includes(`visma-nxt ${associateNo}`);
  if (error.system === 'visma-nxt' && error.recordId === String(associateNo))
    return relatedOf(error).includes(`hubspot ${crmId}`);
  return false;
}

/** Whether a held record is one of the two: the HubSpot record or the Business NXT row. */
const isOfPair = (error: RecordError, crmId: string, associateNo: number) =>
  (error.system === 'hubspot' && error.recordId === crmId) ||
  (error.system === 'visma-nxt' && error.recordId === String(associateNo));

/** The candidates reported for either record, for a refusal that says what the pairs are. */
function reportedFor(errors: readonly RecordError[], crmId: string, associateNo: number): string {
  const own = errors.filter((error) => isCandidates(error) && isOfPair(error, crmId, associateNo));
  if (own.length === 0) return 'neither is held as a candidate';
  return own.map((error) => `${error.system} ${error.recordId} has ${error.related ?? 'none'}`).join('; ');
}

/** Why one of the two cannot be paired: linked already (to anything), or excluded; `null` when neither. */
async function standsInTheWay(store: StateStore, ref: RecordRef): Promise<string | null> {
  const state = await readRecordState(store, ref);
  const label = `${recordLabel(ref.entity, ref.system)} ${ref.id}`;
  if (state.link !== undefined && state.counterpart !== null)
    return `${label} is linked already, to ${recordLabel(ref.entity, state.counterpart.system)} ${state.counterpart.id}${state.link.status === 'orphaned' ? ' (orphaned)' : ''}`;
  const excluded = excludedRefusal(state);
  return excluded === null ? null : `${label}: ${excluded}`;
}

const refsOf = (entity: Entity, crmId: string, associateNo: number): RecordRef[] => [
  { entity, system: 'hubspot', id: crmId },
  { entity, system: 'visma-nxt', id: String(associateNo) },
];

/**
 * The pair, when a cycle reported the two as candidates (held, `crm-sync status`) and neither is linked or
 * excluded; else what stands in the way, in words. Read again under the lock before the action writes.
 */
export async function candidatePair(
  store: StateStore,
  crmId: string,
  associateNo: number,
): Promise<{ ok: true; pair: CandidatePair } | { ok: false; message: string }> {
  const errors = await store.errors();
  const reported = errors.find((error) => names(error, crmId, associateNo));
  // Linked already is said first, whichever entity: a linked record is nobody's candidate any more.
  for (const entity of reported === undefined ? (['customer', 'contact'] as const) : [reported.entity])
    for (const ref of refsOf(entity, crmId, associateNo)) {
      const problem = await standsInTheWay(store, ref);
      if (problem !== null) return { ok: false, message: problem };
    }
  if (reported === undefined)
    return {
      ok: false,
      message: `HubSpot ${crmId} and Business NXT ${associateNo} are not a candidate pair a cycle reported (${reportedFor(errors, crmId, associateNo)}): see \`crm-sync status\`, where candidates name the other record`,
    };
  const { entity } = reported;
  const held = errors.filter((error) => error.entity === entity && isOfPair(error, crmId, associateNo));
  return { ok: true, pair: { entity, crmId, associateNo, held } };
}

/** The pair's two records as a targeted sync takes them. */
export function pairTargets(pair: CandidatePair) {
  return {
    crmIds: {
      customer: pair.entity === 'customer' ? [pair.crmId] : [],
      contact: pair.entity === 'contact' ? [pair.crmId] : [],
    },
    associateNos: [pair.associateNo],
  };
}

/** How the audit log names a pair: `customer hubspot 123 visma-nxt 7`. */
export function pairTarget(pair: Pick<CandidatePair, 'entity' | 'crmId' | 'associateNo'>): string {
  return `${pair.entity} hubspot ${pair.crmId} visma-nxt ${pair.associateNo}`;
}

/** The pair's state as the audit log keeps it. */
export async function auditedPair(store: StateStore, pair: CandidatePair): Promise<Record<string, unknown>> {
  const [link] = await store.linksByCrmIds(pair.entity, [pair.crmId]);
  const separated = (await store.separatedPairs(pair.entity)).some(
    (candidate) => candidate.crmId === pair.crmId && candidate.associateNo === pair.associateNo,
  );
  const held = (await store.errors()).filter(
    (error) => error.entity === pair.entity && isOfPair(error, pair.crmId, pair.associateNo),
  );
  return {
    link:
      link === undefined ? null : { crmId: link.crmId, associateNo: link.associateNo, status: link.status },
    separated,
    held: held.map((error) => ({
      record: `${error.system} ${error.recordId}`,
      field: error.field,
      rule: error.rule,
      message: error.message,
      related: error.related ?? null,
    })),
  };
}
