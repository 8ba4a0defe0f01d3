import type { FieldRule } from '../config/policy.js';
import { compareKey } from '../merge/compare-key.js';
import type { Fingerprint, Fingerprinter } from '../merge/fingerprint.js';
import { mergeField } from '../merge/merge-field.js';
import type { FieldChange } from './operations.js';

/** The fingerprint key under which a link stores the print of all its agreed fields together. */
export const recordFingerprintField = '*';

export interface PairMergeInput<Field extends string> {
  /** The fields that sync (direction not `none`). */
  readonly fields: readonly Field[];
  readonly rules: Readonly<Record<Field, FieldRule>>;
  readonly crm: Readonly<Record<Field, string | null>>;
  readonly erp: Readonly<Record<Field, string | null>>;
  readonly base: Readonly<Record<string, Fingerprint>>;
  /** Which side set this field's value last (`newest-wins`), see `FieldMergeInput.newer`. */
  readonly newer: (field: Field) => 'crm' | 'erp' | null;
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
  /**
   * The record fingerprint both sides will share once every write of this merge is applied, when nothing is
   * left unresolved (no conflict, no held field). A pair with a single write operation stores it with that write.
   */
  recordPrint?: Fingerprint;
}

/** The fingerprint of a whole record: its fields' compare keys, in field order. */
export function recordPrintOf(keys: ReadonlyArray<string | null>, fingerprint: Fingerprinter): Fingerprint {
  let joined = '';
  for (const key of keys) joined += `${key ?? '\u0000'}\u0001`;
  return fingerprint(recordFingerprintField, joined);
}

/**
 * Merges every synced field of a linked pair. When all fields already agree, one record-level fingerprint
 * decides whether anything moved, so a converged pair costs one hash (this is the echo-suppression path).
 */
function emptyMerge<Field extends string>(): PairMerge<Field> {
  return {
    toErp: {},
    toCrm: {},
    erpChanges: [],
    crmChanges: [],
    erpFingerprints: {},
    crmFingerprints: {},
    baseline: {},
    conflicts: [],
  };
}

const nothingToDo: PairMerge<never> = Object.freeze(emptyMerge<never>());

export function mergePair<Field extends string>(
  input: PairMergeInput<Field>,
  fingerprint: Fingerprinter,
): PairMerge<Field> {
  const synced = input.fields;
  const crmKeys: Array<string | null> = new Array(synced.length);
  const erpKeys: Array<string | null> = new Array(synced.length);
  let converged = true;
  for (let index = 0; index < synced.length; index += 1) {
    const field = synced[index] as Field;
    const crmKey = compareKey(field, input.crm[field]);
    const erpKey = compareKey(field, input.erp[field]);
    crmKeys[index] = crmKey;
    erpKeys[index] = erpKey;
    if (crmKey !== erpKey) converged = false;
  }
  const recordPrint = converged ? recordPrintOf(crmKeys, fingerprint) : undefined;
  // The common case (echo suppression): nothing moved since the last sync, so nothing is allocated either.
  if (recordPrint !== undefined && recordPrint === input.base[recordFingerprintField]) return nothingToDo;
  const result = emptyMerge<Field>();

  if (recordPrint !== undefined) {
    synced.forEach((field, index) => {
      const print = fingerprint(field, crmKeys[index] ?? null);
      if (print !== input.base[field]) result.baseline[field] = print;
    });
    result.baseline[recordFingerprintField] = recordPrint;
    return result;
  }
  const settledKeys: Array<string | null> = [...crmKeys];
  let settled = true;
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
        newer: () => input.newer(field),
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
        settledKeys[index] = compareKey(field, decision.value);
        break;
      case 'write-crm':
        result.toCrm[field] = decision.value;
        result.crmChanges.push({ field, before: crm, after: decision.value, reason: decision.reason });
        result.crmFingerprints[field] = decision.fingerprint;
        settledKeys[index] = compareKey(field, decision.value);
        break;
      case 'conflict':
        result.conflicts.push(field);
        settled = false;
        break;
      case 'hold':
        settled = false;
        break;
      case 'none':
        break;
    }
  });
  if (settled) result.recordPrint = recordPrintOf(settledKeys, fingerprint);
  return result;
}

/**
 * The fingerprints each write operation stores. When the merge settles every field with writes to one side
 * only, that single write also stores the record fingerprint, so the next cycle (the echo) plans nothing.
 */
export function writeFingerprints<Field extends string>(
  merge: PairMerge<Field>,
): { erp: Record<string, Fingerprint>; crm: Record<string, Fingerprint> } {
  const toErp = merge.erpChanges.length > 0;
  const toCrm = merge.crmChanges.length > 0;
  if (merge.recordPrint === undefined || toErp === toCrm)
    return { erp: merge.erpFingerprints, crm: merge.crmFingerprints };
  const record = { [recordFingerprintField]: merge.recordPrint };
  return toErp
    ? { erp: { ...merge.erpFingerprints, ...record }, crm: merge.crmFingerprints }
    : { erp: merge.erpFingerprints, crm: { ...merge.crmFingerprints, ...record } };
}
