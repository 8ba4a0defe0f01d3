/**
 * A sliding-window limiter: at most `limit` starts in any `windowMs`. Business NXT allows 600 requests a minute
 * per token and answers 429 past that (https://docs.vismasoftware.no/businessnxtapi/apireference/ratelimits/),
 * so the client paces itself instead of spending retries.
 */
export interface RateLimiter {
  /** Resolves when a request may start, and counts it. */
  acquire(): Promise<void>;
}

export function createSlidingWindowLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): RateLimiter {
  const starts: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const now = options.now();
      while (starts.length > 0 && (starts[0] ?? 0) <= now - options.windowMs) starts.shift();
      if (starts.length < options.limit) {
        starts.push(now);
        return;
      }
      await options.sleep((starts[0] ?? now) + options.windowMs - now);
    }
  };
  return {
    acquire() {
      // One waiter at a time keeps the order fair and the window exact.
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
