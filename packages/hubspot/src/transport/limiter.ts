/**
 * A rolling-window limiter whose limit can follow what the server reports. HubSpot counts requests per app in a
 * rolling 10-second window (100, 190 or 250 by plan) and search separately (4–5 a second), and reports its view in
 * `X-HubSpot-RateLimit-*` headers. https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * (The Business NXT client has its own small limiter: the two clients may not depend on each other.)
 *
 * A request holds its slot from the moment it may start until its answer came, and the slot leaves the window one
 * window after that answer. HubSpot counts a request when it arrives, which is somewhere between our sending it and
 * its answer; counting from the answer never frees a slot before HubSpot does, however long a request waited in a
 * queue on either side (many requests at once, a busy server).
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
  /** Our requests in the window: `answeredAt` is null while one is in flight. */
  const slots: { answeredAt: number | null }[] = [];
  let wake: (() => void) | null = null;
  const answered = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const take = async (): Promise<{ answeredAt: number | null }> => {
    for (;;) {
      const now = options.now();
      if (now < pausedUntil) {
        await options.sleep(pausedUntil - now);
        continue;
      }
      for (let index = slots.length - 1; index >= 0; index -= 1) {
        const answeredAt = slots[index]?.answeredAt ?? null;
        if (answeredAt !== null && answeredAt <= now - windowMs) slots.splice(index, 1);
      }
      if (slots.length < limit) {
        const slot = { answeredAt: null };
        slots.push(slot);
        return slot;
      }
      const leaves = slots.flatMap((slot) => (slot.answeredAt === null ? [] : [slot.answeredAt + windowMs]));
      const next = answered();
      await (leaves.length === 0 ? next : Promise.race([next, options.sleep(Math.min(...leaves) - now)]));
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    /** Resolves when a request may start; call the function it gives once the request is answered (or failed). */
    async acquire(): Promise<() => void> {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      const slot = await turn;
      return () => {
        if (slot.answeredAt !== null) return;
        slot.answeredAt = options.now();
        wake?.();
      };
    },
    /**
     * Follow the server: its window length, a lower maximum than configured. None left means no request until the
     * oldest of ours in the window leaves it: that frees the server's next slot (others' requests, if any, are in its
     * count too; a 429 then makes the client wait). With none of ours answered in the window, a whole window.
     */
    observe(max: number | null, remaining: number | null, intervalMs: number | null = null): void {
      if (intervalMs !== null && intervalMs > 0) windowMs = intervalMs;
      if (max !== null && max > 0 && max < limit) limit = max;
      if (remaining !== 0) return;
      const now = options.now();
      const inWindow = slots.flatMap((slot) =>
        slot.answeredAt !== null && slot.answeredAt > now - windowMs ? [slot.answeredAt] : [],
      );
      pausedUntil = Math.max(pausedUntil, (inWindow.length === 0 ? now : Math.min(...inWindow)) + windowMs);
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
