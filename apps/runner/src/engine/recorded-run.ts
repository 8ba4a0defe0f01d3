import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { emptyApiUsage, usageSince } from './api-usage.js';
import type { CycleDependencies } from './cycle.js';
import type { CycleError } from './cycle-error.js';
import { takeCycleLock } from './cycle-lock.js';
import { type CycleReport, flatCounts, newReport, type StopSignal, signalExitCodes } from './report.js';

export interface RecordedRunOptions {
  readonly mode: CycleReport['mode'];
  /** Plan and report, write nothing: no lock, no run recorded. */
  readonly dryRun: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * What every run of the engine shares, a cycle or a targeted sync: the cycle lock (so a `run` from cron and a
 * `serve` never overlap), the run recorded in the state store, the report's outcome and exit code, the API calls
 * it made, and the lock released whatever happens.
 */
export async function recordedRun(
  dependencies: CycleDependencies,
  options: RecordedRunOptions,
  body: (report: CycleReport, now: () => Date) => Promise<CycleError | null>,
): Promise<CycleReport> {
  const { store, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const runId = randomUUID();
  const startedAt = now();
  const usageBefore = { ...dependencies.usage };
  const report = newReport(runId, options.mode, options.dryRun, emptyApiUsage(), startedAt.toISOString());
  const holder = {
    id: `${hostname()}/${process.pid}/${runId}`,
    description: `crm-sync pid ${process.pid} on ${hostname()} since ${startedAt.toISOString()}`,
  };

  const lock = options.dryRun ? null : await takeCycleLock(store, holder, logger);
  if (lock !== null) {
    await store
      .startRun({ id: runId, startedAt: startedAt.toISOString(), mode: report.mode })
      .catch(async (error: unknown) => {
        await lock.release();
        throw error;
      });
  }
  try {
    settleOutcome(report, await body(report, now), options.signal, logger);
  } catch (error) {
    report.failure = error instanceof Error ? error.message : String(error);
    report.exitCode = 1;
    logger.error({ err: error }, `the ${report.mode} run stopped on an unexpected error`);
  } finally {
    const finishedAt = now();
    report.finishedAt = finishedAt.toISOString();
    report.durationMs = finishedAt.getTime() - startedAt.getTime();
    report.apiCalls = usageSince(usageBefore, dependencies.usage);
    report.peakRssBytes = process.resourceUsage().maxRSS * 1024;
    if (!options.dryRun) {
      try {
        await store.finishRun({
          id: runId,
          finishedAt: report.finishedAt,
          exitCode: report.exitCode,
          counts: flatCounts(report),
          apiCalls: { ...report.apiCalls },
        });
      } finally {
        // Even when the state refused the record (fenced, gone): the lock's renewal must stop, or it would take
        // the lock again for a run that ended.
        await lock?.release();
      }
    }
  }
  return report;
}

/** The exit code and failure of a run from what its body answered and the records it could not sync. */
function settleOutcome(
  report: CycleReport,
  failure: CycleError | null,
  signal: AbortSignal | undefined,
  logger: CycleDependencies['logger'],
): void {
  if (failure?.kind === 'interrupted') {
    const stop: StopSignal = signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    report.interrupted = stop;
    report.failure = failure.message;
    report.exitCode = signalExitCodes[stop];
    logger.warn({ signal: stop }, failure.message);
  } else if (failure !== null) {
    report.failure = failure.message;
    report.exitCode = 1;
    logger.error({ side: failure.side, kind: failure.kind }, failure.message);
  } else if (
    report.items.some(
      (item) =>
        item.outcome === 'failed' ||
        item.outcome === 'pending' ||
        (item.outcome === 'skipped' && item.reason === 'invalid-data'),
    )
  ) {
    report.exitCode = 3;
  }
}
