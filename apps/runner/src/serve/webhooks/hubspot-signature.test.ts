import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifySignatureV3 } from '@port-service/hubspot';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signedUriCandidates } from './hubspot-request-uri.js';
import { type HubSpotSignatureInput, verifyHubSpotSignature } from './hubspot-signature.js';

// The comparisons must be the constant-time ones: v1's here (the real function, watched), v3's in
// @port-service/hubspot (its own test watches it there), called for each candidate URI.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
vi.mock('@port-service/hubspot', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@port-service/hubspot')>();
  return { ...actual, verifySignatureV3: vi.fn(actual.verifySignatureV3) };
});

// HubSpot's worked v3 example, "Validate the v3 request signature":
// https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
const example = {
  secret: 'cfc68c0b-4b4e-4ef8-b764-95350e4ea479',
  uri: 'https://webhook.site/335453f5-94b3-49d9-b684-a55354d4b8df',
  body: '[{"eventId":531833541,"subscriptionId":3923621,"portalId":48807704,"appId":16111050,"occurredAt":1752613920733,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":138017612137,"changeFlag":"CREATED","changeSource":"CRM_UI","sourceId":"userId:76023669"}]',
  timestamp: '1752613922216',
  signature: 'gbj1XPRvUt0noT7i7fXfTzOD4sLzQmf0VT28ZYq0EYg=',
};
const sentAt = Number(example.timestamp);

function v3(overrides: Partial<HubSpotSignatureInput> & { signature?: string; timestamp?: string } = {}) {
  const { signature = example.signature, timestamp = example.timestamp, ...rest } = overrides;
  return verifyHubSpotSignature({
    method: 'POST',
    uris: [example.uri],
    rawBody: example.body,
    headers: new Headers({ 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp }),
    secret: example.secret,
    now: sentAt + 1000,
    ...rest,
  });
}

const sign = (secret: string, source: string) => createHmac('sha256', secret).update(source).digest('base64');

beforeEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
  vi.mocked(verifySignatureV3).mockClear();
});

