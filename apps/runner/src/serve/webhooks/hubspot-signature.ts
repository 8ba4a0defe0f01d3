import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface HubSpotSignatureInput {
  /** The request's method, as HubSpot sent it (`POST`). */
  readonly method: string;
  /** The URIs HubSpot may have called (`signedUriCandidates`): a v3 signature must match one of them. */
  readonly uris: readonly string[];
  /** The body exactly as received, before any parsing. */
  readonly rawBody: string;
  readonly headers: Headers;
  /** The app's client secret. */
  readonly secret: string;
  /** Now, in epoch milliseconds. */
  readonly now: number;
}

export type HubSpotSignatureCheck =
  | { readonly ok: true; readonly version: 'v3' | 'v1' }
  | {
      readonly ok: false;
      /** `unsigned`: no signature headers; `forged`: a signature that does not match; `stale`: a matching v3
       * signature whose timestamp is more than 5 minutes from now (a replay, or a clock far off). */
      readonly reason: 'unsigned' | 'forged' | 'stale' | 'unsupported-version';
    };

const maxAgeMs = 5 * 60_000;

// The percent-encodings HubSpot decodes in the URI before signing it (the v3 section of
// https://developers.hubspot.com/docs/api/webhooks/validating-requests).
const decodedInUri: ReadonlyArray<readonly [RegExp, string]> = [
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

/** The URI as HubSpot signs it: the listed percent-encodings decoded, everything else as it is. */
export function uriAsSigned(uri: string): string {
  return decodedInUri.reduce((text, [pattern, character]) => text.replace(pattern, character), uri);
}

function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Checks a HubSpot webhook request's signature
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests). v3 when its headers are there:
 * base64 HMAC-SHA256, keyed with the client secret, over `method + uri + rawBody + timestamp`, against each candidate
 * URI, then the timestamp within 5 minutes either way. Without v3 headers, v1 (`X-HubSpot-Signature-Version: v1`):
 * hex SHA-256 of `clientSecret + rawBody`. Every comparison takes constant time.
 */
export function verifyHubSpotSignature(input: HubSpotSignatureInput): HubSpotSignatureCheck {
  const v3 = input.headers.get('x-hubspot-signature-v3');
  const timestamp = input.headers.get('x-hubspot-request-timestamp');
  if (v3 !== null || timestamp !== null) return verifyV3(input, v3 ?? '', timestamp ?? '');
  const v1 = input.headers.get('x-hubspot-signature');
  if (v1 === null) return { ok: false, reason: 'unsigned' };
  const version = (input.headers.get('x-hubspot-signature-version') ?? '').trim().toLowerCase();
  if (version !== 'v1') return { ok: false, reason: 'unsupported-version' };
  const expected = createHash('sha256').update(`${input.secret}${input.rawBody}`, 'utf8').digest();
  return sameBytes(expected, Buffer.from(v1.trim(), 'hex'))
    ? { ok: true, version: 'v1' }
    : { ok: false, reason: 'forged' };
}

function verifyV3(input: HubSpotSignatureInput, signature: string, timestamp: string): HubSpotSignatureCheck {
  if (signature.trim() === '' || timestamp.trim() === '') return { ok: false, reason: 'forged' };
  const given = Buffer.from(signature.trim(), 'base64');
  const method = input.method.toUpperCase();
  const signed = input.uris.some((uri) => {
    const source = `${method}${uriAsSigned(uri)}${input.rawBody}${timestamp}`;
    return sameBytes(createHmac('sha256', input.secret).update(source, 'utf8').digest(), given);
  });
  if (!signed) return { ok: false, reason: 'forged' };
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(input.now - sentAt) > maxAgeMs)
    return { ok: false, reason: 'stale' };
  return { ok: true, version: 'v3' };
}
