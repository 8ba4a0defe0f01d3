import type { Exclusion, RecordError, StateStore, StoredLink } from '../../state/state-store.js';
import type { RecordRef } from './action-types.js';

/** What the state says about a record and its linked counterpart: what an action checks, and audits. */
export interface RecordState {
  readonly ref: RecordRef;
  /** Its link, active or orphaned. */
  readonly link: StoredLink | undefined;
  /** The record's linked counterpart, when it has one. */
  readonly counterpart: RecordRef | null;
  /** The exclusion of the record or of its counterpart (either leaves the pair out). */
  readonly exclusion: Exclusion | undefined;
  /** The held records (errors) of the record and its counterpart. */
  readonly held: readonly RecordError[];
}

async function linkOf(store: StateStore, ref: RecordRef): Promise<StoredLink | undefined> {
  const [link] =
    ref.system === 'hubspot'
      ? await store.linksByCrmIds(ref.entity, [ref.id])
      : await store.linksByAssociateNos(ref.entity, [Number(ref.id)]);
  return link;
}

function counterpartOf(ref: RecordRef, link: StoredLink | undefined): RecordRef | null {
  if (link === undefined) return null;
  return ref.system === 'hubspot'
    ? { entity: ref.entity, system: 'visma-nxt', id: String(link.associateNo) }
    : { entity: ref.entity, system: 'hubspot', id: link.crmId };
}

const same = (a: { system: string; recordId: string }, ref: RecordRef | null) =>
  ref !== null && a.system === ref.system && a.recordId === ref.id;

export async function readRecordState(store: StateStore, ref: RecordRef): Promise<RecordState> {
  const link = await linkOf(store, ref);
  const counterpart = counterpartOf(ref, link);
  const exclusion = (await store.exclusions(ref.entity)).find(
    (candidate) => same(candidate, ref) || same(candidate, counterpart),
  );
  const held = (await store.errors()).filter(
    (error) => error.entity === ref.entity && (same(error, ref) || same(error, counterpart)),
  );
  return { ref, link, counterpart, exclusion, held };
}

/** The records a targeted sync of the record takes: it and its counterpart. */
export function targetsOf(state: RecordState): {
  crmIds: { customer: string[]; contact: string[] };
  associateNos: number[];
} {
  const refs = [state.ref, ...(state.counterpart === null ? [] : [state.counterpart])];
  const crmIds = refs.filter((ref) => ref.system === 'hubspot').map((ref) => ref.id);
  return {
    crmIds: {
      customer: state.ref.entity === 'customer' ? crmIds : [],
      contact: state.ref.entity === 'contact' ? crmIds : [],
    },
    associateNos: refs.filter((ref) => ref.system === 'visma-nxt').map((ref) => Number(ref.id)),
  };
}

/** The state as the audit log keeps it (JSON; personal data masked when it is recorded). */
export function auditedState(state: RecordState): Record<string, unknown> {
  return {
    record: `${state.ref.system} ${state.ref.id}`,
    link:
      state.link === undefined
        ? null
        : {
            crmId: state.link.crmId,
            associateNo: state.link.associateNo,
            status: state.link.status,
            statusReason: state.link.statusReason,
          },
    excluded:
      state.exclusion === undefined
        ? null
        : {
            record: `${state.exclusion.system} ${state.exclusion.recordId}`,
            by: state.exclusion.excludedBy,
            at: state.exclusion.excludedAt,
            reason: state.exclusion.reason,
          },
    held: state.held.map((error) => ({
      record: `${error.system} ${error.recordId}`,
      field: error.field,
      rule: error.rule,
      message: error.message,
      related: error.related ?? null,
    })),
  };
}

/** How the audit log names a record: `customer hubspot 123`. */
export function auditTarget(ref: RecordRef): string {
  return `${ref.entity} ${ref.system} ${ref.id}`;
}
