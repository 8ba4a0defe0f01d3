import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { refused } from './action-types.js';
import { auditedPair, type CandidatePair, candidatePair, pairTarget, pairTargets } from './candidate-pair.js';
import type { PlannedWith } from './plan-preview.js';
import { describeOperations, planRecordsNow } from './plan-preview.js';
import { syncedAction } from './synced-action.js';

/** How a preview of "link these two" or "keep separate" says and plans what it will do. */
export interface PairPreview {
  /** The title when the two are no candidate pair (then which kinds of record they are is not known). */
  readonly uncheckedTitle: string;
  readonly title: (pair: CandidatePair) => string;
  /** The first line: what is recorded about the two. */
  readonly recorded: (pair: CandidatePair) => string;
  /** What the targeted sync after it will plan: its records, and the link or separation about to be recorded. */
  readonly planned: (pair: CandidatePair) => {
    readonly targets: Parameters<typeof planRecordsNow>[2];
    readonly plannedWith: PlannedWith;
  };
}

/**
 * The preview of a candidate pair's action: refused unless the two are a pair a cycle reported (candidatePair),
 * else what is recorded and what the sync of the pair then writes, both systems read now and nothing written.
 */
export async function previewPairAction(
  dependencies: ActionDependencies,
  crmId: string,
  associateNo: number,
  preview: PairPreview,
  reveal: boolean,
): Promise<ActionPreview> {
  const checked = await candidatePair(dependencies.store, crmId, associateNo);
  if (!checked.ok) return { title: preview.uncheckedTitle, lines: [], refusal: checked.message };
  const { pair } = checked;
  const title = preview.title(pair);
  const { targets, plannedWith } = preview.planned(pair);
  const planned = await planRecordsNow(dependencies, pair.entity, targets, plannedWith);
  if (planned.isErr()) return { title, lines: [], refusal: `cannot plan it now: ${planned.error.message}` };
  return {
    title,
    lines: [preview.recorded(pair), 'Then, synced now:', ...describeOperations(planned.value, reveal)],
  };
}

/** What a candidate pair's action records, and how it is audited and said. */
export interface PairChange {
  /** The audit log's name for it: `candidates.link` or `candidates.separate`. */
  readonly action: string;
  /** The change to the state, made in the transaction that forgets what the two were held for. */
  readonly record: (pair: CandidatePair) => Promise<void>;
  /** What was done, in words. */
  readonly done: (pair: CandidatePair) => string;
}

/**
 * A candidate pair's action: refused unless the two are a pair a cycle reported; under the cycle lock the pair
 * is checked again, the change recorded and what the two were held for forgotten in one transaction, then both
 * are synced at once (syncedAction), audited with the pair's state before and after.
 */
export async function pairAction(
  dependencies: ActionDependencies,
  actor: string,
  crmId: string,
  associateNo: number,
  change: PairChange,
): Promise<ActionResult> {
  const { store } = dependencies;
  const checked = await candidatePair(store, crmId, associateNo);
  if (!checked.ok) return refused(checked.message);
  const { pair } = checked;
  return syncedAction(dependencies, {
    actor,
    action: change.action,
    target: pairTarget(pair),
    before: await auditedPair(store, pair),
    targets: pairTargets(pair),
    change: async () => {
      const again = await candidatePair(store, crmId, associateNo);
      if (!again.ok) return again.message;
      await store.transaction(async () => {
        await change.record(pair);
        await store.clearErrors(pair.entity, 'hubspot', crmId);
        await store.clearErrors(pair.entity, 'visma-nxt', String(associateNo));
      });
      return null;
    },
    after: () => auditedPair(store, pair),
    done: [change.done(pair)],
  });
}
