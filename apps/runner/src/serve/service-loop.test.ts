import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { createEngineLane, LaneOutcome } from './engine-lane.js';
import { createServiceLoop } from './service-loop.js';

type Lane = ReturnType<typeof createEngineLane>;
const logger = pino({ level: 'silent' });
const schedule = { intervalMs: 3_600_000, nextFullAt: (at: Date) => new Date(at.getTime() + 86_400_000) };

/** A lane that records its calls; its cycle ends the current term (as a step-down would) and answers `cycle`. */
function laneEndingTerms(cycle: (term: AbortController) => Promise<LaneOutcome>) {
  const calls: string[] = [];
  let term = new AbortController();
  const lane = {
    async inbox() {
      calls.push('inbox');
      return null;
    },
    async cycle() {
      calls.push('cycle');
      return cycle(term);
    },
  } as unknown as Lane;
  return {
    calls,
    lane,
    nextTerm: () => {
      term = new AbortController();
      return term.signal;
    },
  };
}

describe('the service loop, one term at a time', () => {
  it('starts each term with the inbox, then a cycle, and stops when the term ends', async () => {
    const fake = laneEndingTerms(async (term) => {
      term.abort('stepped down');
      return { kind: 'fenced' };
    });
    const loop = createServiceLoop(fake.lane, schedule, { logger, now: () => new Date() });
    await loop.run(fake.nextTerm());
    await loop.run(fake.nextTerm());
    expect(fake.calls).toEqual(['inbox', 'cycle', 'inbox', 'cycle']);
    expect(loop.state.lastCycle).toBeNull();
  });

  it('does not count a run that failed as its term ended (its writes were refused) as a failed cycle', async () => {
    const fake = laneEndingTerms(async (term) => {
      term.abort('stepped down');
      throw new Error('fenced: this instance is the standby');
    });
    const loop = createServiceLoop(fake.lane, schedule, { logger, now: () => new Date() });
    await loop.run(fake.nextTerm());
    expect(loop.state.lastCycle).toBeNull();
  });
});