describe('HubSpot signature v3', () => {
  it("verifies HubSpot's published example", () => {
    expect(v3()).toEqual({ ok: true, version: 'v3' });
  });

  it('refuses a changed body, another secret, another URI and a signature missing its timestamp as forged', () => {
    expect(v3({ rawBody: example.body.replace('138017612137', '138017612138') })).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(v3({ secret: 'another-secret' })).toMatchObject({ reason: 'forged' });
    expect(v3({ uris: ['https://webhook.site/another'] })).toMatchObject({ reason: 'forged' });
    expect(v3({ signature: 'not a signature' })).toMatchObject({ reason: 'forged' });
    const withoutTimestamp = new Headers({ 'X-HubSpot-Signature-v3': example.signature });
    expect(v3({ headers: withoutTimestamp })).toMatchObject({ reason: 'forged' });
    expect(v3({ headers: new Headers() })).toEqual({ ok: false, reason: 'unsigned' });
  });

  it('refuses a timestamp more than 5 minutes old or ahead as stale, and takes one at the edge', () => {
    expect(v3({ now: sentAt + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(v3({ now: sentAt - 5 * 60_000 - 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(v3({ now: sentAt + 5 * 60_000 })).toEqual({ ok: true, version: 'v3' });
    expect(v3({ now: sentAt - 5 * 60_000 })).toEqual({ ok: true, version: 'v3' });
  });

  it('checks a forgery before the clock: an old timestamp with a wrong signature is forged, not stale', () => {
    expect(v3({ secret: 'another-secret', now: sentAt + 60 * 60_000 })).toMatchObject({ reason: 'forged' });
  });

  it("checks v3 with @port-service/hubspot's verifySignatureV3, once per candidate URI until one matches", () => {
    expect(v3({ uris: ['https://proxy.example.no/hook', example.uri, 'https://never.example.no/'] })).toEqual(
      {
        ok: true,
        version: 'v3',
      },
    );
    expect(vi.mocked(verifySignatureV3).mock.calls.map(([input]) => input.uri)).toEqual([
      'https://proxy.example.no/hook',
      example.uri,
    ]);
    expect(vi.mocked(verifySignatureV3).mock.calls[1]?.[0]).toMatchObject({
      method: 'POST',
      rawBody: example.body,
      timestamp: example.timestamp,
      signature: example.signature,
      clientSecret: example.secret,
      now: sentAt + 1000,
    });
  });
});

describe('HubSpot signature v1 (no v3 headers)', () => {
  // HubSpot's worked v1 example: https://developers.hubspot.com/docs/faq/v1-request-validation
  const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const body =
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
  const hash = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
  const v1 = (headers: Record<string, string>, overrides: Partial<HubSpotSignatureInput> = {}) =>
    verifyHubSpotSignature({
      method: 'POST',
      uris: ['https://sync.example.no/webhooks/hubspot'],
      rawBody: body,
      headers: new Headers(headers),
      secret,
      now: Date.now(),
      ...overrides,
    });

  it("verifies HubSpot's published example, through timingSafeEqual", () => {
    expect(v1({ 'X-HubSpot-Signature': hash, 'X-HubSpot-Signature-Version': 'v1' })).toEqual({
      ok: true,
      version: 'v1',
    });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it('refuses another secret, a changed body, and other signature versions', () => {
    const headers = { 'X-HubSpot-Signature': hash, 'X-HubSpot-Signature-Version': 'v1' };
    expect(v1(headers, { secret: 'another-secret' })).toEqual({ ok: false, reason: 'forged' });
    expect(v1(headers, { rawBody: body.replace('123', '124') })).toEqual({ ok: false, reason: 'forged' });
    expect(v1({ 'X-HubSpot-Signature': hash, 'X-HubSpot-Signature-Version': 'v2' })).toEqual({
      ok: false,
      reason: 'unsupported-version',
    });
    expect(v1({ 'X-HubSpot-Signature': hash })).toEqual({ ok: false, reason: 'unsupported-version' });
  });

  it('does not fall back to v1 when v3 headers are there and fail', () => {
    const headers = {
      'X-HubSpot-Signature': hash,
      'X-HubSpot-Signature-Version': 'v1',
      'X-HubSpot-Signature-v3': sign('another-secret', 'anything'),
      'X-HubSpot-Request-Timestamp': String(Date.now()),
    };
    expect(v1(headers)).toEqual({ ok: false, reason: 'forged' });
  });
});

describe('the URI HubSpot signed', () => {
  const secret = 'client-secret';
  const body = '[]';
  const timestamp = String(Date.now());
  const signedFor = (uri: string) => sign(secret, `POST${uri}${body}${timestamp}`);
  const check = (uris: string[], signature: string) =>
    verifyHubSpotSignature({
      method: 'POST',
      uris,
      rawBody: body,
      headers: new Headers({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }),
      secret,
      now: Number(timestamp),
    });

  it('behind a reverse proxy: the public base URL, then X-Forwarded-Proto/-Host, then the URL as received', () => {
    const received = 'http://10.0.0.5:8080/webhooks/hubspot?portal=1&b=2';
    const headers = new Headers({
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'proxy.example.no',
    });
    const uris = signedUriCandidates(received, headers, 'https://sync.example.no/');
    expect(uris).toEqual([
      'https://sync.example.no/webhooks/hubspot?portal=1&b=2',
      'https://proxy.example.no/webhooks/hubspot?portal=1&b=2',
      received,
    ]);
    expect(check(uris, signedFor('https://sync.example.no/webhooks/hubspot?portal=1&b=2'))).toMatchObject({
      ok: true,
    });
    expect(check(uris, signedFor('https://proxy.example.no/webhooks/hubspot?portal=1&b=2'))).toMatchObject({
      ok: true,
    });
    // Without the proxy's headers and the public URL, only the internal URL is tried: HubSpot's signature fails.
    const bare = signedUriCandidates(received, new Headers(), null);
    expect(bare).toEqual([received]);
    expect(check(bare, signedFor('https://sync.example.no/webhooks/hubspot?portal=1&b=2'))).toMatchObject({
      reason: 'forged',
    });
  });

  it('keeps a path prefix of the public base URL and only X-Forwarded-Proto when the host is not forwarded', () => {
    expect(
      signedUriCandidates('http://127.0.0.1:3000/webhooks/hubspot', new Headers(), 'https://example.no/crm'),
    ).toEqual(['https://example.no/crm/webhooks/hubspot', 'http://127.0.0.1:3000/webhooks/hubspot']);
    expect(
      signedUriCandidates(
        'http://sync.example.no/webhooks/hubspot',
        new Headers({ 'x-forwarded-proto': 'https' }),
        null,
      ),
    ).toEqual(['https://sync.example.no/webhooks/hubspot', 'http://sync.example.no/webhooks/hubspot']);
  });

  it("decodes the percent-encodings HubSpot's docs list before signing, and no others", () => {
    const listed = 'https://sync.example.no/hook?to=a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm';
    expect(
      check([listed], signedFor("https://sync.example.no/hook?to=a:b/c?d@e!f$g'h(i)j*k,l;m")),
    ).toMatchObject({ ok: true });
    // %20 and %26 are not on the list: they stay encoded in what HubSpot signs (the case of the hex aside).
    const unlisted = 'https://sync.example.no/hook?name=a%20b%26c%3a';
    expect(check([unlisted], signedFor('https://sync.example.no/hook?name=a%20b%26c:'))).toMatchObject({
      ok: true,
    });
    expect(check([unlisted], signedFor('https://sync.example.no/hook?name=a b&c:'))).toMatchObject({
      reason: 'forged',
    });
    // HubSpot signs the decoded form; the request arrives encoded.
    const arrived = 'https://sync.example.no/webhooks/hubspot?account=eu%3A1%2C2';
    expect(
      check([arrived], signedFor('https://sync.example.no/webhooks/hubspot?account=eu:1,2')),
    ).toMatchObject({
      ok: true,
    });
  });
});
