import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql, mockToken, testClient } from '../test-support/nock-client.js';

// A 200 answer to a write that does not say what happened to a row: the row may have been stored, so it is
// `outcome-unknown` (malformed-response), and the mutation is never sent again.

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const item = (index: number) => ({
  associateNo: 5000 + index,
  customerNo: 20000 + index,
  name: `Kunde ${index} AS`,
});
const created = (items: unknown) => ({
  data: { useCompany: { associate_create: { affectedRows: null, items } } },
});
const updated = (items: unknown) => ({
  data: { useCompany: { associate_update: { affectedRows: null, items } } },
});
const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Kunde ${index} AS` }));
const unclear = {
  kind: 'outcome-unknown',
  cause: 'malformed-response',
  status: 200,
  retryable: false,
} as const;

describe('a write answered 200 without saying what happened to a row', () => {
  it('an insert answered without items: every row is outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, created(null));
    const { client, requests } = testClient();
    const results = (await client.customers.create(rows(2)))._unsafeUnwrap();
    expect(results).toHaveLength(2);
    for (const [index, result] of results.entries()) {
      expect(result._unsafeUnwrapErr()).toEqual({
        ...unclear,
        message: `row ${index + 1} of the insert: the answer held no items, so Business NXT did not say whether this row was stored; the change may or may not have been applied: look the record up before retrying`,
      });
    }
    expect(requests).toHaveLength(1);
  });

  it('an insert answered with fewer items than rows: no row is guessed, all are outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, created([item(0), item(1)]));
    const { client, requests } = testClient();
    const results = (
      await client.contactPersons.create(rows(3).map((row) => ({ ...row, contactPersonForAssociateNo: 3 })))
    )._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrapErr())).toEqual(
      [1, 2, 3].map(() => ({
        ...unclear,
        message: expect.stringMatching(
          /^row \d of the insert: the answer held 2 items for 3 rows without an error, so Business NXT did not say whether this row was stored; .*look the record up/,
        ),
      })),
    );
    expect(requests).toHaveLength(1);
  });

  it('a row rejected on its own keeps its graphql error; the rows the answer cannot account for are outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: "Field 'name' is too long (max 80).",
          path: ['useCompany', 'associate_create', 'values/0'],
        },
      ],
      ...created([item(1)]),
    });
    const { client } = testClient();
    const [rejected, second, third] = (await client.customers.create(rows(3)))._unsafeUnwrap();
    expect(rejected?._unsafeUnwrapErr()).toMatchObject({ kind: 'graphql', message: /too long/ });
    expect(second?._unsafeUnwrapErr()).toMatchObject({ ...unclear, message: /1 items for 2 rows/ });
    expect(third?._unsafeUnwrapErr()).toMatchObject({ ...unclear, message: /^row 3 of the insert/ });
  });

  it('an update answered without items: the row is outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, updated(null));
    const { client, requests } = testClient();
    const [result] = (
      await client.customers.update([{ associateNo: 7, values: { phone: '+4799582244' } }])
    )._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr()).toMatchObject({
      ...unclear,
      message: expect.stringMatching(
        /^the update of associate 7: the answer held no items, so Business NXT did not say whether this row was stored/,
      ),
    });
    expect(requests).toHaveLength(1);
  });

  it('an update whose items leave a row out still says the row was not found', async () => {
    mockToken();
    graphql().reply(200, updated([{ associateNo: 8 }]));
    const { client } = testClient();
    const [missing] = (
      await client.customers.update([
        { associateNo: 7, values: { phone: '+4799582244' } },
        { associateNo: 8, values: { phone: '+4733123456' } },
      ])
    )._unsafeUnwrap();
    expect(missing?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      message: /associate 7 was not found/,
    });
  });
});

describe('a write answered 200 in a shape the client cannot read', () => {
  it('an insert: outcome-unknown naming what was wrong, sent once', async () => {
    mockToken();
    graphql().reply(200, created([{ associateNo: 'five thousand', name: 'Kunde 0 AS' }]));
    const { client, requests } = testClient();
    expect((await client.customers.create(rows(1)))._unsafeUnwrapErr()).toEqual({
      ...unclear,
      message: expect.stringMatching(
        /^Business NXT answered associate_create with an unexpected shape \(useCompany\.associate_create\.items\.0\.associateNo: .+\); the change may or may not have been applied/,
      ),
    });
    expect(requests).toHaveLength(1);
  });

  it('an insert numbered from a series: outcome-unknown, not retried with the next number', async () => {
    mockToken();
    graphql().reply(200, {
      data: {
        useCompany: {
          associate: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, items: [] },
        },
      },
    });
    graphql().reply(200, { data: { useCompany: { associate_create: 'stored' } } });
    const { client, requests } = testClient({ customerNumbers: { kind: 'series', from: 30000, to: 39999 } });
    expect((await client.customers.create(rows(1)))._unsafeUnwrapErr()).toMatchObject({
      ...unclear,
      message:
        /^Business NXT answered associate_create with an unexpected shape \(useCompany\.associate_create: /,
    });
    expect(requests).toHaveLength(2);
  });

  it('an update: outcome-unknown, sent once', async () => {
    mockToken();
    graphql().reply(200, updated({ associateNo: 7 }));
    const { client, requests } = testClient();
    expect(
      (
        await client.customers.update([{ associateNo: 7, values: { phone: '+4799582244' } }])
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      ...unclear,
      message:
        /^Business NXT answered associate_update with an unexpected shape \(useCompany\.associate_update\.items: /,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('a batch answered with the wrong number of results', () => {
  it('a batch of two inserts answered with one result: outcome-unknown, sent once', async () => {
    mockToken();
    let sent: unknown;
    graphql().reply(200, (_uri, body) => {
      sent = body;
      return [created(Array.from({ length: 50 }, (_, index) => item(index)))];
    });
    const { client, requests } = testClient();
    expect((await client.customers.create(rows(51)))._unsafeUnwrapErr()).toEqual({
      ...unclear,
      message:
        'Business NXT answered a batch of 2 with 1 results; the change may or may not have been applied: look the record up before retrying',
    });
    expect(Array.isArray(sent) && sent.length).toBe(2);
    expect(requests.map((request) => request.outcome)).toEqual(['error']);
  });

  it('a batch of two updates answered with three results: outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, [updated([]), updated([]), updated([])]);
    const { client, requests } = testClient();
    const changes = Array.from({ length: 51 }, (_, index) => ({
      associateNo: index + 1,
      values: { phone: '+4733123456' },
    }));
    expect((await client.customers.update(changes))._unsafeUnwrapErr()).toMatchObject({
      ...unclear,
      message: /^Business NXT answered a batch of 2 with 3 results; /,
    });
    expect(requests).toHaveLength(1);
  });

  it('a lookup batch answered with the wrong number of results stays a validation error', async () => {
    mockToken();
    const page = {
      data: {
        useCompany: {
          associate: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, items: [] },
        },
      },
    };
    graphql().reply(200, [page, page]);
    const orgNumbers = Array.from({ length: 250 }, (_, index) => String(900_000_000 + index));
    const { client, requests } = testClient();
    expect((await client.customers.byOrgNumbers(orgNumbers))._unsafeUnwrapErr()).toEqual({
      kind: 'validation',
      message: 'Business NXT answered a batch of 3 with 2 results',
      issues: [],
      retryable: false,
    });
    expect(requests).toHaveLength(1);
  });
});
