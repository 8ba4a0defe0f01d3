import type { StoredLink } from '../../state/state-store.js';
import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { clockOf, refused } from './action-types.js';
import { auditedPair, type CandidatePair, candidatePair, pairTarget, pairTargets } from './candidate-pair.js';
import { describeOperations, planRecordsNow } from './plan-preview.js';
import { recordLabel } from './record-labels.js';
import { syncedAction } from './synced-action.js';

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
export async function previewLink(
  dependencies: ActionDependencies,
  crmId: string,
  associateNo: number,
  reveal = false,
): Promise<ActionPreview> {
  const checked = await candidatePair(dependencies.store, crmId, associateNo);
  if (!checked.ok)
    return {
      title: `Link HubSpot ${crmId} ↔ Business NXT ${associateNo}`,
      lines: [],
      refusal: checked.message,
    };
  const { pair } = checked;
  const title = `Link ${pairWords(pair)}`;
  const planned = await planRecordsNow(
    dependencies,
    pair.entity,
    { crmIds: [], associateNos: [] },
    { link: newLink(pair, clockOf(dependencies)()) },
  );
  if (planned.isErr()) return { title, lines: [], refusal: `cannot plan it now: ${planned.error.message}` };
  return {
    title,
    lines: [
      `Link: ${pairWords(pair)} (a person's match); they are no longer held as candidates.`,
      'Then, synced now:',
      ...describeOperations(planned.value, reveal),
    ],
  };
}

/**
 * "Link these two": for a pair a cycle reported as candidates (same name, no sure key), neither linked: under the
 * cycle lock, records the link as a first match would (contacts of a customer owed to the next cycle), forgets
 * what the two were held for, and syncs the pair at once (a targeted sync: fields merge by the policy, ERP numbers
 * written back to HubSpot). Audited as `candidates.link`.
 */
export async function linkCandidates(
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
    action: 'candidates.link',
    target: pairTarget(pair),
    before: await auditedPair(store, pair),
    targets: pairTargets(pair),
    change: async () => {
      const again = await candidatePair(store, crmId, associateNo);
      if (!again.ok) return again.message;
      await store.transaction(async () => {
        await store.insertLink(pair.entity, { crmId, associateNo, fingerprints: {} });
        if (pair.entity === 'customer') await store.oweContacts({ crmId, associateNo });
        await store.clearErrors(pair.entity, 'hubspot', crmId);
        await store.clearErrors(pair.entity, 'visma-nxt', String(associateNo));
      });
      return null;
    },
    after: () => auditedPair(store, pair),
    done: [`Linked ${pairWords(pair)}.`],
  });
}
