import { createHash, timingSafeEqual } from 'node:crypto';
import { verifySignatureV3 } from '@port-service/hubspot';
import type { HeaderReader } from './hubspot-request-uri.js';

export interface HubSpotSignatureInput {
  /** The request's method, as HubSpot sent it (`POST`). */
  readonly method: string;
  /** The URIs HubSpot may have called (`signedUriCandidates`): a v3 signature must match one of them. */
  readonly uris: readonly string[];
  /** The body exactly as received, before any parsing. */
  readonly rawBody: string;
  readonly headers: HeaderReader;
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

function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Checks a HubSpot webhook request's signature
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests). v3 when its headers are there:
 * `verifySignatureV3` of @port-service/hubspot (base64 HMAC-SHA256, keyed with the client secret, over
 * `method + uri + rawBody + timestamp`, the timestamp within 5 minutes either way) against each candidate URI.
 * Without v3 headers, v1 (`X-HubSpot-Signature-Version: v1`): hex SHA-256 of `clientSecret + rawBody`. Every
 * comparison takes constant time.
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

/**
 * v3 against each candidate URI. A forgery is named before the clock: the package checks the timestamp first, so a
 * `stale` answer counts as stale only when the signature matches at its own time (otherwise it is forged).
 */
function verifyV3(input: HubSpotSignatureInput, signature: string, timestamp: string): HubSpotSignatureCheck {
  if (signature.trim() === '' || timestamp.trim() === '') return { ok: false, reason: 'forged' };
  const check = (uri: string, now: number) =>
    verifySignatureV3({
      method: input.method,
      uri,
      rawBody: input.rawBody,
      timestamp,
      signature: signature.trim(),
      clientSecret: input.secret,
      now,
    });
  let stale = false;
  for (const uri of input.uris) {
    const result = check(uri, input.now);
    if (result.ok) return { ok: true, version: 'v3' };
    if (result.reason === 'stale' && check(uri, Number(timestamp)).ok) stale = true;
  }
  return { ok: false, reason: stale ? 'stale' : 'forged' };
}
