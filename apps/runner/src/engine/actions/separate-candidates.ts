import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { clockOf } from './action-types.js';
import { type CandidatePair, pairTargets } from './candidate-pair.js';
import { pairAction, previewPairAction } from './candidate-pair-action.js';
import { recordLabel } from './record-labels.js';

const pairWords = (pair: CandidatePair) =>
  `${recordLabel(pair.entity, 'hubspot')} ${pair.crmId} and ${recordLabel(pair.entity, 'visma-nxt')} ${pair.associateNo}`;

/**
 * What "keep separate" will do for a reported candidate pair: the two are recorded as different records, and each
 * is planned as unmatched by the other (creates as the policy says; still held when it has other candidates),
 * as the targeted sync that follows will plan them (both systems read now, nothing written).
 */
export function previewSeparate(
  dependencies: ActionDependencies,
  crmId: string,
  associateNo: number,
  reveal = false,
): Promise<ActionPreview> {
  return previewPairAction(
    dependencies,
    crmId,
    associateNo,
    {
      uncheckedTitle: `Keep HubSpot ${crmId} and Business NXT ${associateNo} separate`,
      title: (pair) => `Keep ${pairWords(pair)} separate`,
      recorded: (pair) =>
        `Recorded as two different ${pair.entity === 'customer' ? 'customers' : 'contacts'}: never reported as each other's candidates again.`,
      planned: (pair) => {
        const targets = pairTargets(pair);
        return {
          targets: { crmIds: targets.crmIds[pair.entity], associateNos: targets.associateNos },
          plannedWith: { separated: { crmId, associateNo } },
        };
      },
    },
    reveal,
  );
}

/**
 * "Keep separate": for a pair a cycle reported as candidates, neither linked: under the cycle lock, records that the
 * two are different records (the planner then never matches them with each other), forgets what they were held
 * for, and syncs both at once, each as unmatched (creates follow the policy). Audited as `candidates.separate`.
 */
export function separateCandidates(
  dependencies: ActionDependencies,
  actor: string,
  crmId: string,
  associateNo: number,
): Promise<ActionResult> {
  const { store } = dependencies;
  return pairAction(dependencies, actor, crmId, associateNo, {
    action: 'candidates.separate',
    record: async (pair) => {
      await store.separatePair({
        entity: pair.entity,
        crmId,
        associateNo,
        separatedBy: actor,
        separatedAt: clockOf(dependencies)().toISOString(),
      });
    },
    done: (pair) => `Kept ${pairWords(pair)} separate.`,
  });
}
