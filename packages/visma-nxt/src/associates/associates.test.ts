import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import duplicateKey from '../__fixtures__/visma-nxt-duplicate-key.json' with { type: 'json' };
import { graphql, mockToken, testClient } from '../test-support/nock-client.js';

interface SentOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const page = (items: object[], endCursor: string | null, hasNextPage: boolean, totalCount = 3) => ({
  data: { useCompany: { associate: { totalCount, pageInfo: { hasNextPage, endCursor }, items } } },
});

/** Records each GraphQL body the client sends, answering with `replies` in turn. */
function capture(replies: object[]) {
  const sent: unknown[] = [];
  for (const reply of replies) {
    graphql().reply(200, (_uri, body) => {
      sent.push(body);
      return reply;
    });
  }
  return sent;
}

describe('reading associates', () => {
  it('pages through customers with cursors, ordered by associate number', async () => {
    mockToken();
    const sent = capture([
      page([{ associateNo: 1, customerNo: 10001, name: 'Larvik Havn KF' }], 'cursor-1', true),
      page([{ associateNo: 2, customerNo: 10002, name: 'Stavern Båtservice AS' }], 'cursor-2', false),
    ]);
    const { client } = testClient();
    const pages = [];
    for await (const result of client.customers.pages({ pageSize: 1 })) pages.push(result._unsafeUnwrap());
    expect(pages.map((page) => page.items.map((item) => item.associateNo))).toEqual([[1], [2]]);
    expect(pages[0]?.totalCount).toBe(3);
    const [first, second] = sent as SentOperation[];
    expect(first?.variables).toEqual({
      companyNo: 9112233,
      first: 1,
      after: null,
      filter: { customerNo: { _gt: 0 } },
    });
    expect(second?.variables.after).toBe('cursor-1');
    expect(first?.query).toContain('orderBy: [{associateNo: ASC}]');
    expect(first?.query).toContain('contactPersonForAssociateNo: contactPersonForAssociateNo');
  });

  it('reads incrementally from a changedTimestamp watermark, ordered by it', async () => {
    mockToken();
    const sent = capture([page([], null, false, 0)]);
    const { client } = testClient();
    for await (const result of client.contactPersons.pages({ changedSince: '2026-11-24T10:00:00' }))
      expect(result.isOk()).toBe(true);
    const [operation] = sent as SentOperation[];
    expect(operation?.variables.filter).toEqual({
      _and: [
        { contactPersonForAssociateNo: { _gt: 0 } },
        { changedTimestamp: { _gte: '2026-11-24T10:00:00' } },
      ],
    });
    expect(operation?.query).toContain('orderBy: [{changedTimestamp: ASC}, {associateNo: ASC}]');
  });

  it('uses the configured live names for UNCONFIRMED fields, aliased to the stable keys', async () => {
    mockToken();
    const sent = capture([
      page([{ associateNo: 4, contactPersonForAssociateNo: 3, mobilePhone: '+4748123456' }], null, false, 1),
    ]);
    const { client } = testClient({
      fieldNames: { contactPersonForAssociateNo: 'contactPersonFor', mobilePhone: 'mobile' },
    });
    const pages = [];
    for await (const result of client.contactPersons.pages()) pages.push(result._unsafeUnwrap());
    const [operation] = sent as SentOperation[];
    expect(operation?.query).toContain('contactPersonForAssociateNo: contactPersonFor');
    expect(operation?.query).toContain('mobilePhone: mobile');
    expect(operation?.variables.filter).toEqual({ contactPersonFor: { _gt: 0 } });
    expect(pages[0]?.items[0]).toMatchObject({ contactPersonForAssociateNo: 3 });
  });

  it('refuses a field name that is not a GraphQL name', () => {
    expect(() => testClient({ fieldNames: { mobilePhone: 'mobile } } __schema {' } })).toThrow(
      /fieldNames.mobilePhone/,
    );
  });

  it('stops paging at an error and yields it', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [{ message: 'No access to company 9112233' }],
      data: { useCompany: null },
    });
    const { client } = testClient();
    const results = [];
    for await (const result of client.customers.pages()) results.push(result);
    expect(results).toHaveLength(1);
    expect(results[0]?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      message: /No access to company/,
    });
  });

  it('looks up 250 organization numbers in one HTTP request of three operations, values only as variables', async () => {
    mockToken();
    const orgNumbers = Array.from({ length: 250 }, (_, index) => String(900_000_000 + index));
    let sent: SentOperation[] = [];
    graphql().reply(200, (_uri, body) => {
      sent = body as SentOperation[];
      return sent.map((_, index) =>
        page([{ associateNo: index + 1, companyNo: orgNumbers[index] }], null, false, 1),
      );
    });
    const { client, requests } = testClient();
    const found = (await client.customers.byOrgNumbers(orgNumbers))._unsafeUnwrap();
    expect(found.map((row) => row.associateNo)).toEqual([1, 2, 3]);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.variables.filter).toEqual({
      _and: [{ customerNo: { _gt: 0 } }, { companyNo: { _in: orgNumbers.slice(200) } }],
    });
    expect(sent.every((operation) => !operation.query.includes('900000'))).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('follows a lookup page that holds more rows than fit', async () => {
    mockToken();
    graphql().reply(200, [page([{ associateNo: 1 }], 'c1', true)]);
    graphql().reply(200, page([{ associateNo: 2 }], null, false));
    const { client } = testClient();
    expect(
      (await client.customers.byOrgNumbers(['923609016']))._unsafeUnwrap().map((row) => row.associateNo),
    ).toEqual([1, 2]);
  });
});

