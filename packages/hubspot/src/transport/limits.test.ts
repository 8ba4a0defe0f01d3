import nock from 'nock';
import { describe, expect, it } from 'vitest';
import fixtures from '../__fixtures__/hubspot-errors.json' with { type: 'json' };
import { expectCall, record, testClient, useNockGuards } from '../test-support/nock-hubspot.js';

useNockGuards();

const company = { status: 200, body: record('101') };
const get = (client: ReturnType<typeof testClient>['client']) =>
  client.companies.get('101', { properties: ['name'] });

describe('rate limits and retries', () => {
  it('backs off on TEN_SECONDLY_ROLLING, honouring Retry-After, then succeeds', async () => {
    const { client, waits } = testClient();
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 429, body: fixtures.tenSecondly.body, headers: { 'retry-after': '3' } },
      { unchecked: true },
    );
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(client)).isOk()).toBe(true);
    expect(waits[0]).toBe(3000);
  });

  it('waits out the rolling window when no Retry-After is given', async () => {
    const { client, waits } = testClient();
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 429, body: fixtures.tenSecondly.body },
      { unchecked: true },
    );
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(client)).isOk()).toBe(true);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThanOrEqual(10_000);
  });

  it('stops at once on the DAILY limit: one request, no retry storm', async () => {
    const { client, requests } = testClient();
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 429, body: fixtures.daily.body },
      { unchecked: true },
    );
    expect((await get(client))._unsafeUnwrapErr()).toMatchObject({
      kind: 'rate-limited',
      policy: 'DAILY',
      retryable: false,
      correlationId: fixtures.daily.body.correlationId,
    });
    expect(requests).toHaveLength(1);
  });

  it('lets onRateLimit stop a retry', async () => {
    const { client } = testClient({ onRateLimit: () => false });
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 429, body: fixtures.tenSecondly.body },
      { unchecked: true },
    );
    expect((await get(client))._unsafeUnwrapErr()).toMatchObject({
      kind: 'rate-limited',
      policy: 'TEN_SECONDLY_ROLLING',
    });
  });

  it('retries 423 after at least two seconds and 477 after its Retry-After', async () => {
    const { client, waits } = testClient();
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 423, body: { status: 'error', message: 'Locked' } },
      { unchecked: true },
    );
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      {
        status: 477,
        body: { status: 'error', message: 'Migration in progress' },
        headers: { 'retry-after': '5' },
      },
      { unchecked: true },
    );
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(client)).isOk()).toBe(true);
    expect(waits).toEqual([2000, 5000]);
  });

  it.each([502, 503, 504])('retries a read after %i', async (status) => {
    const { client } = testClient();
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status, body: 'upstream' },
      { unchecked: true },
    );
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(client)).isOk()).toBe(true);
  });

  it('never resends a create after a 502: the outcome is unknown', async () => {
    const { client } = testClient();
    expectCall(
      'POST',
      '/crm/objects/2026-09/contacts/batch/create',
      { status: 502, body: 'Bad Gateway' },
      { unchecked: true },
    );
    // The chunk's inputs each carry the error (other chunks of the call are unaffected).
    const [result] = (
      await client.contacts.batchCreate([{ properties: { email: 'a@b.no' } }])
    )._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'server-error',
      status: 502,
      retryable: false,
      message: expect.stringMatching(/look the record up/),
    });
  });

  it('does resend an idempotent batch update after a 504', async () => {
    const { client } = testClient();
    expectCall(
      'POST',
      '/crm/objects/2026-09/companies/batch/update',
      { status: 504, body: 'Gateway Timeout' },
      { unchecked: true },
    );
    expectCall('POST', '/crm/objects/2026-09/companies/batch/update', {
      status: 200,
      body: {
        status: 'COMPLETE',
        results: [record('101')],
        startedAt: '2026-11-24T10:00:00Z',
        completedAt: '2026-11-24T10:00:00Z',
      },
    });
    expect(
      (await client.companies.batchUpdate([{ id: '101', properties: { phone: '' } }]))
        ._unsafeUnwrap()[0]
        ?.isOk(),
    ).toBe(true);
  });

  it('retries a read whose body is not JSON, then names it', async () => {
    const { client } = testClient({ retry: { retries: 1 } });
    expectCall(
      'GET',
      '/crm/objects/2026-09/companies/101',
      { status: 200, body: '{"id": "10' },
      { unchecked: true, times: 2 },
    );
    expect((await get(client))._unsafeUnwrapErr()).toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/not JSON/),
    });
  });

  it('reports missing scopes with the scopes needed, and does not retry other 4xx', async () => {
    const { client } = testClient();
    expectCall(
      'PATCH',
      '/crm/objects/2026-09/companies/101',
      { status: 403, body: fixtures.missingScopes.body },
      { unchecked: true },
    );
    expect((await client.companies.update('101', { name: 'A' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'auth',
      status: 403,
      category: 'MISSING_SCOPES',
      requiredScopes: ['crm.objects.companies.write'],
    });
    expectCall(
      'PATCH',
      '/crm/objects/2026-09/companies/101',
      {
        status: 400,
        body: {
          status: 'error',
          message: 'Property values were not valid',
          category: 'VALIDATION_ERROR',
          correlationId: 'x',
          context: { propertyName: ['bogus'] },
        },
      },
      { unchecked: true },
    );
    expect((await client.companies.update('101', { bogus: 'A' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'http',
      status: 400,
      category: 'VALIDATION_ERROR',
      context: { propertyName: ['bogus'] },
    });
  });

  it('paces itself to the 10-second window and slows down when HubSpot reports none remaining', async () => {
    const { client, waits } = testClient({ rateLimit: { perTenSeconds: 2 } });
    expectCall('GET', '/crm/objects/2026-09/companies/101', company, { times: 3 });
    for (let call = 0; call < 3; call += 1) expect((await get(client)).isOk()).toBe(true);
    // The window from the first request's answer (the test clock does not move while a request is in flight).
    expect(waits).toEqual([10_000]);
    const server = testClient();
    expectCall('GET', '/crm/objects/2026-09/companies/101', {
      ...company,
      headers: { 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '0' },
    });
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(server.client)).isOk()).toBe(true);
    expect((await get(server.client)).isOk()).toBe(true);
    expect(server.waits).toEqual([10_000]);
  });

  it('times out a hanging read and retries it', async () => {
    // Generous margins: the whole suite shares two cores, and a busy event loop must not turn the answer into a timeout.
    const { client, requests } = testClient({ timeoutMs: 600 });
    nock('https://api.hubapi.com')
      .get('/crm/objects/2026-09/companies/101')
      .query(true)
      .delay(3000)
      .reply(200, record('101'));
    expectCall('GET', '/crm/objects/2026-09/companies/101', company);
    expect((await get(client)).isOk()).toBe(true);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });

  it('sends the token as a bearer, read on every request', async () => {
    let token = 'first';
    const { client } = testClient({ accessToken: () => token });
    nock('https://api.hubapi.com')
      .matchHeader('authorization', 'Bearer first')
      .get('/crm/objects/2026-09/companies/101')
      .query(true)
      .reply(200, record('101'));
    nock('https://api.hubapi.com')
      .matchHeader('authorization', 'Bearer second')
      .get('/crm/objects/2026-09/companies/101')
      .query(true)
      .reply(200, record('101'));
    expect((await get(client)).isOk()).toBe(true);
    token = 'second';
    expect((await get(client)).isOk()).toBe(true);
  });
});
