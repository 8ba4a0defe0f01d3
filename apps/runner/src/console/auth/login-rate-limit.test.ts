import { describe, expect, it } from 'vitest';
import { createLoginRateLimit, type LoginFailureStore } from './login-rate-limit.js';

/** A store whose reads take a while, as a busy disk's would: parallel attempts overlap. */
function slowStore(): LoginFailureStore & { failures: Array<{ subject: string; at: string }> } {
  const failures: Array<{ subject: string; at: string }> = [];
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    failures,
    async recordLoginFailure(subject, at) {
      await later();
      failures.push({ subject, at });
    },
    async loginFailuresAfter(subject, after) {
      await later();
      return failures.filter((failure) => failure.subject === subject && failure.at > after).map((f) => f.at);
    },
    async clearLoginFailures(subject) {
      failures.splice(0, failures.length, ...failures.filter((failure) => failure.subject !== subject));
    },
    async pruneLoginFailures() {
      return 0;
    },
  };
}

describe('the sign-in rate limit', () => {
  it('lets at most 5 parallel guesses through before any failure is recorded', async () => {
    const limit = createLoginRateLimit(slowStore());
    const now = new Date('2026-03-02T09:00:00.000Z');
    const admissions = await Promise.all(
      Array.from({ length: 12 }, () => limit.admit({ userName: 'alice', address: '192.0.2.1' }, now)),
    );
    expect(admissions.filter((admission) => admission.ok)).toHaveLength(5);
    for (const admission of admissions) if (admission.ok) await admission.attempt.failed(now);
    const after = await limit.admit({ userName: 'alice', address: '192.0.2.99' }, now);
    expect(after).toEqual({ ok: false, retryAfterSeconds: 900 });
  });

  it('keeps no client address or user name in the clear', async () => {
    const store = slowStore();
    const limit = createLoginRateLimit(store);
    const now = new Date('2026-03-02T09:00:00.000Z');
    const admission = await limit.admit({ userName: 'alice', address: '192.0.2.1' }, now);
    if (admission.ok) await admission.attempt.failed(now);
    expect(store.failures).toHaveLength(2);
    for (const failure of store.failures) {
      expect(failure.subject).toMatch(/^[0-9a-f]{64}$/u);
      expect(failure.subject).not.toContain('alice');
    }
  });
});
