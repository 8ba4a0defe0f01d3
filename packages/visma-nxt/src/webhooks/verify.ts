import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The header Visma Connect signs webhook bodies in, from public code:
 * https://github.com/omelhus/business-nxt-webhooks (src/utils/verifySignaturev2.ts).
 */
export const signatureHeader = 'x-vwd-signature-v1';

type Headers = Readonly<Record<string, string | readonly string[] | undefined>> | globalThis.Headers;

function header(headers: Headers, name: string): string | undefined {
  if (headers instanceof globalThis.Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : typeof value === 'string' ? value : undefined;
}

/**
 * Checks a Business NXT (Visma Connect) webhook: base64 HMAC-SHA256 of the raw body with the subscription's
 * signature key, compared in constant time. Several secrets may be given, so a key can be rotated without losing
 * deliveries. With `freshness`, a payload whose signed `timestamp` is older than `maxAgeMs` is refused too. https://docs.vismasoftware.no/businessnxtapi/webhooks/connect
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Headers,
  secrets: readonly string[],
  freshness?: { readonly maxAgeMs: number; readonly now?: number | undefined },
): boolean {
  const given = header(headers, signatureHeader);
  if (given === undefined || given.trim() === '') return false;
  const received = Buffer.from(given.trim(), 'base64');
  const signed = secrets.some((secret) => {
    if (secret === '') return false;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return expected.length === received.length && timingSafeEqual(expected, received);
  });
  if (!signed || freshness === undefined) return signed;
  return isFresh(rawBody, freshness.maxAgeMs, freshness.now ?? Date.now());
}

/**
 * Replay protection, opt-in: the signed payload's `timestamp` (UTC, when the webhook was created) must be within
 * `maxAgeMs` of now. Visma retries a failed delivery with backoff, so the window must cover its retries.
 */
function isFresh(rawBody: string | Uint8Array, maxAgeMs: number, now: number): boolean {
  try {
    const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
    const payload = JSON.parse(text) as { timestamp?: unknown };
    const created = typeof payload.timestamp === 'string' ? Date.parse(payload.timestamp) : Number.NaN;
    return Number.isFinite(created) && Math.abs(now - created) <= maxAgeMs;
  } catch {
    return false;
  }
}
