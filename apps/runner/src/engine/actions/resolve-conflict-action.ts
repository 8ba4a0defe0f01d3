import type { Conflict } from '../../state/state-store.js';
import { LockHeldError } from '../cycle-lock.js';
import { type ConflictChoice, previewResolution, resolveConflict } from '../resolve-conflict.js';
import type { ActionDependencies, ActionPreview, ActionResult } from './action-types.js';
import { clockOf, refused } from './action-types.js';
import { auditAction } from './audit-action.js';
import { readRecordState } from './record-state.js';
import { excludedRefusal } from './record-words.js';

/** What a conflict's resolution will do, with the key `resolveConflictAction` compares again under the lock. */
export interface ConflictPreview extends ActionPreview {
  readonly key?: string | undefined;
}

function choiceWords(conflict: Conflict, choice: ConflictChoice): string {
  if ('link' in choice) return `keep the link to Business NXT ${choice.link}`;
  return `${conflict.field} takes ${choice.take === 'crm' ? "HubSpot's" : "Business NXT's"} value`;
}

/** The open conflict, unless the pair is excluded (include it first). */
async function openConflict(
  dependencies: ActionDependencies,
  conflictId: string,
): Promise<{ ok: true; conflict: Conflict } | { ok: false; message: string }> {
  const conflict = (await dependencies.store.conflicts('open')).find(
    (candidate) => candidate.id === conflictId,
  );
  if (conflict === undefined)
    return {
      ok: false,
      message: `there is no open conflict ${conflictId} (see \`crm-sync conflicts list\`)`,
    };
  const state = await readRecordState(dependencies.store, {
    entity: conflict.entity,
    system: 'hubspot',
    id: conflict.crmId,
  });
  const excluded = excludedRefusal(state);
  return excluded === null ? { ok: true, conflict } : { ok: false, message: excluded };
}

/**
 * What "take HubSpot's" / "take Business NXT's" (or, for a HubSpot merge, the link to keep) will write on which
 * system, read now and written nowhere (resolve-conflict.ts). Values masked unless `reveal`.
 */
export async function previewConflictAction(
  dependencies: ActionDependencies,
  conflictId: string,
  choice: ConflictChoice,
  reveal = false,
): Promise<ConflictPreview> {
  const found = await openConflict(dependencies, conflictId);
  if (!found.ok) return { title: `Resolve conflict ${conflictId}`, lines: [], refusal: found.message };
  const { conflict } = found;
  const title = `Resolve conflict ${conflict.id} (${conflict.entity} ${conflict.crmId} ↔ ${conflict.associateNo}): ${choiceWords(conflict, choice)}`;
  const previewed = await previewResolution(dependencies, conflict, choice, reveal);
  if (!previewed.ok)
    return {
      title,
      lines: [],
      refusal: typeof previewed.error === 'string' ? previewed.error : previewed.error.message,
    };
  const { lines, key, refusal } = previewed.preview;
  return { title, lines, key, ...(refusal === undefined ? {} : { refusal }) };
}

/**
 * Resolves a conflict as `crm-sync conflicts resolve` does (resolve-conflict.ts: under the cycle lock, nothing
 * written when the effect is no longer the one previewed with `expectedKey`), audited as `conflict.resolve` with
 * the conflict before and after and what was written.
 */
export async function resolveConflictAction(
  dependencies: ActionDependencies,
  actor: string,
  conflictId: string,
  choice: ConflictChoice,
  expectedKey?: string,
): Promise<ActionResult> {
  const found = await openConflict(dependencies, conflictId);
  if (!found.ok) return refused(found.message);
  const { conflict } = found;
  const preview = await previewConflictAction(dependencies, conflictId, choice, false);
  if (preview.refusal !== undefined) return refused(preview.refusal);
  let resolved: Awaited<ReturnType<typeof resolveConflict>>;
  try {
    resolved = await resolveConflict(dependencies, conflict, choice, expectedKey ?? preview.key);
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    return { kind: 'locked', message: error.message };
  }
  if (!resolved.ok)
    return typeof resolved.error === 'string'
      ? refused(resolved.error)
      : { kind: 'failed', message: resolved.error.message };
  const after = (await dependencies.store.conflicts('all')).find((candidate) => candidate.id === conflict.id);
  await auditAction(dependencies.store, {
    at: clockOf(dependencies)().toISOString(),
    actor,
    action: 'conflict.resolve',
    target: conflict.id,
    before: { ...conflict },
    after: {
      status: after?.status ?? null,
      resolution: after?.resolution ?? null,
      choice,
      written: preview.lines,
      failed: resolved.report.entities[conflict.entity].failed,
    },
  });
  return { kind: 'done', lines: [...preview.lines, `Resolved ${conflict.id}.`], report: resolved.report };
}
