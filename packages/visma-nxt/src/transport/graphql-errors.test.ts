import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deprecationWarning,
  executionError,
  unauthorizedHtml,
  validationError,
} from '../__fixtures__/graphql-error-shapes.js';
import tokenFixture from '../__fixtures__/visma-nxt-token.json' with { type: 'json' };
import { graphql, mockToken, testClient } from '../test-support/nock-client.js';

// The error shapes https://docs.vismasoftware.no/businessnxtapi/features/errors documents, read into typed fields.

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const companies = { data: { availableCompanies: { totalCount: 0, items: [] } } };

describe('the documented error shapes', () => {
  it('an execution error: the message beside data, kept with the partial data', async () => {
    mockToken();
    graphql().reply(200, executionError);
    const { client } = testClient();
    const error = (await client.availableCompanies())._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'graphql',
      message: expect.stringContaining('VismaNetCompanyId: 1234567'),
      data: { availableCompanies: null },
      retryable: false,
    });
    expect(error.kind === 'graphql' && error.errors).toEqual([
      {
        message: executionError.errors[0]?.message,
        path: undefined,
        locations: undefined,
        extensions: undefined,
        code: null,
        codes: [],
        status: null,
        statusName: null,
        recordIndex: null,
        field: null,
      },
    ]);
  });

  it('a validation (syntax) error: locations, extensions.code and codes, the field the message names, no data', async () => {
    mockToken();
    graphql().reply(200, validationError);
    const { client } = testClient();
    const error = (await client.availableCompanies())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'graphql', data: null });
    expect(error.kind === 'graphql' && error.errors[0]).toMatchObject({
      locations: [{ line: 4, column: 7 }],
      code: 'FIELDS_ON_CORRECT_TYPE',
      codes: ['FIELDS_ON_CORRECT_TYPE'],
      field: 'totalRows',
      extensions: validationError.errors[0]?.extensions,
    });
  });

  it('warnings and the trace id in top-level extensions reach onWarning; the data is still read', async () => {
    mockToken();
    graphql().reply(200, deprecationWarning);
    const warnings: unknown[] = [];
    const { client } = testClient({ onWarning: (warning) => warnings.push(warning) });
    expect((await client.availableCompanies())._unsafeUnwrap()).toEqual([]);
    expect(warnings).toEqual([deprecationWarning.extensions]);
  });

  it('a 401 with the documented nginx page refreshes the token and resends, even a write (nothing ran)', async () => {
    mockToken(1);
    graphql().reply(401, unauthorizedHtml, { 'content-type': 'text/html' });
    mockToken(1, { ...tokenFixture.response, access_token: 'token-2' });
    graphql()
      .matchHeader('authorization', 'Bearer token-2')
      .reply(200, {
        data: { useCompany: { associate_update: { affectedRows: 1, items: [{ associateNo: 7 }] } } },
      });
    const { client, requests } = testClient();
    const [row] = (
      await client.customers.update([{ associateNo: 7, values: { phone: '+4733123456' } }])
    )._unsafeUnwrap();
    expect(row?._unsafeUnwrap().associateNo).toBe(7);
    expect(requests.map((request) => [request.status, request.outcome])).toEqual([
      [401, 'retry'],
      [200, 'ok'],
    ]);
  });
});

describe('a read answered 200 in a shape the docs do not show', () => {
  it('a body with neither data nor errors is retried, then a validation error', async () => {
    mockToken();
    graphql().times(2).reply(200, { result: 'ok' });
    const { client, requests } = testClient({ retry: { retries: 1 } });
    expect((await client.availableCompanies())._unsafeUnwrapErr()).toMatchObject({
      kind: 'validation',
      issues: ['(body): neither data nor errors'],
    });
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'retry']);
  });

  it('an errors entry without a message is not the documented shape', async () => {
    mockToken();
    graphql().reply(200, { errors: [{ code: 18 }] });
    graphql().reply(200, companies);
    const { client, requests } = testClient();
    expect((await client.availableCompanies()).isOk()).toBe(true);
    expect(requests.map((request) => request.outcome)).toEqual(['retry', 'ok']);
  });
});
