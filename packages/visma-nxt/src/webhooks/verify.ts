import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Visma Connect signs webhook bodies in (reference §8, from public code). */
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
 * deliveries. https://docs.vismasoftware.no/businessnxtapi/webhooks/connect
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Headers,
  secrets: readonly string[],
): boolean {
  const given = header(headers, signatureHeader);
  if (given === undefined || given.trim() === '') return false;
  const received = Buffer.from(given.trim(), 'base64');
  return secrets.some((secret) => {
    if (secret === '') return false;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return expected.length === received.length && timingSafeEqual(expected, received);
  });
}
