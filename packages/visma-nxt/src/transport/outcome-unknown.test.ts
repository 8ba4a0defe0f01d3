import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql, mockToken, testClient } from '../test-support/nock-client.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const companies = { data: { availableCompanies: { totalCount: 0, items: [] } } };
const created = (count: number, first = 5000) => ({
  data: {
    useCompany: {
      associate_create: {
        affectedRows: count,
        items: Array.from({ length: count }, (_, index) => ({
          associateNo: first + index,
          customerNo: 20000 + index,
          name: `Kunde ${index} AS`,
        })),
      },
    },
  },
});
const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Kunde ${index} AS` }));

describe('a mutation that got no clear answer', () => {
  it('that timed out: outcome-unknown (timeout), sent once', async () => {
    mockToken();
    // Generous margins: the whole suite shares two cores, and a busy event loop must not turn the answer into a timeout.
    graphql().delay(3000).reply(200, created(1));
    const { client, requests } = testClient({ timeoutMs: 600 });
    expect((await client.customers.create(rows(1)))._unsafeUnwrapErr()).toEqual({
      kind: 'outcome-unknown',
      cause: 'timeout',
      status: null,
      message: expect.stringMatching(/did not answer in time; the change may or may not have been applied/),
      retryable: false,
    });
    expect(requests.map((request) => request.outcome)).toEqual(['error']);
  });

  it('whose connection was reset: outcome-unknown (network), sent once', async () => {
    mockToken();
    graphql().replyWithError(reset());
    const { client, requests } = testClient();
    expect(
      (
        await client.contactPersons.create([{ name: 'Kari', contactPersonForAssociateNo: 3 }])
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'network',
      status: null,
      message: expect.stringMatching(/socket hang up/),
    });
    expect(requests).toHaveLength(1);
  });

  it('a batch of inserts (two mutations in one request) answered 503: outcome-unknown (server-error), sent once', async () => {
    mockToken();
    let sent: unknown;
    graphql().reply(503, (_uri, body) => {
      sent = body;
      return 'Service Unavailable';
    });
    const { client, requests } = testClient();
    expect((await client.customers.create(rows(51)))._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'server-error',
      status: 503,
      message: expect.stringMatching(/^Business NXT answered HTTP 503; .*look the record up/),
      retryable: false,
    });
    expect(Array.isArray(sent) && sent.length).toBe(2);
    expect(requests).toHaveLength(1);
  });

  it('an update answered 200 with a body cut off: outcome-unknown (malformed-response)', async () => {
    mockToken();
    graphql().reply(200, '{"data": {"useCompany": {"associate_upd');
    const { client, requests } = testClient();
    expect(
      (
        await client.customers.update([{ associateNo: 7, values: { phone: '+4799582244' } }])
      )._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'outcome-unknown', cause: 'malformed-response', status: 200 });
    expect(requests).toHaveLength(1);
  });

  it('whose connection was refused never left: it is sent again', async () => {
    mockToken();
    graphql().replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    graphql().reply(200, created(1));
    const { client, requests } = testClient();
    const [result] = (await client.customers.create(rows(1)))._unsafeUnwrap();
    expect(result?._unsafeUnwrap().associateNo).toBe(5000);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });
});

describe('a mutation answered 200 with a body that is not the documented shape', () => {
  const update = [{ associateNo: 7, values: { phone: '+4799582244' } }];
  const unclear = { kind: 'outcome-unknown', cause: 'malformed-response', status: 200, retryable: false };

  it.each([
    ['neither data nor errors', { result: 'stored' }],
    ['an HTML page', '<html><body><h1>Bad Gateway</h1></body></html>'],
    ['a list for one operation', [{ data: null }]],
    ['an errors entry without a message', { errors: [{ code: 18 }] }],
    ['errors that are not a list', { data: null, errors: 'failed' }],
  ])('%s: outcome-unknown (malformed-response), sent once', async (_label, body) => {
    mockToken();
    graphql().reply(200, body as nock.Body);
    const { client, requests } = testClient();
    expect((await client.customers.update(update))._unsafeUnwrapErr()).toMatchObject({
      ...unclear,
      message: expect.stringMatching(
        /^Business NXT answered with .*; the change may or may not have been applied/,
      ),
    });
    expect(requests.map((request) => request.outcome)).toEqual(['error']);
  });

  it('whose body stops coming after the headers: outcome-unknown (timeout) with the status, sent once', async () => {
    mockToken();
    // Generous margins: the whole suite shares two cores, and a busy event loop must not turn the answer into a timeout.
    graphql().delayBody(3000).reply(200, created(1));
    const { client, requests } = testClient({ timeoutMs: 600 });
    expect((await client.customers.create(rows(1)))._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'timeout',
      status: 200,
      retryable: false,
    });
    expect(requests.map((request) => [request.status, request.outcome])).toEqual([[200, 'error']]);
  });

  it('a query whose body stops coming is retried', async () => {
    mockToken();
    graphql().delayBody(3000).reply(200, companies);
    graphql().reply(200, companies);
    const { client, requests } = testClient({ timeoutMs: 600 });
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });
});

describe('a query that got no clear answer is retried, and keeps its kind', () => {
  it('a query that times out every time ends as timeout', async () => {
    mockToken();
    graphql().times(2).delay(3000).reply(200, companies);
    const { client, requests } = testClient({ timeoutMs: 600, retry: { retries: 1 } });
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'retry']);
  });

  it('a query whose connection is reset, then answers, succeeds', async () => {
    mockToken();
    graphql().replyWithError(reset());
    graphql().reply(200, companies);
    const { client, requests } = testClient();
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });

  it('a query reset every time ends as network', async () => {
    mockToken();
    graphql().times(3).replyWithError(reset());
    const { client } = testClient({ retry: { retries: 2 } });
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({ kind: 'network' });
  });

  it('a lookup answered 503 every time ends as http 503', async () => {
    mockToken();
    graphql().times(2).reply(503, 'Service Unavailable');
    const { client, requests } = testClient({ retry: { retries: 1 } });
    expect((await client.customers.byOrgNumbers(['923609016']))._unsafeUnwrapErr()).toMatchObject({
      kind: 'http',
      status: 503,
      retryable: true,
    });
    expect(requests).toHaveLength(2);
  });
});

// The shapes https://docs.vismasoftware.no/businessnxtapi/features/errors shows, answered with HTTP 200.
describe('GraphQL errors as the Business NXT docs show them', () => {
  it('an execution error: a message only, beside data', async () => {
    mockToken();
    const message =
      'Error: Could not get authorize user using VismaNetCompanyId: 1234567. Description: External integration error. Status: 18.';
    graphql().reply(200, { errors: [{ message }], data: { availableCompanies: null } });
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      message: expect.stringContaining(message),
      errors: [{ message }],
      data: { availableCompanies: null },
      retryable: false,
    });
  });

  it('a validation error: locations and extensions.code / codes, without data', async () => {
    mockToken();
    const error = {
      message:
        "GraphQL.Validation.Errors.FieldsOnCorrectTypeError: Cannot query field 'totalRows' on type 'Query_UseCompany_GeneralLedgerAccount_Connection'. Did you mean 'totalCount'?",
      locations: [{ line: 4, column: 7 }],
      extensions: { code: 'FIELDS_ON_CORRECT_TYPE', codes: ['FIELDS_ON_CORRECT_TYPE'] },
    };
    graphql().reply(200, { errors: [error] });
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      errors: [error],
      data: null,
    });
  });

  it('a row error of an insert: path ending in values/<i>, extensions.data.status and status_name', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: 'A record with the same primary key already exists.',
          path: ['useCompany', 'associate_create', 'values/0'],
          extensions: { data: { status: 3, status_name: 'PrimaryKeyAssignmentFailed' } },
        },
      ],
      data: {
        useCompany: {
          associate_create: {
            affectedRows: 1,
            items: created(1, 5001).data.useCompany.associate_create.items,
          },
        },
      },
    });
    const { client } = testClient();
    const [first, second] = (await client.customers.create(rows(2)))._unsafeUnwrap();
    expect(first?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      errors: [{ extensions: { data: { status: 3, status_name: 'PrimaryKeyAssignmentFailed' } } }],
    });
    expect(second?._unsafeUnwrap().associateNo).toBe(5001);
  });
});
