import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { expectCall, origin, record, testClient, useNockGuards } from '../test-support/nock-hubspot.js';

useNockGuards();

const createPath = '/crm/objects/2026-09/companies/batch/create';
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const inputs = [{ properties: { name: 'Larvik Havn KF' } }, { properties: { name: 'Tønsberg Havn' } }];
const serverError = {
  status: 'error',
  message: 'internal error',
  correlationId: 'c0ffee00-1f0a-4b55-9f0f-0c9c3e1b7a11',
  category: 'INTERNAL_ERROR',
};

describe('a create that got no clear answer', () => {
  it('that timed out: outcome-unknown (timeout) for each input of the chunk, sent once', async () => {
    // Generous margins: the whole suite shares two cores, and a busy event loop must not turn the answer into a timeout.
    const { client, requests } = testClient({ timeoutMs: 600 });
    nock(origin).post(createPath).delay(3000).reply(201, {});
    const results = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrapErr())).toEqual([
      expect.objectContaining({ kind: 'outcome-unknown', cause: 'timeout', status: null, retryable: false }),
      expect.objectContaining({ kind: 'outcome-unknown', cause: 'timeout', status: null, retryable: false }),
    ]);
    expect(requests.map((request) => request.outcome)).toEqual(['error']);
  });

  it('whose connection was reset: outcome-unknown (network), sent once', async () => {
    const { client, requests } = testClient();
    nock(origin).post(createPath).replyWithError(reset());
    const [result] = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'network',
      status: null,
      message: expect.stringMatching(/socket hang up.*may or may not have been applied/),
    });
    expect(requests).toHaveLength(1);
  });

  it('answered 503: outcome-unknown (server-error) with the status and correlation id, sent once', async () => {
    const { client, requests } = testClient();
    nock(origin).post(createPath).reply(503, serverError);
    const [result] = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toEqual({
      kind: 'outcome-unknown',
      cause: 'server-error',
      status: 503,
      correlationId: serverError.correlationId,
      message: expect.stringMatching(/^HubSpot answered 503: internal error; .*look the record up/),
      retryable: false,
    });
    expect(requests).toHaveLength(1);
  });

  it('a single create answered 201 with a body cut off: outcome-unknown (malformed-response)', async () => {
    const { client, requests } = testClient();
    nock(origin)
      .post('/crm/objects/2026-09/contacts')
      .reply(201, '{"id": "20', { 'content-type': 'application/json' });
    expect(
      (await client.contacts.create({ email: 'iselin@port-service.no' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'malformed-response',
      status: 201,
    });
    expect(requests).toHaveLength(1);
  });

  it('a batch create answered 201 in a shape that does not say what was stored: outcome-unknown', async () => {
    const { client } = testClient();
    nock(origin).post(createPath).reply(201, { status: 'COMPLETE', results: 'none' });
    const [result] = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'malformed-response',
      status: 201,
    });
  });

  it('a batch create whose answer leaves an input out: that input is outcome-unknown, the other created', async () => {
    const { client } = testClient();
    expectCall('POST', createPath, {
      status: 201,
      body: {
        status: 'COMPLETE',
        results: [{ ...record('101', { name: 'Larvik Havn KF' }), objectWriteTraceId: '0' }],
        startedAt: '2026-11-24T10:00:00.000Z',
        completedAt: '2026-11-24T10:00:01.000Z',
      },
    });
    const [first, second] = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(first?._unsafeUnwrap().id).toBe('101');
    expect(second?._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'malformed-response',
    });
  });

  it('whose connection was refused never left: it is sent again', async () => {
    const { client, requests } = testClient();
    nock(origin)
      .post(createPath)
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expectCall('POST', createPath, {
      status: 201,
      body: {
        status: 'COMPLETE',
        results: [
          { ...record('101'), objectWriteTraceId: '0' },
          { ...record('102'), objectWriteTraceId: '1' },
        ],
        startedAt: '2026-11-24T10:00:00.000Z',
        completedAt: '2026-11-24T10:00:01.000Z',
      },
    });
    const results = (await client.companies.batchCreate(inputs))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrap().id)).toEqual(['101', '102']);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });
});

describe('a read or an idempotent write that got no clear answer is retried, and keeps its kind', () => {
  it('a GET that times out every time ends as timeout', async () => {
    const { client, requests } = testClient({ timeoutMs: 600, retry: { retries: 1 } });
    nock(origin)
      .get('/crm/objects/2026-09/companies/101')
      .query(true)
      .times(2)
      .delay(3000)
      .reply(200, record('101'));
    expect((await client.companies.get('101'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'retry']);
  });

  it('a GET whose body stalls after the headers ends as timeout, and frees its rate-limit slot', async () => {
    const { client, requests, waits } = testClient({
      timeoutMs: 600,
      retry: { retries: 0 },
      rateLimit: { perTenSeconds: 1 },
    });
    nock(origin)
      .get('/crm/objects/2026-09/companies/101')
      .query(true)
      .delayBody(10_000)
      .reply(200, record('101'));
    expect((await client.companies.get('101'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(requests.map((request) => request.outcome)).toEqual(['retry']);
    // The one slot is free again a window after the timeout: the next request waits for it, then goes.
    expectCall('GET', '/crm/objects/2026-09/companies/101', { status: 200, body: record('101') });
    expect((await client.companies.get('101')).isOk()).toBe(true);
    expect(waits).toEqual([10_000]);
  });

  it('a GET whose connection is reset, then answers, succeeds', async () => {
    const { client, requests } = testClient();
    nock(origin).get('/crm/objects/2026-09/companies/101').query(true).replyWithError(reset());
    expectCall('GET', '/crm/objects/2026-09/companies/101', { status: 200, body: record('101') });
    expect((await client.companies.get('101'))._unsafeUnwrap().id).toBe('101');
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });

  it('a GET reset every time ends as network', async () => {
    const { client } = testClient({ retry: { retries: 2 } });
    nock(origin).get('/crm/objects/2026-09/companies/101').query(true).times(3).replyWithError(reset());
    expect((await client.companies.get('101'))._unsafeUnwrapErr()).toMatchObject({ kind: 'network' });
  });

  it('a search answered 503 every time ends as http 503', async () => {
    const { client, requests } = testClient({ retry: { retries: 1 } });
    nock(origin).post('/crm/objects/2026-09/companies/search').times(2).reply(503, serverError);
    expect(
      (await client.companies.findByValues('org_number', ['912345678'], ['name']))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(requests).toHaveLength(2);
  });

  it('a batch read answered 503, then 200, succeeds', async () => {
    const { client } = testClient();
    nock(origin).post('/crm/objects/2026-09/companies/batch/read').query(true).reply(503, serverError);
    expectCall('POST', '/crm/objects/2026-09/companies/batch/read', {
      status: 200,
      body: {
        status: 'COMPLETE',
        results: [record('101')],
        startedAt: '2026-11-24T10:00:00.000Z',
        completedAt: '2026-11-24T10:00:01.000Z',
      },
    });
    const found = (await client.companies.batchRead(['101'], { properties: ['name'] }))._unsafeUnwrap();
    expect(found.get('101')?.isOk()).toBe(true);
  });

  it('a batch update (idempotent) reset every time ends as network, never outcome-unknown', async () => {
    const { client } = testClient({ retry: { retries: 1 } });
    nock(origin).post('/crm/objects/2026-09/companies/batch/update').times(2).replyWithError(reset());
    const [result] = (
      await client.companies.batchUpdate([{ id: '101', properties: { phone: '' } }])
    )._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toMatchObject({ kind: 'network' });
  });
});
