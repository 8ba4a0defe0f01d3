import type { Logger } from 'pino';
import type { CycleProgress } from '../engine/cycle.js';
import { createLogger } from '../logging/logger.js';
import { stderrLogger, terminalLine } from '../logging/stderr.js';

const sides = { hubspot: 'HubSpot', 'visma-nxt': 'Business NXT', links: 'links checked' } as const;

function describe(progress: CycleProgress): string {
  const phase = `${progress.entity}s · ${sides[progress.side]}`;
  if (progress.total === null || progress.total <= 0) return `${phase}: ${progress.read} read`;
  const width = 24;
  const filled = Math.round(Math.min(1, progress.read / progress.total) * width);
  return `${phase}: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.read}/${progress.total}`;
}

/** The same, as a log message: no bar. */
function summarize(progress: CycleProgress): string {
  const phase = `${progress.entity}s · ${sides[progress.side]}`;
  if (progress.total === null || progress.total <= 0) return `${phase}: ${progress.read} read`;
  return `${phase}: ${progress.read}/${progress.total} read`;
}

const phaseOf = (progress: CycleProgress) => `${progress.entity}/${progress.side}`;

/**
 * Progress of a long cycle. On a terminal: one line redrawn in place (with a bar when the total is known), kept
 * clear of log lines (`logging/stderr.ts`). Not on a terminal (cron, CI): an entry when a phase ends, with what
 * it read, and one every few seconds while a long phase runs. On stderr, which then carries the JSON log lines,
 * each entry is a log line of its own (level info, with a `progress` field) through `logger`, by default the
 * process's stderr logger, so the stream stays JSON lines only; on any other stream, a plain line.
 */
export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
  logger?: Logger,
) {
  const tty = stream.isTTY === true;
  const log = tty
    ? null
    : (logger ?? (stream === process.stderr ? (stderrLogger() ?? createLogger()) : null));
  let lastDraw = now();
  let drawn = false;
  // Not a terminal: the newest state of the running phase, and whether that exact state is printed already.
  let current: CycleProgress | null = null;
  let printed = true;
  const flush = () => {
    if (current !== null && !printed) {
      if (log) log.info({ progress: current }, summarize(current));
      else stream.write(`${describe(current)}\n`);
    }
    printed = true;
  };
  return {
    update(progress: CycleProgress): void {
      if (tty) {
        if (now() - lastDraw < 100 && drawn) return;
        lastDraw = now();
        terminalLine.draw(stream, describe(progress));
        drawn = true;
        return;
      }
      if (current !== null && phaseOf(current) !== phaseOf(progress)) {
        flush();
        lastDraw = now();
      }
      current = progress;
      printed = false;
      if (now() - lastDraw >= 5000) {
        lastDraw = now();
        flush();
      }
    },
    done(): void {
      if (tty && drawn) terminalLine.clear(stream);
      if (!tty) flush();
    },
  };
}
