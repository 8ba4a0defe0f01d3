import type { CycleProgress } from '../engine/cycle.js';

const sides = { hubspot: 'HubSpot', 'visma-nxt': 'Business NXT', links: 'links checked' } as const;

function describe(progress: CycleProgress): string {
  const phase = `${progress.entity}s · ${sides[progress.side]}`;
  if (progress.total === null || progress.total <= 0) return `${phase}: ${progress.read} read`;
  const width = 24;
  const filled = Math.round(Math.min(1, progress.read / progress.total) * width);
  return `${phase}: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.read}/${progress.total}`;
}

const phaseOf = (progress: CycleProgress) => `${progress.entity}/${progress.side}`;

/**
 * Progress of a long cycle. On a terminal: one line redrawn in place (with a bar when the total is known). When
 * stderr is not a terminal (cron, CI): a plain line when a phase ends, with what it read, and one every few
 * seconds while a long phase runs.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const tty = stream.isTTY === true;
  let lastDraw = now();
  let drawn = false;
  // Not a terminal: the newest state of the running phase, and whether that exact state is printed already.
  let current: CycleProgress | null = null;
  let printed = true;
  const flush = () => {
    if (current !== null && !printed) stream.write(`${describe(current)}\n`);
    printed = true;
  };
  return {
    update(progress: CycleProgress): void {
      if (tty) {
        if (now() - lastDraw < 100 && drawn) return;
        lastDraw = now();
        stream.write(`\r\u001b[2K${describe(progress)}`);
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
      if (tty && drawn) stream.write('\r\u001b[2K');
      if (!tty) flush();
    },
  };
}
