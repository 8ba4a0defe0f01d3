import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Exclusion } from '../../state/state-store.js';
import { LockHeldError, takeCycleLock } from '../cycle-lock.js';
import {
  type ActionDependencies,
  type ActionPreview,
  type ActionResult,
  clockOf,
  type RecordRef,
  refused,
} from './action-types.js';
import { auditAction } from './audit-action.js';
import { holdExcluded } from './exclusion-filter.js';
import { auditedState, auditTarget, type RecordState, readRecordState } from './record-state.js';
import { describeRecord, heldLines } from './record-words.js';

/** Why a record cannot be excluded (it or its counterpart is already), or `null`. */
function alreadyExcluded(state: RecordState): string | null {
  const { exclusion } = state;
  if (exclusion === undefined) return null;
  const own = exclusion.system === state.ref.system && exclusion.recordId === state.ref.id;
  return `${own ? 'it is' : `its linked ${exclusion.system} ${exclusion.recordId} is`} excluded already (by ${exclusion.excludedBy} since ${exclusion.excludedAt}), which leaves both out`;
}

/** What excluding will do: state only, nothing read from or written to either system. */
export async function previewExclusion(
  dependencies: ActionDependencies,
  ref: RecordRef,
): Promise<ActionPreview> {
  const state = await readRecordState(dependencies.store, ref);
  const title = `Exclude ${describeRecord(state)}`;
  const refusal = alreadyExcluded(state);
  if (refusal !== null) return { title, lines: [], refusal };
  return {
    title,
    lines: [
      `Left out of every cycle and targeted sync: ${state.counterpart === null ? 'the record' : 'the record and its linked counterpart'}. Nothing is written to either system for ${state.counterpart === null ? 'it' : 'them'}, ${state.counterpart === null ? 'nothing is created for it' : 'the link stays as it is (never orphaned)'}, until \`crm-sync include ${ref.system} ${ref.id}\`.`,
      ...(state.held.length === 0
        ? []
        : ['What it is held for now is set aside: `crm-sync status` lists it as excluded instead.']),
      ...heldLines(state),
    ],
  };
}

function lockHolder(ref: RecordRef, actor: string, now: Date) {
  return {
    id: `${hostname()}/${process.pid}/exclude-${randomUUID()}`,
    description: `crm-sync exclude ${ref.system} ${ref.id} by ${actor}, pid ${process.pid} on ${hostname()} since ${now.toISOString()}`,
  };
}

/**
 * "Exclude from sync" (reversible): under the cycle lock, records the exclusion, sets aside what the record and its
 * counterpart were held for (listed as `excluded` instead), and audits it as `record.exclude`. Every cycle and
 * targeted sync then leaves both out (exclusion-filter.ts) until `includeRecord`.
 */
export async function excludeRecord(
  dependencies: ActionDependencies,
  actor: string,
  ref: RecordRef,
  reason: string | null,
): Promise<ActionResult> {
  const { store, logger } = dependencies;
  const now = clockOf(dependencies)();
  let lock: Awaited<ReturnType<typeof takeCycleLock>>;
  try {
    lock = await takeCycleLock(store, lockHolder(ref, actor, now), logger);
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    return { kind: 'locked', message: error.message };
  }
  try {
    const before = await readRecordState(store, ref);
    const refusal = alreadyExcluded(before);
    if (refusal !== null) return refused(refusal);
    const exclusion: Exclusion = {
      entity: ref.entity,
      system: ref.system,
      recordId: ref.id,
      reason: reason === null || reason.trim() === '' ? null : reason.trim(),
      excludedBy: actor,
      excludedAt: now.toISOString(),
    };
    await store.transaction(async () => {
      await store.excludeRecord(exclusion);
      for (const record of [ref, ...(before.counterpart === null ? [] : [before.counterpart])])
        await store.clearErrors(record.entity, record.system, record.id);
      await holdExcluded(store, exclusion, before.link, now);
      await auditAction(store, {
        at: now.toISOString(),
        actor,
        action: 'record.exclude',
        target: auditTarget(ref),
        before: auditedState(before),
        after: auditedState(await readRecordState(store, ref)),
      });
    });
    return { kind: 'done', lines: [`Excluded ${describeRecord(before)}.`], report: null };
  } finally {
    await lock.release();
  }
}
