import type { FieldRule } from '../config/policy.js';
import type { FieldIssue } from '../issues.js';
import type { Fingerprint } from '../merge/fingerprint.js';
import type { AssociateValues } from '../sources/associate.js';
import { blockingIssues, newerSide, type PlanContext, skipInvalid } from './context.js';
import { mergePair, writeFingerprints } from './merge-pair.js';
import type { Entity } from './operations.js';

interface Side<Field extends string> {
  readonly values: Readonly<Record<Field, string | null>>;
  readonly issues: readonly FieldIssue[];
  /** HubSpot `updatedAt` / Business NXT `changedTimestamp`, for `newest-wins`. */
  readonly timestamp: string | null | undefined;
  /**
   * When each field's value was set, where the system keeps a time per value (HubSpot's property history);
   * `newest-wins` prefers it to `timestamp`, so an edit of another field does not decide this one.
   */
  readonly fieldTimestamps?: Partial<Record<Field, string>> | undefined;
}

export interface LinkedPairInput<Field extends string> {
  readonly entity: Entity;
  readonly crmId: string;
  readonly associateNo: number;
  readonly crm: Side<Field>;
  readonly erp: Side<Field>;
  readonly fields: readonly Field[];
  readonly rules: Readonly<Record<Field, FieldRule>>;
  readonly base: Readonly<Record<string, Fingerprint>>;
  readonly toAssociateValues: (
    fields: Partial<Record<Field, string | null>>,
    recordId: string,
  ) => { values: AssociateValues; issues: readonly FieldIssue[] };
  readonly toHubSpotProperties: (fields: Partial<Record<Field, string | null>>) => Record<string, string>;
}

/**
 * Plans one linked pair: skips it (naming every field and rule) when either side has bad data or a value
 * Business NXT cannot hold, so nothing is written half; otherwise merges it and emits the baseline, the update of
 * each side and any conflicts. Returns whether the pair was planned (not skipped).
 */
export function planLinkedPair<Field extends string>(
  context: PlanContext,
  input: LinkedPairInput<Field>,
): boolean {
  const { entity, crmId, associateNo, rules, base } = input;
  const crmInvalid = skipInvalid(context, entity, 'hubspot', crmId, blockingIssues(input.crm.issues, rules));
  const erpInvalid = skipInvalid(
    context,
    entity,
    'visma-nxt',
    String(associateNo),
    blockingIssues(input.erp.issues, rules),
  );
  if (crmInvalid || erpInvalid) return false;

  const merge = mergePair(
    {
      fields: input.fields,
      rules,
      crm: input.crm.values,
      erp: input.erp.values,
      base,
      // HubSpot keeps a time per property value; Business NXT one `changedTimestamp` per row.
      newer: (field) =>
        newerSide(
          context.readTimestamp(input.crm.fieldTimestamps?.[field] ?? input.crm.timestamp),
          context.readTimestamp(input.erp.fieldTimestamps?.[field] ?? input.erp.timestamp),
        ),
    },
    context.fingerprint,
  );
  const erpWrite = input.toAssociateValues(merge.toErp, String(associateNo));
  if (skipInvalid(context, entity, 'hubspot', crmId, [...erpWrite.issues])) return false;

  const id = `${entity}:${crmId}:${associateNo}`;
  const prints = writeFingerprints(merge);
  const { operations } = context;
  if (Object.keys(merge.baseline).length > 0) {
    operations.push({
      id: `${id}:baseline`,
      entity,
      kind: 'baseline',
      crmId,
      associateNo,
      fingerprints: merge.baseline,
    });
  }
  if (merge.erpChanges.length > 0) {
    operations.push({
      id: `${id}:update-erp`,
      entity,
      kind: 'update-erp',
      crmId,
      associateNo,
      values: erpWrite.values,
      changes: merge.erpChanges,
      fingerprints: prints.erp,
    });
  }
  if (merge.crmChanges.length > 0) {
    operations.push({
      id: `${id}:update-crm`,
      entity,
      kind: 'update-crm',
      crmId,
      associateNo,
      properties: input.toHubSpotProperties(merge.toCrm),
      changes: merge.crmChanges,
      fingerprints: prints.crm,
    });
  }
  for (const field of merge.conflicts) {
    operations.push({
      id: `${id}:conflict:${field}`,
      entity,
      kind: 'conflict',
      crmId,
      associateNo,
      field,
      crmValue: input.crm.values[field],
      erpValue: input.erp.values[field],
      reason: 'both-changed',
      base: base[field],
    });
  }
  return true;
}
