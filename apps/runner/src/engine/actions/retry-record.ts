import type { ActionDependencies, ActionPreview, ActionResult, RecordRef } from './action-types.js';
import { refused } from './action-types.js';
import { describeOperations, planRecordsNow } from './plan-preview.js';
import { auditedState, auditTarget, readRecordState, targetsOf } from './record-state.js';
import { describeRecord, excludedRefusal, heldLines } from './record-words.js';
import { syncedAction } from './synced-action.js';

/**
 * What "retry now" will do: the record and its linked counterpart planned as a targeted sync of them would plan
 * them now (both systems read, nothing written). Values masked unless `reveal`.
 */
export async function previewRetry(
  dependencies: ActionDependencies,
  ref: RecordRef,
  reveal = false,
): Promise<ActionPreview> {
  const state = await readRecordState(dependencies.store, ref);
  const title = `Retry ${describeRecord(state)}`;
  const excluded = excludedRefusal(state);
  if (excluded !== null) return { title, lines: heldLines(state), refusal: excluded };
  const targets = targetsOf(state);
  const planned = await planRecordsNow(dependencies, ref.entity, {
    crmIds: targets.crmIds[ref.entity],
    associateNos: targets.associateNos,
  });
  if (planned.isErr())
    return { title, lines: heldLines(state), refusal: `cannot plan it now: ${planned.error.message}` };
  return { title, lines: [...heldLines(state), 'Now:', ...describeOperations(planned.value, reveal)] };
}

/**
 * "Retry now": a targeted sync of the record and its linked counterpart (under the cycle lock, with a cycle's
 * rules), audited as `record.retry` by `actor` with the held records and link before and after.
 */
export async function retryRecord(
  dependencies: ActionDependencies,
  actor: string,
  ref: RecordRef,
): Promise<ActionResult> {
  const { store } = dependencies;
  const before = await readRecordState(store, ref);
  const excluded = excludedRefusal(before);
  if (excluded !== null) return refused(excluded);
  return syncedAction(dependencies, {
    actor,
    action: 'record.retry',
    target: auditTarget(ref),
    before: auditedState(before),
    targets: targetsOf(before),
    change: async () => excludedRefusal(await readRecordState(store, ref)),
    after: async () => auditedState(await readRecordState(store, ref)),
    done: [`Retried ${describeRecord(before)}.`],
  });
}
