import type { StoredLink } from '../../state/state-store.js';
import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { clockOf } from './action-types.js';
import type { CandidatePair } from './candidate-pair.js';
import { pairAction, previewPairAction } from './candidate-pair-action.js';
import { recordLabel } from './record-labels.js';

const pairWords = (pair: Pick<CandidatePair, 'entity' | 'crmId' | 'associateNo'>) =>
  `${recordLabel(pair.entity, 'hubspot')} ${pair.crmId} ↔ ${recordLabel(pair.entity, 'visma-nxt')} ${pair.associateNo}`;

/** The link a first match records: no fingerprints yet, so every field merges by its policy. */
function newLink(pair: CandidatePair, now: Date): StoredLink {
  return {
    crmId: pair.crmId,
    associateNo: pair.associateNo,
    fingerprints: {},
    status: 'active',
    statusReason: null,
    updatedAt: now.toISOString(),
  };
}

/**
 * What "link these two" will do for a reported candidate pair: the link, and the writes of the first sync of the
 * pair, its fields merged by the policy as for a first match (both systems read now, nothing written). Values
 * masked unless `reveal`.
 */
export function previewLink(
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
      uncheckedTitle: `Link HubSpot ${crmId} ↔ Business NXT ${associateNo}`,
      title: (pair) => `Link ${pairWords(pair)}`,
      recorded: (pair) =>
        `Link: ${pairWords(pair)} (a person's match); they are no longer held as candidates.`,
      planned: (pair) => ({
        targets: { crmIds: [], associateNos: [] },
        plannedWith: { link: newLink(pair, clockOf(dependencies)()) },
      }),
    },
    reveal,
  );
}

/**
 * "Link these two": for a pair a cycle reported as candidates (same name, no sure key), neither linked: under the
 * cycle lock, records the link as a first match would (contacts of a customer owed to the next cycle), forgets
 * what the two were held for, and syncs the pair at once (a targeted sync: fields merge by the policy, ERP numbers
 * written back to HubSpot). Audited as `candidates.link`.
 */
export function linkCandidates(
  dependencies: ActionDependencies,
  actor: string,
  crmId: string,
  associateNo: number,
): Promise<ActionResult> {
  const { store } = dependencies;
  return pairAction(dependencies, actor, crmId, associateNo, {
    action: 'candidates.link',
    record: async (pair) => {
      await store.insertLink(pair.entity, { crmId, associateNo, fingerprints: {} });
      if (pair.entity === 'customer') await store.oweContacts({ crmId, associateNo });
    },
    done: (pair) => `Linked ${pairWords(pair)}.`,
  });
}
