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
    /** A request that is answered at once. */
    request: async () => (await limiter.acquire())(),
  };
}

describe('the rolling-window limiter', () => {
  it('after "none remaining", waits until its oldest request in the window leaves it, not a whole window', async () => {
    const clock = limiterAt(1_000_000);
    await clock.request();
    clock.advance(8_000);
    await clock.request();
    // HubSpot's count is full (others' requests, or its own view): the next slot frees when our oldest leaves.
    clock.limiter.observe(100, 0);
    await clock.request();
    expect(clock.waits).toEqual([2_000]);
    expect(clock.now()).toBe(1_010_000);
  });

  it('waits a whole window after "none remaining" when none of its requests is in the window', async () => {
    const clock = limiterAt(2_000_000);
    await clock.request();
    clock.advance(20_000);
    clock.limiter.observe(100, 0);
    await clock.request();
    expect(clock.waits).toEqual([10_000]);
  });

  it('does not wait while some remain, and keeps to its own limit', async () => {
    const clock = limiterAt(3_000_000, 2);
    await clock.request();
    clock.limiter.observe(100, 5);
    await clock.request();
    expect(clock.waits).toEqual([]);
    await clock.request();
    expect(clock.waits).toEqual([10_000]);
  });

  it('counts the window from a request’s answer, so a slow answer keeps its slot longer', async () => {
    const clock = limiterAt(4_000_000, 2);
    const slow = await clock.limiter.acquire();
    await clock.request();
    // The slow request is answered 3 s after it was sent: HubSpot may have counted it as late as that.
    clock.advance(3_000);
    slow();
    await clock.request();
    // The fast one leaves the window 10 s after its answer (at 4 010 000), the slow one 10 s after its own.
    expect(clock.now()).toBe(4_010_000);
    await clock.request();
    expect(clock.now()).toBe(4_013_000);
  });

  it('waits for a request in flight to be answered when every slot is taken', async () => {
    const clock = limiterAt(5_000_000, 1);
    const inFlight = await clock.limiter.acquire();
    let started = false;
    const next = clock.limiter.acquire().then((answered) => {
      started = true;
      return answered;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toBe(false);
    clock.advance(1_000);
    inFlight();
    (await next)();
    expect(started).toBe(true);
    // Its slot leaves the window 10 s after the answer, not after the request was sent.
    expect(clock.now()).toBe(5_011_000);
  });
});
