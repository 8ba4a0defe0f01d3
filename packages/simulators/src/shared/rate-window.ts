/** Counts events in a sliding window, per key: the basis of the simulators' rate limits. */
export function createRateWindow(windowMs: number, now: () => number) {
  const events = new Map<string, number[]>();
  const prune = (key: string): number[] => {
    const list = events.get(key) ?? [];
    const cutoff = now() - windowMs;
    while (list.length > 0 && (list[0] ?? 0) <= cutoff) list.shift();
    events.set(key, list);
    return list;
  };
  return {
    /** Records an event if fewer than `limit` are in the window; otherwise says when a slot frees up. */
    take(key: string, limit: number): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
      const list = prune(key);
      if (list.length >= limit)
        return { ok: false, retryAfterMs: Math.max(0, (list[0] ?? now()) + windowMs - now()) };
      list.push(now());
      return { ok: true, remaining: limit - list.length };
    },
    count: (key: string) => prune(key).length,
  };
}
