import type { Logger } from 'pino';
import type { createEngineLane, LaneOutcome } from './engine-lane.js';
import { pause } from './leadership/pause.js';

export interface LoopSchedule {
  /** Milliseconds between incremental cycles (from the end of one to the start of the next). */
  readonly intervalMs: number;
  /** When the next daily full cycle is due, after `now`. */
  readonly nextFullAt: (now: Date) => Date;
  /**
   * How long the inbox gathers deliveries, from the first of a burst, before a targeted sync starts: default 250 ms.
   * While deliveries keep arriving (one within the last 150 ms) it gathers on, up to 2 s from the first, so a burst is
   * one run, not a trickle.
   */
  readonly gatherMs?: number | undefined;
}

export interface LastRun {
  readonly mode: string;
  readonly failed: boolean;
  readonly at: Date;
}

export interface LoopState {
  /** The last scheduled cycle's outcome, `null` before the first: readiness and the console read it. */
  lastCycle: LastRun | null;
  /** The last targeted sync's outcome. */
  lastTargeted: LastRun | null;
  nextIncrementalAt: Date;
  nextFullAt: Date;
}

// After a failed targeted sync or a held lock, the inbox waits this long, doubling up to the maximum.
const firstBackoffMs = 2_000;
const maxBackoffMs = 60_000;
// A cycle that found the lock held is tried again after this long.
const lockedRetryMs = 30_000;
// Gathering goes on while a delivery came within this long, up to the maximum (from the gathering's start).
const stillArrivingMs = 150;
const maxGatherMs = 2_000;

/**
 * The service's schedule (docs/DESIGN.md §5b): at start the inbox and a cycle, then incremental cycles every
 * interval and a full one at the daily time, with the inbox's targeted syncs in between, one engine call at a time.
 * Webhooks wake it (`wake`); the schedule guarantees everything is found without them. It runs while this instance
 * leads (`run`, once per term: on SQLite one term from start to stop) and stops when the term's signal aborts, after
 * the run in flight finished (the engine commits what it did and stops at the next slice).
 */
export function createServiceLoop(
  lane: ReturnType<typeof createEngineLane>,
  schedule: LoopSchedule,
  options: { readonly logger: Logger; readonly now: () => Date },
) {
  const { logger, now } = options;
  const state: LoopState = {
    lastCycle: null,
    lastTargeted: null,
    nextIncrementalAt: now(),
    nextFullAt: schedule.nextFullAt(now()),
  };
  let inboxDue = true;
  let inboxBackoffMs = 0;
  let inboxRetryAt = 0;
  let cycleRetryAt = 0;
  let wakeUp: (() => void) | null = null;
  // Monotonic milliseconds (not `now`, which tests may hold still) of the first delivery since the inbox was last
  // read, and of the last one.
  let firstArrivalAt: number | null = null;
  let lastArrivalAt = Number.NEGATIVE_INFINITY;

  /**
   * Gathers a burst: until `gatherMs` after its first delivery (events that arrived while a run went on have waited
   * that long already), then on while deliveries keep coming, up to `maxGatherMs` after the first.
   */
  async function gather(signal: AbortSignal): Promise<void> {
    const firstAt = firstArrivalAt ?? performance.now();
    await pause(Math.max(0, firstAt + (schedule.gatherMs ?? 250) - performance.now()), signal);
    for (;;) {
      const at = performance.now();
      const quietFor = at - lastArrivalAt;
      const left = maxGatherMs - (at - firstAt);
      if (quietFor >= stillArrivingMs || left <= 0 || signal.aborted) break;
      await pause(Math.min(stillArrivingMs - quietFor, left), signal);
    }
    firstArrivalAt = null;
  }

  const remember = (outcome: LaneOutcome | null): void => {
    if (outcome?.kind !== 'ran') return;
    const run = { mode: outcome.report.mode, failed: outcome.report.exitCode === 1, at: now() };
    if (run.mode === 'targeted') state.lastTargeted = run;
    else state.lastCycle = run;
  };

  const cycleDueAt = () =>
    Math.max(cycleRetryAt, Math.min(state.nextIncrementalAt.getTime(), state.nextFullAt.getTime()));

  /** Where a term starts: the inbox at once (its events waited), then a cycle, as at the service's start. */
  function startTerm(): void {
    state.nextIncrementalAt = now();
    inboxDue = true;
    inboxBackoffMs = 0;
    inboxRetryAt = 0;
    cycleRetryAt = 0;
  }

  async function inboxStep(signal: AbortSignal, gathered: boolean): Promise<void> {
    inboxDue = false;
    if (gathered) firstArrivalAt = null;
    else await gather(signal);
    const outcome = await lane.inbox(signal);
    remember(outcome);
    const failed =
      outcome?.kind === 'locked' ||
      outcome?.kind === 'fenced' ||
      (outcome?.kind === 'ran' && outcome.report.exitCode === 1);
    if (failed) {
      inboxBackoffMs = Math.min(maxBackoffMs, inboxBackoffMs === 0 ? firstBackoffMs : inboxBackoffMs * 2);
      inboxRetryAt = now().getTime() + inboxBackoffMs;
      inboxDue = true;
    } else {
      inboxBackoffMs = 0;
      // More may wait (more than one run takes), or have arrived while it ran (`wake` set it again).
      inboxDue = inboxDue || outcome !== null;
    }
  }

  async function step(signal: AbortSignal): Promise<void> {
    const at = now();
    if (at.getTime() >= cycleDueAt()) {
      const full = at >= state.nextFullAt;
      const outcome = await lane.cycle(full, signal);
      remember(outcome);
      if (outcome.kind === 'locked' || outcome.kind === 'fenced') {
        // A `run` from cron holds the lock (or another instance leads now): the same cycle is tried again soon.
        cycleRetryAt = now().getTime() + lockedRetryMs;
        return;
      }
      state.nextIncrementalAt = new Date(now().getTime() + schedule.intervalMs);
      if (full) state.nextFullAt = schedule.nextFullAt(now());
      // Events that waited for the first full cycle, or arrived during this one.
      inboxDue = true;
      return;
    }
    if (inboxDue && at.getTime() >= inboxRetryAt) {
      await inboxStep(signal, false);
      return;
    }
    const until = Math.min(cycleDueAt(), inboxDue ? inboxRetryAt : Number.POSITIVE_INFINITY);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, until - now().getTime()));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  return {
    state,
    /** New events are in the inbox. */
    wake(): void {
      inboxDue = true;
      lastArrivalAt = performance.now();
      firstArrivalAt ??= lastArrivalAt;
      if (now().getTime() >= inboxRetryAt) wakeUp?.();
    },
    /**
     * Runs one term until `signal` aborts; a run that throws (a bug, the state store gone) is logged and retried
     * later, unless the term ended under it (stepped down: its writes were refused).
     */
    async run(signal: AbortSignal): Promise<void> {
      startTerm();
      let first = true;
      while (!signal.aborted) {
        try {
          if (first) await inboxStep(signal, true);
          else await step(signal);
          first = false;
        } catch (error) {
          first = false;
          if (signal.aborted) {
            logger.warn(
              { err: error },
              `the run in flight ended as this term did (${String(signal.reason)})`,
            );
            break;
          }
          logger.error({ err: error }, 'the service loop hit an unexpected error; trying again in a minute');
          state.lastCycle = { mode: 'service', failed: true, at: now() };
          await pause(60_000, signal);
        }
      }
    },
  };
}