describe('writing associates', () => {
  it('creates customers in one mutation, Business NXT suggesting the numbers, one result per row', async () => {
    mockToken();
    const sent = capture([
      {
        errors: [
          {
            message: "Field 'name' is too long (max 80).",
            path: ['useCompany', 'associate_create', 'values/1'],
            extensions: { data: { status: 2, status_name: 'ValidationFailed' } },
          },
        ],
        data: {
          useCompany: {
            associate_create: {
              affectedRows: 2,
              items: [
                { associateNo: 5000, customerNo: 20000, name: 'Port-Service Øst AS' },
                { associateNo: 5001, customerNo: 20001, name: 'Fjord AS' },
              ],
            },
          },
        },
      },
    ]);
    const { client } = testClient();
    const results = (
      await client.customers.create([
        { name: 'Port-Service Øst AS', companyNo: '923609016' },
        { name: 'X'.repeat(90) },
        { name: 'Fjord AS' },
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => (result.isOk() ? result.value.associateNo : result.error.kind))).toEqual([
      5000,
      'graphql',
      5001,
    ]);
    const [operation] = sent as SentOperation[];
    expect(operation?.operationName).toBe('CreateAssociates');
    // The supported `suggest` argument, not the deprecated `null` inside `values`.
    expect(operation?.variables.values).toEqual([
      { name: 'Port-Service Øst AS', companyNo: '923609016' },
      { name: 'X'.repeat(90) },
      { name: 'Fjord AS' },
    ]);
    expect(operation?.variables.suggest).toEqual({ customerNo: true });
  });

  it('asks for suggestions apart from rows that give their number, and never sends a null number', async () => {
    mockToken();
    const sent = capture([
      [
        {
          data: {
            useCompany: {
              associate_create: {
                affectedRows: 2,
                items: [
                  { associateNo: 7, customerNo: 10001, name: 'A AS' },
                  { associateNo: 9, customerNo: 10002, name: 'C AS' },
                ],
              },
            },
          },
        },
        {
          data: {
            useCompany: {
              associate_create: {
                affectedRows: 1,
                items: [{ associateNo: 8, customerNo: 20000, name: 'B AS' }],
              },
            },
          },
        },
      ],
    ]);
    const { client } = testClient();
    const results = (
      await client.customers.create([
        { name: 'A AS', customerNo: null },
        { name: 'B AS', customerNo: 20000 },
        { name: 'C AS' },
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrap().associateNo)).toEqual([7, 8, 9]);
    const [suggested, given] = sent[0] as SentOperation[];
    expect(suggested?.variables).toMatchObject({
      values: [{ name: 'A AS' }, { name: 'C AS' }],
      suggest: { customerNo: true },
    });
    expect(given?.variables).toMatchObject({
      values: [{ name: 'B AS', customerNo: 20000 }],
      suggest: null,
    });
    expect(suggested?.query).toContain('suggest: $suggest');
  });

  it('takes numbers from a configured series, moving past one already in use', async () => {
    mockToken();
    const sent = capture([
      page([{ associateNo: 9, customerNo: 30007 }], null, false, 1),
      duplicateKey.response,
      {
        data: {
          useCompany: {
            associate_create: { affectedRows: 1, items: [{ associateNo: 5000, customerNo: 30009 }] },
          },
        },
      },
    ]);
    const { client } = testClient({ customerNumbers: { kind: 'series', from: 30000, to: 39999 } });
    const [result] = (await client.customers.create([{ name: 'Ny Kunde AS' }]))._unsafeUnwrap();
    expect(result?._unsafeUnwrap()).toMatchObject({ customerNo: 30009 });
    const operations = sent as SentOperation[];
    expect(operations[0]?.variables.filter).toEqual({
      _and: [{ customerNo: { _gte: 30000 } }, { customerNo: { _lte: 39999 } }],
    });
    expect(operations[1]?.variables.values).toEqual([{ name: 'Ny Kunde AS', customerNo: 30008 }]);
    expect(operations[2]?.variables.values).toEqual([{ name: 'Ny Kunde AS', customerNo: 30009 }]);
  });

  it('never resends an insert after a timeout or 5xx (it may have been stored): the rows say so', async () => {
    mockToken();
    graphql().reply(503, 'Service Unavailable');
    const { client } = testClient();
    const result = await client.customers.create([{ name: 'Port-Service Øst AS' }]);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'server-error',
      status: 503,
      retryable: false,
      message: /look the record up/,
    });
  });

  it('says when an insert left the rows unknown, instead of guessing', async () => {
    mockToken();
    capture([
      {
        errors: [{ message: 'Internal error' }],
        data: { useCompany: { associate_create: { affectedRows: null, items: null } } },
      },
    ]);
    const { client } = testClient();
    const [result] = (
      await client.contactPersons.create([{ name: 'Kari', contactPersonForAssociateNo: 3 }])
    )._unsafeUnwrap();
    // The error is about no row while the mutation ran: the row may or may not have been stored.
    expect(result?._unsafeUnwrapErr()).toMatchObject({
      kind: 'outcome-unknown',
      cause: 'malformed-response',
      message: /^row 1 of the insert: the answer held an error about no row in particular \(Internal error\)/,
    });
  });

  it('updates several rows in one mutation, matching results by associate number', async () => {
    mockToken();
    const sent = capture([
      {
        data: {
          useCompany: {
            associate_update: { affectedRows: 1, items: [{ associateNo: 8, phone: '+4733123456' }] },
          },
        },
      },
    ]);
    const { client } = testClient();
    const results = (
      await client.customers.update([
        { associateNo: 7, values: { phone: '+4799582244' } },
        { associateNo: 8, values: { phone: '+4733123456', countryNo: 47 } },
      ])
    )._unsafeUnwrap();
    expect(results[0]?._unsafeUnwrapErr().message).toMatch(/associate 7 was not found/);
    expect(results[1]?._unsafeUnwrap()).toMatchObject({ associateNo: 8 });
    const [operation] = sent as SentOperation[];
    expect(operation?.variables.filters).toEqual([{ associateNo: { _eq: 7 } }, { associateNo: { _eq: 8 } }]);
    expect(operation?.variables.values).toEqual([
      { phone: '+4799582244' },
      { phone: '+4733123456', countryNo: 47 },
    ]);
  });

  it('passes text that looks like GraphQL or SQL only as a variable', async () => {
    mockToken();
    const sent = capture([
      { data: { useCompany: { associate_update: { affectedRows: 1, items: [{ associateNo: 7 }] } } } },
    ]);
    const { client } = testClient();
    const hostile = '"}) { __schema { types { name } } } #\'; DROP TABLE Actor;--';
    await client.customers.update([{ associateNo: 7, values: { name: hostile } }]);
    const [operation] = sent as SentOperation[];
    expect(operation?.query).not.toContain('DROP TABLE');
    expect(operation?.variables.values).toEqual([{ name: hostile }]);
  });
});
