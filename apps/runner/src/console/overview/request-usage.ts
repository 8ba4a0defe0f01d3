import type { RunnerConfig } from '../../config/config.js';
import type { Run } from '../../state/state-store.js';
import { requestsOf, runDurationMs } from '../runs/run-words.js';
import { type RequestLimit, requestLimits } from './api-limits.js';

/** One system's requests against its limit: in the last cycle, and over the runs of the last 24 hours. */
export interface SystemUsage {
  readonly limit: RequestLimit;
  readonly lastCycle: {
    readonly requests: number;
    readonly rateLimited: number;
    readonly durationMs: number;
    /** The cycle's requests per window on average (a cycle shorter than one window: all its requests). */
    readonly perWindow: number;
  } | null;
  readonly lastDay: { readonly requests: number; readonly rateLimited: number; readonly runs: number };
}

const dayMs = 24 * 60 * 60_000;

/** Requests of the last finished cycle and of the last day's runs (`runs` newest first), per system. */
export function requestUsage(
  runs: readonly Run[],
  config: RunnerConfig | undefined,
  now: Date,
): readonly [SystemUsage, SystemUsage] {
  const [hubspot, businessNxt] = requestLimits(config);
  const lastCycle = runs.find((run) => run.mode !== 'targeted' && run.finishedAt !== null);
  const lastDay = runs.filter((run) => now.getTime() - Date.parse(run.startedAt) <= dayMs);
  const usage = (
    limit: RequestLimit,
    pick: (run: Run) => { requests: number; rateLimited: number },
  ): SystemUsage => {
    const sum = lastDay.map(pick).reduce(
      (total, one) => ({
        requests: total.requests + one.requests,
        rateLimited: total.rateLimited + one.rateLimited,
      }),
      { requests: 0, rateLimited: 0 },
    );
    const durationMs = lastCycle === undefined ? 0 : (runDurationMs(lastCycle) ?? 0);
    const windows = Math.max(1, durationMs / 1000 / limit.windowSeconds);
    return {
      limit,
      lastCycle:
        lastCycle === undefined
          ? null
          : { ...pick(lastCycle), durationMs, perWindow: Math.round(pick(lastCycle).requests / windows) },
      lastDay: { ...sum, runs: lastDay.length },
    };
  };
  return [
    usage(hubspot, (run) => ({
      requests: requestsOf(run).hubspot,
      rateLimited: requestsOf(run).hubspotRateLimited,
    })),
    usage(businessNxt, (run) => ({
      requests: requestsOf(run).businessNxt,
      rateLimited: requestsOf(run).businessNxtRateLimited,
    })),
  ];
}
