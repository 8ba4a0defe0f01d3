import type { ActionDependencies, ActionPreview, ActionResult, RecordRef } from './action-types.js';
import { refused } from './action-types.js';
import { describeOperations, planRecordsNow } from './plan-preview.js';
import { auditedState, auditTarget, type RecordState, readRecordState, targetsOf } from './record-state.js';
import { describeRecord } from './record-words.js';
import { syncedAction } from './synced-action.js';

/** Why a record cannot be included: neither it nor its counterpart is excluded. */
const notExcluded = (state: RecordState) =>
  `${describeRecord(state)} is not excluded, nor is a record linked to it: nothing to include`;

/**
 * What including will do: the exclusion ends, and the record and its counterpart are planned as the targeted sync
 * that follows will plan them (both systems read now, nothing written). Values masked unless `reveal`.
 */
export async function previewInclusion(
  dependencies: ActionDependencies,
  ref: RecordRef,
  reveal = false,
): Promise<ActionPreview> {
  const state = await readRecordState(dependencies.store, ref);
  const title = `Include ${describeRecord(state)}`;
  const { exclusion } = state;
  if (exclusion === undefined) return { title, lines: [], refusal: notExcluded(state) };
  const targets = targetsOf(state);
  const planned = await planRecordsNow(dependencies, ref.entity, {
    crmIds: targets.crmIds[ref.entity],
    associateNos: targets.associateNos,
  });
  if (planned.isErr()) return { title, lines: [], refusal: `cannot plan it now: ${planned.error.message}` };
  return {
    title,
    lines: [
      `The exclusion of ${exclusion.system} ${exclusion.recordId} (by ${exclusion.excludedBy} since ${exclusion.excludedAt}) ends; every cycle plans them again from now on.`,
      'Then, synced now:',
      ...describeOperations(planned.value, reveal),
    ],
  };
}

/**
 * "Include again": under the cycle lock, ends the exclusion of the record (or of its linked counterpart, which left
 * it out too), forgets what they were held for, and syncs both at once (a targeted sync: edits made while they
 * were excluded, which the cycles have read past, are planned now), audited as `record.include`.
 */
export async function includeRecord(
  dependencies: ActionDependencies,
  actor: string,
  ref: RecordRef,
): Promise<ActionResult> {
  const { store } = dependencies;
  const before = await readRecordState(store, ref);
  if (before.exclusion === undefined) return refused(notExcluded(before));
  return syncedAction(dependencies, {
    actor,
    action: 'record.include',
    target: auditTarget(ref),
    before: auditedState(before),
    targets: targetsOf(before),
    change: async () => {
      const now = await readRecordState(store, ref);
      const { exclusion } = now;
      if (exclusion === undefined) return notExcluded(now);
      await store.transaction(async () => {
        await store.includeRecord(exclusion.entity, exclusion.system, exclusion.recordId);
        for (const record of [ref, ...(now.counterpart === null ? [] : [now.counterpart])])
          await store.clearErrors(record.entity, record.system, record.id);
      });
      return null;
    },
    after: async () => auditedState(await readRecordState(store, ref)),
    done: [`Included ${describeRecord(before)} again.`],
  });
}
