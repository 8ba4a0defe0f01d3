import { describe, expect, it } from 'vitest';
import { createWindowLimiter } from './limiter.js';

/** A limiter on a clock the test moves; `sleep` moves it and records the wait. */
function limiterAt(start: number, limit = 100) {
  let now = start;
  const waits: number[] = [];
  const limiter = createWindowLimiter({
    limit,
    windowMs: 10_000,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return {
    limiter,
    waits,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('the rolling-window limiter', () => {
  it('after "none remaining", waits until its oldest request in the window leaves it, not a whole window', async () => {
    const clock = limiterAt(1_000_000);
    await clock.limiter.acquire();
    clock.advance(8_000);
    await clock.limiter.acquire();
    // HubSpot's count is full (others' requests, or its own view): the next slot frees when our oldest leaves.
    clock.limiter.observe(100, 0);
    await clock.limiter.acquire();
    expect(clock.waits).toEqual([2_000]);
    expect(clock.now()).toBe(1_010_000);
  });

  it('waits a whole window after "none remaining" when none of its requests is in the window', async () => {
    const clock = limiterAt(2_000_000);
    await clock.limiter.acquire();
    clock.advance(20_000);
    clock.limiter.observe(100, 0);
    await clock.limiter.acquire();
    expect(clock.waits).toEqual([10_000]);
  });

  it('does not wait while some remain, and keeps to its own limit', async () => {
    const clock = limiterAt(3_000_000, 2);
    await clock.limiter.acquire();
    clock.limiter.observe(100, 5);
    await clock.limiter.acquire();
    expect(clock.waits).toEqual([]);
    await clock.limiter.acquire();
    // The window plus 50 ms of slack for the time a request takes to arrive.
    expect(clock.waits).toEqual([10_050]);
  });
});
