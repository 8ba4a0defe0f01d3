import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignatureV3Input {
  readonly method: string;
  /** The full URL HubSpot called, protocol, host, path and query string in their original order. */
  readonly uri: string;
  readonly rawBody: string;
  /** `X-HubSpot-Request-Timestamp`: epoch milliseconds. */
  readonly timestamp: string | number;
  /** `X-HubSpot-Signature-v3`. */
  readonly signature: string;
  /** The app's client secret. */
  readonly clientSecret: string;
  /** Now, in epoch ms; default `Date.now()`. */
  readonly now?: number | undefined;
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'stale' | 'mismatch' };

// Characters HubSpot decodes in the URI before signing it.
const decoded: ReadonlyArray<readonly [RegExp, string]> = [
  [/%3A/giu, ':'],
  [/%2F/giu, '/'],
  [/%3F/giu, '?'],
  [/%40/giu, '@'],
  [/%21/giu, '!'],
  [/%24/giu, '$'],
  [/%27/giu, "'"],
  [/%28/giu, '('],
  [/%29/giu, ')'],
  [/%2A/giu, '*'],
  [/%2C/giu, ','],
  [/%3B/giu, ';'],
];
const maxAgeMs = 5 * 60_000;

/**
 * Validates a v3 webhook signature: base64 HMAC-SHA256, keyed with the client secret, over
 * `method + uri + rawBody + timestamp`, with the listed percent-encodings in the URI decoded; timestamps older than
 * five minutes are rejected; the comparison takes constant time.
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
export function verifySignatureV3(input: SignatureV3Input): SignatureCheck {
  if (!input.signature || !input.clientSecret || input.timestamp === '')
    return { ok: false, reason: 'missing' };
  const timestamp = Number(input.timestamp);
  const now = input.now ?? Date.now();
  if (!Number.isFinite(timestamp) || Math.abs(now - timestamp) > maxAgeMs)
    return { ok: false, reason: 'stale' };
  let uri = input.uri;
  for (const [pattern, character] of decoded) uri = uri.replace(pattern, character);
  const source = `${input.method.toUpperCase()}${uri}${input.rawBody}${input.timestamp}`;
  const expected = createHmac('sha256', input.clientSecret).update(source, 'utf8').digest();
  const given = Buffer.from(input.signature, 'base64');
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}
