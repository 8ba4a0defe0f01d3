import type { FieldRule } from '../config/policy.js';
import type { Fingerprint, Fingerprinter } from './fingerprint.js';

/** One field of a linked pair, both sides normalized, with the fingerprint of the value last synced. */
export interface FieldMergeInput {
  readonly field: string;
  readonly crm: string | null;
  readonly erp: string | null;
  /** Compare keys (see compareKey): equal keys mean equal values. */
  readonly crmKey: string | null;
  readonly erpKey: string | null;
  /** `undefined` when the pair has never been synced (a first link). */
  readonly base: Fingerprint | undefined;
  readonly rule: FieldRule;
  /**
   * Which side set this field's value last (`null` when unknown or equal), asked only when `newest-wins` has to
   * decide: HubSpot's time of the property's current value when its history was read, else the record's
   * `updatedAt`; Business NXT's row `changedTimestamp` (it keeps no time per column).
   */
  readonly newer: (field: string) => 'crm' | 'erp' | null;
}

export type MergeReason =
  | 'crm-changed'
  | 'erp-changed'
  | 'erp-wins'
  | 'crm-wins'
  | 'crm-newer'
  | 'erp-newer'
  | 'tie-erp-wins'
  | 'crm-to-erp'
  | 'erp-to-crm'
  | 'kept-non-empty';

export type FieldDecision =
  /** Both sides agree and the stored fingerprint says so already. */
  | { readonly action: 'none' }
  /** Both sides agree (converged, or changed to the same value): only the stored fingerprint moves. */
  | { readonly action: 'baseline'; readonly fingerprint: Fingerprint }
  | {
      readonly action: 'write-erp' | 'write-crm';
      readonly value: string | null;
      readonly fingerprint: Fingerprint;
      readonly reason: MergeReason;
    }
  /** Both sides changed differently under the `manual` policy: queued for a person. */
  | { readonly action: 'conflict'; readonly reason: 'both-changed' }
  /** The sides differ, but the rule allows no write (direction `none`, or it would clear a value). */
  | { readonly action: 'hold'; readonly reason: 'direction-none' | 'would-clear' };

function write(
  target: 'erp' | 'crm',
  value: string | null,
  key: string | null,
  input: FieldMergeInput,
  fingerprint: Fingerprinter,
  reason: MergeReason,
): FieldDecision {
  const allowed =
    target === 'erp' ? input.rule.direction !== 'erp-to-crm' : input.rule.direction !== 'crm-to-erp';
  if (!allowed) return { action: 'hold', reason: 'direction-none' };
  if (value === null && !input.rule.clearOnEmpty) return { action: 'hold', reason: 'would-clear' };
  return {
    action: target === 'erp' ? 'write-erp' : 'write-crm',
    value,
    fingerprint: fingerprint(input.field, key),
    reason,
  };
}

/**
 * Three-way merge of one field (docs/DESIGN.md §4). Equal values converge silently. Otherwise: a one-way direction
 * makes its source win; with `both`, the only side that changed since the base wins; when both changed (or
 * there is no base yet) the field's policy decides. Unless `clearOnEmpty`, an empty value never replaces a
 * non-empty one: the non-empty value is kept and restored on the emptied side instead.
 */
export function mergeField(input: FieldMergeInput, fingerprint: Fingerprinter): FieldDecision {
  const { crm, erp, crmKey, erpKey, base, rule } = input;
  if (crmKey === erpKey) {
    const agreed = fingerprint(input.field, crmKey);
    return agreed === base ? { action: 'none' } : { action: 'baseline', fingerprint: agreed };
  }
  if (rule.direction === 'none') return { action: 'hold', reason: 'direction-none' };
  const toErp = (reason: MergeReason) => write('erp', crm, crmKey, input, fingerprint, reason);
  const toCrm = (reason: MergeReason) => write('crm', erp, erpKey, input, fingerprint, reason);

  if (!rule.clearOnEmpty && (crm === null || erp === null)) {
    return crm === null ? toCrm('kept-non-empty') : toErp('kept-non-empty');
  }
  if (rule.direction === 'crm-to-erp') return toErp('crm-to-erp');
  if (rule.direction === 'erp-to-crm') return toCrm('erp-to-crm');

  const crmChanged = base === undefined || fingerprint(input.field, crmKey) !== base;
  const erpChanged = base === undefined || fingerprint(input.field, erpKey) !== base;
  if (crmChanged && !erpChanged) return toErp('crm-changed');
  if (erpChanged && !crmChanged) return toCrm('erp-changed');

  switch (rule.policy) {
    case 'erp-wins':
      return toCrm('erp-wins');
    case 'crm-wins':
      return toErp('crm-wins');
    case 'newest-wins': {
      const newer = input.newer(input.field);
      if (newer === 'crm') return toErp('crm-newer');
      return newer === 'erp' ? toCrm('erp-newer') : toCrm('tie-erp-wins');
    }
    case 'manual':
      return { action: 'conflict', reason: 'both-changed' };
  }
}
