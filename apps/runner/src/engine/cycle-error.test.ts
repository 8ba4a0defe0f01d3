import { describe, expect, it } from 'vitest';
import { fromHubSpot, fromVisma, mayHaveApplied } from './cycle-error.js';

describe('cycle errors', () => {
  it('stops the cycle on credentials and on HubSpot’s daily limit only', () => {
    const auth = {
      kind: 'auth',
      message: 'no',
      status: 401,
      category: null,
      correlationId: null,
      requiredScopes: [],
      retryable: false,
    } as const;
    expect(fromHubSpot(auth, 'reading').fatal).toBe(true);
    const daily = {
      kind: 'rate-limited',
      message: 'daily',
      policy: 'DAILY',
      correlationId: null,
      retryAfterMs: null,
      retryable: false,
    } as const;
    expect(fromHubSpot(daily, 'reading').fatal).toBe(true);
    expect(fromHubSpot({ ...daily, policy: 'TEN_SECONDLY_ROLLING', retryable: true }, 'reading').fatal).toBe(
      false,
    );
    expect(fromVisma({ kind: 'network', message: 'reset', retryable: true }, 'reading')).toMatchObject({
      fatal: false,
      side: 'visma-nxt',
      message: 'Business NXT, reading: reset',
    });
  });

  it('treats exactly the clients’ outcome-unknown as possibly applied (creates are looked up before any retry)', () => {
    const unknown = { kind: 'outcome-unknown', message: 'reset', status: null, retryable: false } as const;
    expect(mayHaveApplied({ ...unknown, cause: 'network', correlationId: null })).toBe(true);
    expect(mayHaveApplied({ ...unknown, cause: 'server-error', status: 502 })).toBe(true);
    // A create ends in these kinds only when it was not applied; unclear reads and updates are retried instead.
    expect(mayHaveApplied({ kind: 'timeout', message: 't', retryable: true })).toBe(false);
    expect(mayHaveApplied({ kind: 'http', message: 'bad gateway', status: 502, retryable: true })).toBe(
      false,
    );
    expect(mayHaveApplied({ kind: 'http', message: 'bad request', status: 400, retryable: false })).toBe(
      false,
    );
    expect(
      mayHaveApplied({ kind: 'graphql', message: 'rejected', errors: [], data: null, retryable: false }),
    ).toBe(false);
  });
});
