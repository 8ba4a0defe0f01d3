import type { Run } from '../../state/state-store.js';

/** Whether a run ran to its end: clean (0) or with records held (3). What "the last success" means. */
export function succeeded(run: Run): boolean {
  return run.finishedAt !== null && (run.exitCode === 0 || run.exitCode === 3);
}

/** How a run ended, in words and as a style (`ok`, `held`, `failing`, `muted`). */
export function runOutcome(
  run: Pick<Run, 'exitCode' | 'finishedAt'>,
  laterRunStarted: boolean,
): { words: string; tone: 'ok' | 'held' | 'failing' | 'muted' } {
  if (run.finishedAt === null || run.exitCode === null)
    // A later run could take the lock, so this one is not running any more.
    return laterRunStarted ? { words: 'killed', tone: 'failing' } : { words: 'running', tone: 'muted' };
  switch (run.exitCode) {
    case 0:
      return { words: 'ok', tone: 'ok' };
    case 3:
      return { words: 'ok, records held', tone: 'held' };
    case 130:
      return { words: 'interrupted (SIGINT)', tone: 'held' };
    case 143:
      return { words: 'interrupted (SIGTERM)', tone: 'held' };
    default:
      return { words: `failed (exit ${run.exitCode})`, tone: 'failing' };
  }
}

/** How long a run took, in milliseconds; `null` while it runs. */
export function runDurationMs(run: Pick<Run, 'startedAt' | 'finishedAt'>): number | null {
  return run.finishedAt === null ? null : Date.parse(run.finishedAt) - Date.parse(run.startedAt);
}

/** A run's counts summed over both entities for the kinds ending in `suffix` (`.create-erp`, `.failed`, …). */
export function countOf(run: Pick<Run, 'counts'>, ...suffixes: readonly string[]): number {
  return Object.entries(run.counts)
    .filter(([key]) => suffixes.some((suffix) => key.endsWith(suffix)))
    .reduce((total, [, value]) => total + value, 0);
}

/** The requests a run made to each system, and how many of them were answered 429. */
export function requestsOf(run: Pick<Run, 'apiCalls'>) {
  return {
    hubspot: run.apiCalls.hubspot ?? 0,
    hubspotRateLimited: run.apiCalls.hubspotRateLimited ?? 0,
    businessNxt: run.apiCalls.vismaNxt ?? 0,
    businessNxtRateLimited: run.apiCalls.vismaNxtRateLimited ?? 0,
  };
}
