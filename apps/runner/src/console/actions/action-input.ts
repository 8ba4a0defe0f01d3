import type { Entity } from '@port-service/mapping';
import type { RecordRef } from '../../engine/actions/action-types.js';
import { idProblem } from '../../engine/actions/find-record.js';

/** What an action form or preview link names: one record, or a candidate pair. */
export type ActionInput =
  | { readonly kind: 'record'; readonly ref: RecordRef; readonly reason: string | null }
  | { readonly kind: 'pair'; readonly crmId: string; readonly associateNo: number };

type Fields = Readonly<Record<string, unknown>>;

const text = (fields: Fields, name: string) => {
  const value = fields[name];
  return typeof value === 'string' ? value.trim() : '';
};

const entities: readonly string[] = ['customer', 'contact'];
const systems: readonly string[] = ['hubspot', 'visma-nxt'];

/** The record a form names (`entity`, `system`, `id`), or what is wrong with it, in words. */
export function recordInput(fields: Fields): ActionInput | string {
  const entity = text(fields, 'entity');
  const system = text(fields, 'system');
  const id = text(fields, 'id');
  if (!entities.includes(entity)) return `entity must be customer or contact, not "${entity}"`;
  if (!systems.includes(system)) return `system must be hubspot or visma-nxt, not "${system}"`;
  const problem = idProblem(system as RecordRef['system'], id);
  if (problem !== null) return problem;
  const reason = text(fields, 'reason');
  return {
    kind: 'record',
    ref: { entity: entity as Entity, system: system as RecordRef['system'], id },
    reason: reason === '' ? null : reason.slice(0, 500),
  };
}

/** The candidate pair a form names (`crmId`, `associateNo`), or what is wrong with it. */
export function pairInput(fields: Fields): ActionInput | string {
  const crmId = text(fields, 'crmId');
  const associateNo = text(fields, 'associateNo');
  const problem = idProblem('hubspot', crmId) ?? idProblem('visma-nxt', associateNo);
  if (problem !== null) return problem;
  return { kind: 'pair', crmId, associateNo: Number(associateNo) };
}

/** Where to go back to after an action: a path of this console, else the attention page. */
export function backPath(fields: Fields): string {
  const back = text(fields, 'back');
  return /^\/(?![/\\])[\w\-/.]*$/u.test(back) ? back : '/attention';
}

/** The form's fields again, for the confirmation form of a preview. */
export function inputFields(input: ActionInput): Record<string, string> {
  if (input.kind === 'pair') return { crmId: input.crmId, associateNo: String(input.associateNo) };
  return {
    entity: input.ref.entity,
    system: input.ref.system,
    id: input.ref.id,
    ...(input.reason === null ? {} : { reason: input.reason }),
  };
}
