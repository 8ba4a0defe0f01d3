import type { Run } from '../../state/state-store.js';
import type { ConsoleService } from '../console-service.js';
import { runOutcome, succeeded } from '../runs/run-words.js';

export interface LastRunStatus {
  readonly id: string;
  readonly mode: string;
  readonly startedAt: string;
  readonly outcome: ReturnType<typeof runOutcome>;
}

/** The schedule as the overview shows it: the last runs from the state, the next ones from the service. */
export interface CycleStatus {
  /** The last full or incremental cycle (recorded by `serve` or by a `crm-sync run`). */
  readonly lastCycle: LastRunStatus | null;
  readonly lastTargeted: LastRunStatus | null;
  /** When the last cycle that ran to its end finished, and how many seconds ago (as the metric counts it). */
  readonly lastSuccessAt: string | null;
  readonly secondsSinceSuccess: number | null;
  /** `null` when the console runs without the service (nothing is scheduled then). */
  readonly nextIncrementalAt: string | null;
  readonly nextFullAt: string | null;
}

function lastOf(runs: readonly Run[], wanted: (run: Run) => boolean): LastRunStatus | null {
  const index = runs.findIndex(wanted);
  const run = runs[index];
  if (run === undefined) return null;
  return { id: run.id, mode: run.mode, startedAt: run.startedAt, outcome: runOutcome(run, index > 0) };
}

/** From runs newest first (`store.runs`) and the service's loop state, when there is one. */
export function cycleStatus(
  runs: readonly Run[],
  service: ConsoleService | undefined,
  now: Date,
): CycleStatus {
  const cycles = (run: Run) => run.mode !== 'targeted';
  // Scheduled cycles only, as crm_sync_seconds_since_last_successful_cycle: targeted syncs must not hide failing cycles.
  const success = runs.find((run) => cycles(run) && succeeded(run));
  const lastSuccessAt = success?.finishedAt ?? null;
  return {
    lastCycle: lastOf(runs, cycles),
    lastTargeted: lastOf(runs, (run) => run.mode === 'targeted'),
    lastSuccessAt,
    secondsSinceSuccess:
      lastSuccessAt === null
        ? null
        : Math.max(0, Math.round((now.getTime() - Date.parse(lastSuccessAt)) / 1000)),
    nextIncrementalAt: service?.state?.nextIncrementalAt.toISOString() ?? null,
    nextFullAt: service?.state?.nextFullAt.toISOString() ?? null,
  };
}
