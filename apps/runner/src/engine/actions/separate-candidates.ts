import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { clockOf, refused } from './action-types.js';
import { auditedPair, type CandidatePair, candidatePair, pairTarget, pairTargets } from './candidate-pair.js';
import { describeOperations, planRecordsNow } from './plan-preview.js';
import { recordLabel } from './record-labels.js';
import { syncedAction } from './synced-action.js';

const pairWords = (pair: CandidatePair) =>
  `${recordLabel(pair.entity, 'hubspot')} ${pair.crmId} and ${recordLabel(pair.entity, 'visma-nxt')} ${pair.associateNo}`;

/**
 * What "keep separate" will do for a reported candidate pair: the two are recorded as different records, and each
 * is planned as unmatched by the other (creates as the policy says; still held when it has other candidates),
 * as the targeted sync that follows will plan them (both systems read now, nothing written).
 */
export async function previewSeparate(
  dependencies: ActionDependencies,
  crmId: string,
  associateNo: number,
  reveal = false,
): Promise<ActionPreview> {
  const checked = await candidatePair(dependencies.store, crmId, associateNo);
  if (!checked.ok)
    return {
      title: `Keep HubSpot ${crmId} and Business NXT ${associateNo} separate`,
      lines: [],
      refusal: checked.message,
    };
  const { pair } = checked;
  const title = `Keep ${pairWords(pair)} separate`;
  const targets = pairTargets(pair);
  const planned = await planRecordsNow(
    dependencies,
    pair.entity,
    { crmIds: targets.crmIds[pair.entity], associateNos: targets.associateNos },
    { separated: { crmId, associateNo } },
  );
  if (planned.isErr()) return { title, lines: [], refusal: `cannot plan it now: ${planned.error.message}` };
  return {
    title,
    lines: [
      `Recorded as two different ${pair.entity === 'customer' ? 'customers' : 'contacts'}: never reported as each other's candidates again.`,
      'Then, synced now:',
      ...describeOperations(planned.value, reveal),
    ],
  };
}

/**
 * "Keep separate": for a pair a cycle reported as candidates, neither linked: under the cycle lock, records that the
 * two are different records (the planner then never matches them with each other), forgets what they were held
 * for, and syncs both at once, each as unmatched (creates follow the policy). Audited as `candidates.separate`.
 */
export async function separateCandidates(
  dependencies: ActionDependencies,
  actor: string,
  crmId: string,
  associateNo: number,
): Promise<ActionResult> {
  const { store } = dependencies;
  const checked = await candidatePair(store, crmId, associateNo);
  if (!checked.ok) return refused(checked.message);
  const { pair } = checked;
  return syncedAction(dependencies, {
    actor,
    action: 'candidates.separate',
    target: pairTarget(pair),
    before: await auditedPair(store, pair),
    targets: pairTargets(pair),
    change: async () => {
      const again = await candidatePair(store, crmId, associateNo);
      if (!again.ok) return again.message;
      await store.transaction(async () => {
        await store.separatePair({
          entity: pair.entity,
          crmId,
          associateNo,
          separatedBy: actor,
          separatedAt: clockOf(dependencies)().toISOString(),
        });
        await store.clearErrors(pair.entity, 'hubspot', crmId);
        await store.clearErrors(pair.entity, 'visma-nxt', String(associateNo));
      });
      return null;
    },
    after: () => auditedPair(store, pair),
    done: [`Kept ${pairWords(pair)} separate.`],
  });
}
