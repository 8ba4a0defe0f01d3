/** How the client retries what failed but may succeed later. Every field has a default. */
export interface VismaNxtRetryPolicy {
  /** Attempts after the first. Default 5. */
  readonly retries: number;
  /** First backoff, doubled each attempt, with full jitter. Default 500 ms. */
  readonly minDelayMs: number;
  /** Longest single wait, also the cap on a `Retry-After`. Default 60 s. */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: VismaNxtRetryPolicy = { retries: 5, minDelayMs: 500, maxDelayMs: 60_000 };

/**
 * Exponential backoff with full jitter (a random wait between 0 and the exponential cap), so many clients
 * backing off together do not retry in step. A server-given `Retry-After` wins when present.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(
  policy: VismaNxtRetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  if (retryAfterMs !== null) return Math.min(Math.max(retryAfterMs, 0), policy.maxDelayMs);
  const cap = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.round(cap * random());
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. https://www.rfc-editor.org/rfc/rfc9110#field.retry-after */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/u.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
