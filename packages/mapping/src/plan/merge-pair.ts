import type { FieldRule } from '../config/policy.js';
import { compareKey } from '../merge/compare-key.js';
import type { Fingerprint, Fingerprinter } from '../merge/fingerprint.js';
import { mergeField } from '../merge/merge-field.js';
import type { FieldChange } from './operations.js';

/** The fingerprint key under which a link stores the print of all its agreed fields together. */
export const recordFingerprintField = '*';

export interface PairMergeInput<Field extends string> {
  readonly fields: readonly Field[];
  readonly rules: Readonly<Record<Field, FieldRule>>;
  readonly crm: Readonly<Record<Field, string | null>>;
  readonly erp: Readonly<Record<Field, string | null>>;
  readonly base: Readonly<Record<string, Fingerprint>>;
  readonly newer: 'crm' | 'erp' | null;
}

export interface PairMerge<Field extends string> {
  /** Values to write to Business NXT / HubSpot, by canonical field. */
  readonly toErp: Partial<Record<Field, string | null>>;
  readonly toCrm: Partial<Record<Field, string | null>>;
  readonly erpChanges: FieldChange[];
  readonly crmChanges: FieldChange[];
  readonly erpFingerprints: Record<string, Fingerprint>;
  readonly crmFingerprints: Record<string, Fingerprint>;
  /** Fields where both sides already agree but the stored fingerprint is stale. */
  readonly baseline: Record<string, Fingerprint>;
  readonly conflicts: Field[];
}

/**
 * Merges every synced field of a linked pair. When all fields already agree, one record-level fingerprint
 * decides whether anything moved, so a converged pair costs one hash (this is the echo-suppression path).
 */
export function mergePair<Field extends string>(
  input: PairMergeInput<Field>,
  fingerprint: Fingerprinter,
): PairMerge<Field> {
  const result: PairMerge<Field> = {
    toErp: {},
    toCrm: {},
    erpChanges: [],
    crmChanges: [],
    erpFingerprints: {},
    crmFingerprints: {},
    baseline: {},
    conflicts: [],
  };
  const synced = input.fields.filter((field) => input.rules[field].direction !== 'none');
  const crmKeys = synced.map((field) => compareKey(field, input.crm[field]));
  const erpKeys = synced.map((field) => compareKey(field, input.erp[field]));
  if (crmKeys.every((key, index) => key === erpKeys[index])) {
    const recordPrint = fingerprint(
      recordFingerprintField,
      crmKeys.map((key) => key ?? '\u0000').join('\u0001'),
    );
    if (recordPrint === input.base[recordFingerprintField]) return result;
    synced.forEach((field, index) => {
      const print = fingerprint(field, crmKeys[index] ?? null);
      if (print !== input.base[field]) result.baseline[field] = print;
    });
    result.baseline[recordFingerprintField] = recordPrint;
    return result;
  }
  synced.forEach((field, index) => {
    const crm = input.crm[field];
    const erp = input.erp[field];
    const decision = mergeField(
      {
        field,
        crm,
        erp,
        crmKey: crmKeys[index] ?? null,
        erpKey: erpKeys[index] ?? null,
        base: input.base[field],
        rule: input.rules[field],
        newer: input.newer,
      },
      fingerprint,
    );
    switch (decision.action) {
      case 'baseline':
        result.baseline[field] = decision.fingerprint;
        break;
      case 'write-erp':
        result.toErp[field] = decision.value;
        result.erpChanges.push({ field, before: erp, after: decision.value, reason: decision.reason });
        result.erpFingerprints[field] = decision.fingerprint;
        break;
      case 'write-crm':
        result.toCrm[field] = decision.value;
        result.crmChanges.push({ field, before: crm, after: decision.value, reason: decision.reason });
        result.crmFingerprints[field] = decision.fingerprint;
        break;
      case 'conflict':
        result.conflicts.push(field);
        break;
      case 'none':
      case 'hold':
        break;
    }
  });
  return result;
}
