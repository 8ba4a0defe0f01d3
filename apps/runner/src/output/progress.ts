import type { CycleProgress } from '../engine/cycle.js';

const sides = { hubspot: 'HubSpot', 'visma-nxt': 'Business NXT', links: 'links checked' } as const;

/**
 * Progress of a long cycle: on a terminal one line redrawn in place (with a bar when the total is known); when
 * stderr is not a terminal (cron, CI), a plain line per phase at most every few seconds.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastPhase = '';
  let drawn = false;
  return {
    update(progress: CycleProgress): void {
      const phase = `${progress.entity}s · ${sides[progress.side]}`;
      const now = Date.now();
      const changedPhase = phase !== lastPhase;
      const due = now - lastDraw >= (tty ? 100 : 5000);
      if (!changedPhase && !due) return;
      lastDraw = now;
      lastPhase = phase;
      let text = `${phase}: ${progress.read} read`;
      if (progress.total !== null && progress.total > 0) {
        const share = Math.min(1, progress.read / progress.total);
        const width = 24;
        const filled = Math.round(share * width);
        text = `${phase}: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.read}/${progress.total}`;
      }
      if (tty) {
        stream.write(`\r\u001b[2K${text}`);
        drawn = true;
      } else stream.write(`${text}\n`);
    },
    done(): void {
      if (tty && drawn) stream.write('\r\u001b[2K');
    },
  };
}
