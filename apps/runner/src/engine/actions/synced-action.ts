import { writeKinds } from '@port-service/mapping';
import { LockHeldError } from '../cycle-lock.js';
import type { CycleReport } from '../report.js';
import { runTargetedSync } from '../targeted-sync.js';
import { type ActionDependencies, type ActionResult, clockOf } from './action-types.js';
import { auditAction, auditedRun } from './audit-action.js';

export interface SyncedAction {
  /** Who acts: a console user's name, or `cli:<operating-system user>`. */
  readonly actor: string;
  /** The audit log's name for it: `record.retry`, `candidates.link`, … */
  readonly action: string;
  readonly target: string;
  readonly before: unknown;
  readonly targets: Parameters<typeof runTargetedSync>[1];
  /**
   * The action's change to the state, made under the sync's lock before it reads anything; a message answered
   * refuses the action there (the state changed since it was checked) and nothing is written.
   */
  readonly change?: (() => Promise<string | null>) | undefined;
  /** The state after, for the audit log. */
  readonly after: () => Promise<Record<string, unknown>>;
  /** What the action did, in words, before the sync's outcome. */
  readonly done: readonly string[];
}

/** One record the sync reported: `skipped: customer hubspot 123 ↔ visma-nxt 7 (excluded): …`. */
function itemLine(item: CycleReport['items'][number]): string {
  const ids = [
    item.crmId === null ? null : `hubspot ${item.crmId}`,
    item.associateNo === null ? null : `visma-nxt ${item.associateNo}`,
  ].filter((id) => id !== null);
  return `${item.outcome}: ${item.entity} ${ids.join(' ↔ ')} (${item.reason}): ${item.message}`;
}

/** What a targeted sync did for an action: its outcome, what it wrote, what it reported about the records. */
export function syncOutcomeLines(report: CycleReport): string[] {
  const written = (['customer', 'contact'] as const).flatMap((entity) =>
    Object.entries(report.entities[entity].applied)
      .filter(([kind]) => (writeKinds as ReadonlySet<string>).has(kind))
      .map(([kind, count]) => `${entity} ${kind} ${count}`),
  );
  const failure = report.failure === null ? '' : ` (${report.failure})`;
  return [
    `Targeted sync ${report.runId}: exit code ${report.exitCode}${failure}; written: ${written.length > 0 ? written.join(', ') : 'nothing'}.`,
    ...report.items.map(itemLine),
  ];
}

/**
 * An action that changes the state and then syncs the records it is about: one targeted sync (runTargetedSync,
 * under the cycle lock, recorded as a `targeted` run), the change made first under the same lock, and the action
 * audited with the state before and after and the run's outcome.
 */
export async function syncedAction(
  dependencies: ActionDependencies,
  action: SyncedAction,
): Promise<ActionResult> {
  let refusal: string | null = null;
  let report: CycleReport;
  try {
    report = await runTargetedSync(dependencies, action.targets, {
      beforeSync: async () => {
        refusal = (await action.change?.()) ?? null;
        return refusal === null
          ? null
          : { side: 'runner', kind: 'refused', message: `nothing written: ${refusal}`, fatal: true };
      },
    });
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    return { kind: 'locked', message: error.message };
  }
  if (refusal !== null) return { kind: 'refused', message: refusal };
  await auditAction(dependencies.store, {
    at: clockOf(dependencies)().toISOString(),
    actor: action.actor,
    action: action.action,
    target: action.target,
    before: action.before,
    after: { ...(await action.after()), run: auditedRun(report) },
  });
  return { kind: 'done', lines: [...action.done, ...syncOutcomeLines(report)], report };
}
