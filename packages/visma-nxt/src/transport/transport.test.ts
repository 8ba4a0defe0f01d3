import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import tokenFixture from '../__fixtures__/visma-nxt-token.json' with { type: 'json' };
import { apiOrigin, graphql, mockToken, testClient, tokenOrigin } from '../test-support/nock-client.js';

const companies = { data: { availableCompanies: { totalCount: 0, items: [] } } };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('Visma Connect authentication', () => {
  it('posts client credentials as a form, with the service scope, and caches the token', async () => {
    let form: URLSearchParams | undefined;
    nock(tokenOrigin)
      .post('/connect/token', (body: string) => {
        form = new URLSearchParams(body);
        return true;
      })
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, tokenFixture.response);
    graphql()
      .twice()
      .matchHeader('authorization', `Bearer ${tokenFixture.response.access_token}`)
      .reply(200, companies);
    const { client } = testClient({ tenantId: '0d1a-tenant' });
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(Object.fromEntries(form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'port-service-sync',
      client_secret: 'secret-value',
      scope: 'business-graphql-service-api:access-group-based',
      tenant_id: '0d1a-tenant',
    });
  });

  it('shares one token request between concurrent callers, and renews it before it expires', async () => {
    mockToken(1);
    graphql().times(3).reply(200, companies);
    const { client, advance } = testClient();
    const results = await Promise.all([client.availableCompanies(), client.availableCompanies()]);
    expect(results.every((result) => result.isOk())).toBe(true);
    advance(3600_000 - 30_000);
    mockToken(1, { ...tokenFixture.response, access_token: 'token-2' });
    expect((await client.availableCompanies()).isOk()).toBe(true);
  });

  it('reports refused credentials with the OAuth error and no secret', async () => {
    nock(tokenOrigin).post('/connect/token').reply(400, { error: 'invalid_client' });
    const { client } = testClient();
    const result = await client.availableCompanies();
    expect(result._unsafeUnwrapErr()).toMatchObject({
      kind: 'auth',
      status: 400,
      oauthError: 'invalid_client',
      retryable: false,
    });
    expect(JSON.stringify(result._unsafeUnwrapErr())).not.toContain('secret-value');
  });

  it('refreshes the token once on a 401 with an HTML body, then retries', async () => {
    mockToken(1);
    graphql().reply(401, '<html><head><title>401 Authorization Required</title></head></html>', {
      'content-type': 'text/html',
    });
    mockToken(1, { ...tokenFixture.response, access_token: 'token-2' });
    graphql().matchHeader('authorization', 'Bearer token-2').reply(200, companies);
    const { client } = testClient();
    expect((await client.availableCompanies()).isOk()).toBe(true);
  });

  it('gives up after a second 401', async () => {
    mockToken(2);
    graphql().twice().reply(401, '<html>401</html>');
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'auth',
      status: 401,
    });
  });
});

describe('limits and retries', () => {
  it('backs off on 429, honouring Retry-After', async () => {
    mockToken();
    graphql().reply(429, 'Too Many Requests', { 'retry-after': '2' });
    graphql().reply(200, companies);
    const { client, waits } = testClient();
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(waits).toEqual([2000]);
  });

  it('backs off exponentially without Retry-After, and reports the limit when retries run out', async () => {
    mockToken();
    graphql().times(3).reply(429, '');
    const { client, waits } = testClient({ retry: { retries: 2, minDelayMs: 100 } });
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'rate-limited',
      limit: 'requests-per-minute',
      retryable: true,
    });
    expect(waits).toEqual([50, 100]);
  });

  it('backs off on OUTSTANDING_LIMIT_EXCEEDED, even for a mutation (it never ran)', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: 'Company 9112233 has 60 requests in progress. Limit is 60.',
          extensions: { code: 'OUTSTANDING_LIMIT_EXCEEDED', limit: 60 },
        },
      ],
    });
    graphql().reply(200, {
      data: { useCompany: { associate_update: { affectedRows: 1, items: [{ associateNo: 7 }] } } },
    });
    const { client, waits } = testClient();
    const result = await client.customers.update([{ associateNo: 7, values: { phone: '+4799582244' } }]);
    expect(result._unsafeUnwrap()[0]?.isOk()).toBe(true);
    expect(waits).toHaveLength(1);
  });

  it.each([500, 502, 503])('retries a read after HTTP %i', async (status) => {
    mockToken();
    graphql().reply(status, 'upstream error');
    graphql().reply(200, companies);
    const { client } = testClient();
    expect((await client.availableCompanies()).isOk()).toBe(true);
  });

  it('does not resend a mutation after HTTP 502: the outcome is unknown', async () => {
    mockToken();
    graphql().reply(502, 'Bad Gateway');
    const { client } = testClient();
    const result = await client.customers.update([{ associateNo: 7, values: { phone: '+4799582244' } }]);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'server-error',
      status: 502,
      retryable: false,
    });
    expect(result._unsafeUnwrapErr().message).toMatch(/may or may not have been applied/);
  });

  it('retries a read whose body is not JSON, and names the problem when it persists', async () => {
    mockToken();
    graphql().times(2).reply(200, '{"data": {"availableCompan');
    const { client } = testClient({ retry: { retries: 1 } });
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'validation',
      message: 'Business NXT answered with a body that is not JSON',
    });
  });

  it('times out a request that hangs, and retries reads', async () => {
    mockToken();
    // Generous margins: the whole suite shares two cores, and a busy event loop must not turn the answer into a timeout.
    graphql().delay(3000).reply(200, companies);
    graphql().reply(200, companies);
    const { client, requests } = testClient({ timeoutMs: 600 });
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });

  it('keeps GraphQL errors and partial data from an HTTP 200', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: "Cannot query field 'x' on type 'Query'.",
          extensions: { code: 'FIELDS_ON_CORRECT_TYPE' },
        },
      ],
      data: { availableCompanies: null },
    });
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      errors: [{ extensions: { code: 'FIELDS_ON_CORRECT_TYPE' } }],
      data: { availableCompanies: null },
      retryable: false,
    });
  });

  it('paces itself to the per-minute limit instead of meeting 429s', async () => {
    mockToken();
    graphql().times(3).reply(200, companies);
    const { client, waits } = testClient({ requestsPerMinute: 2 });
    for (let call = 0; call < 3; call += 1) expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(waits).toEqual([60_000]);
  });

  it('does not retry other 4xx answers', async () => {
    mockToken();
    graphql().reply(403, 'Forbidden');
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'http',
      status: 403,
      retryable: false,
    });
  });

  it('reaches the configured endpoint', async () => {
    mockToken();
    const scope = nock('http://127.0.0.1:9999').post('/api/graphql').reply(200, companies);
    const { client } = testClient({ graphqlUrl: 'http://127.0.0.1:9999/api/graphql' });
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(apiOrigin).toMatch(/^https:/);
  });
});
