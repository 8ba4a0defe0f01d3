import { createHmac, timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { verifySignatureV3 } from './signature.js';

// The comparison must be the constant-time one: the real function, watched.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

beforeEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
});

describe('verifySignatureV3', () => {
  // https://developers.hubspot.com/docs/api/webhooks/validating-requests
  const uri = 'https://sync.example.no/webhooks/hubspot';
  const body = '[{"eventId":1,"objectId":2}]';
  const timestamp = 1_764_583_200_000;
  const secret = 'client-secret';
  const signed = createHmac('sha256', secret).update(`POST${uri}${body}${timestamp}`).digest('base64');
  const other = createHmac('sha256', 'another-secret').update(`POST${uri}${body}${timestamp}`).digest();

  it('compares the signatures with timingSafeEqual', () => {
    const check = (signature: string) =>
      verifySignatureV3({
        method: 'POST',
        uri,
        rawBody: body,
        timestamp,
        signature,
        clientSecret: secret,
        now: timestamp + 1000,
      });
    expect(check(signed)).toEqual({ ok: true });
    expect(check(other.toString('base64'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    const [expected, given] = vi.mocked(timingSafeEqual).mock.calls[1] ?? [];
    expect(Buffer.from(given as Uint8Array).toString('base64')).toBe(other.toString('base64'));
    expect(Buffer.from(expected as Uint8Array).toString('base64')).toBe(signed);
  });
});
