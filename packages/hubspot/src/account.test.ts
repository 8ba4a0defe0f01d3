import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { origin, testClient, useNockGuards } from './test-support/nock-hubspot.js';

useNockGuards();

// The account information API is not among the OpenAPI documents the other tests validate against: plain nock.
const details = (status: number, body: unknown) =>
  nock(origin)
    .get('/account-info/2026-03/details')
    .matchHeader('authorization', 'Bearer pat-na1-test-token')
    .reply(status, JSON.stringify(body), { 'content-type': 'application/json' });

describe('account details', () => {
  it('reads the portal id, account type and UI domain (the other fields may be omitted)', async () => {
    const { client } = testClient();
    details(200, {
      portalId: 12345678,
      accountType: 'STANDARD',
      timeZone: 'Europe/Oslo',
      companyCurrency: 'NOK',
      additionalCurrencies: ['EUR'],
      utcOffset: '+01:00',
      utcOffsetMilliseconds: 3_600_000,
      uiDomain: 'app-eu1.hubspot.com',
      dataHostingLocation: 'eu1',
    });
    expect((await client.account.details())._unsafeUnwrap()).toEqual({
      portalId: 12345678,
      accountType: 'STANDARD',
      uiDomain: 'app-eu1.hubspot.com',
    });
    details(200, { portalId: 42 });
    expect((await client.account.details())._unsafeUnwrap()).toEqual({ portalId: 42 });
  });

  it('reports a refused token as an auth error', async () => {
    const { client } = testClient();
    details(401, {
      status: 'error',
      message: 'Authentication credentials not found.',
      correlationId: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      category: 'INVALID_AUTHENTICATION',
    });
    expect((await client.account.details())._unsafeUnwrapErr()).toMatchObject({
      kind: 'auth',
      status: 401,
      category: 'INVALID_AUTHENTICATION',
      correlationId: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      retryable: false,
    });
  });

  it('reports a body without a whole-number portal id as a validation error', async () => {
    const { client } = testClient();
    details(200, { accountType: 'STANDARD', timeZone: 'Europe/Oslo' });
    const missing = (await client.account.details())._unsafeUnwrapErr();
    expect(missing).toMatchObject({
      kind: 'validation',
      message: 'HubSpot answered GET /account-info/2026-03/details with an unexpected shape',
    });
    expect(missing.kind === 'validation' && missing.issues[0]).toMatch(/^portalId: /u);
    details(200, { portalId: '12345678' });
    expect((await client.account.details())._unsafeUnwrapErr().kind).toBe('validation');
  });
});
