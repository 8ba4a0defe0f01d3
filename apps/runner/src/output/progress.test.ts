import { expect, it } from 'vitest';
import type { CycleProgress } from '../engine/cycle.js';
import { createProgress } from './progress.js';

function plainStream() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
  return { lines, stream };
}

const customers = (
  side: CycleProgress['side'],
  read: number,
  total: number | null = null,
): CycleProgress => ({
  entity: 'customer',
  side,
  read,
  total,
});

it('prints one plain line per phase with what it read in the end, and a line every 5 s of a long phase', () => {
  const { lines, stream } = plainStream();
  let clock = 0;
  const progress = createProgress(stream, () => clock);
  progress.update(customers('hubspot', 100));
  progress.update(customers('hubspot', 258));
  progress.update(customers('visma-nxt', 500, 1200));
  clock = 6000;
  progress.update(customers('visma-nxt', 1000, 1200));
  clock = 7000;
  progress.update(customers('visma-nxt', 1200, 1200));
  progress.done();
  expect(lines).toEqual([
    'customers · HubSpot: 258 read\n',
    'customers · Business NXT: [####################----] 1000/1200\n',
    'customers · Business NXT: [########################] 1200/1200\n',
  ]);
});
