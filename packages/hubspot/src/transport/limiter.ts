/**
 * A rolling-window limiter whose limit can follow what the server reports. HubSpot counts requests per app in a
 * rolling 10-second window (100, 190 or 250 by plan) and search separately (4–5 a second), and reports its view in
 * `X-HubSpot-RateLimit-*` headers. https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * (The Business NXT client has its own small limiter: the two clients may not depend on each other.)
 */
export function createWindowLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}) {
  let limit = options.limit;
  let windowMs = options.windowMs;
  let pausedUntil = 0;
  const starts: number[] = [];
  // HubSpot counts a request when it arrives, we when we send it: a request that left just as a slot freed may
  // arrive while the server still counts the old one. A little slack on top of the window absorbs that jitter.
  const slackMs = 50;
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const now = options.now();
      if (now < pausedUntil) {
        await options.sleep(pausedUntil - now);
        continue;
      }
      while (starts.length > 0 && (starts[0] ?? 0) <= now - windowMs - slackMs) starts.shift();
      if (starts.length < limit) {
        starts.push(now);
        return;
      }
      await options.sleep((starts[0] ?? now) + windowMs + slackMs - now);
    }
  };
  return {
    acquire(): Promise<void> {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
    /**
     * Follow the server: its window length, a lower maximum than configured. None left means no request until the
     * oldest of ours still in the window leaves it: that frees the server's next slot (others' requests, if any,
     * are in its count too; a 429 then makes the client wait). With none of ours in the window, a whole window.
     */
    observe(max: number | null, remaining: number | null, intervalMs: number | null = null): void {
      if (intervalMs !== null && intervalMs > 0) windowMs = intervalMs;
      if (max !== null && max > 0 && max < limit) limit = max;
      if (remaining !== 0) return;
      const now = options.now();
      const oldest = starts.find((start) => start > now - windowMs);
      pausedUntil = Math.max(pausedUntil, (oldest ?? now) + windowMs);
    },
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, options.now() + ms);
    },
    get limit(): number {
      return limit;
    },
    get windowMs(): number {
      return windowMs;
    },
  };
}

export type WindowLimiter = ReturnType<typeof createWindowLimiter>;
