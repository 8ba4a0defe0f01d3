import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  companyRefused,
  duplicateKeyBesideStoredRow,
  errorWhileMutationRan,
  failedUpdateWithBeforeValues,
  fieldAssignmentFailed,
  validationError,
} from '../__fixtures__/graphql-error-shapes.js';
import { graphql, mockToken, testClient } from '../test-support/nock-client.js';

// What each documented error shape in a mutation's answer means for its rows: refused (nothing applied, with the
// record, the field and Business NXT's status), stored, or unknown (`outcome-unknown`: look the row up first).

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Kunde ${index} AS` }));
const updates = [
  { associateNo: 7, values: { customerNo: 10008 } },
  { associateNo: 8, values: { name: 'Etter AS' } },
];

describe('row errors: the row refused alone, the others kept', () => {
  it('a duplicate primary key (status 3, PrimaryKeyAssignmentFailed) refuses its row; the stored row is kept', async () => {
    mockToken();
    graphql().reply(200, duplicateKeyBesideStoredRow);
    const { client, requests } = testClient();
    const [refused, stored] = (await client.customers.create(rows(2)))._unsafeUnwrap();
    expect(refused?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      message:
        'row 1 of the insert: Business NXT refused the row: A record with the same primary key already exists. (PrimaryKeyAssignmentFailed, status 3)',
      recordIndex: 0,
      field: null,
      errors: [{ status: 3, statusName: 'PrimaryKeyAssignmentFailed', recordIndex: 0 }],
      data: duplicateKeyBesideStoredRow.data,
      retryable: false,
    });
    expect(stored?._unsafeUnwrap()).toMatchObject({ associateNo: 5001, name: 'Kunde 1 AS' });
    expect(requests).toHaveLength(1);
  });

  it('an error naming the field whose assignment failed names the record and that field, with the trace id', async () => {
    mockToken();
    graphql().reply(200, fieldAssignmentFailed);
    const { client } = testClient();
    const [stored, refused] = (
      await client.customers.create([
        { name: 'Kunde 0 AS' },
        { name: 'Kunde 1 AS', emailAddress: 'post(at)kunde.no' },
      ])
    )._unsafeUnwrap();
    expect(stored?._unsafeUnwrap().associateNo).toBe(5000);
    expect(refused?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      recordIndex: 1,
      field: 'emailAddress',
      message:
        "row 2 of the insert: Business NXT refused emailAddress: Assignment of field 'emailAddress' failed: the value is not a valid e-mail address. (ValidationFailed, status 2) [vbnxt-trace-id 83bcb079fb2c8]",
    });
  });

  it("names the stable key of an UNCONFIRMED column by its live name, and a row's index among all rows", async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: 'Assignment failed for Mobile: the number has too many digits.',
          path: ['useCompany', 'associate_update', 'values/0', 'Mobile'],
        },
      ],
      data: { useCompany: { associate_update: { affectedRows: 0, items: [] } } },
    });
    const { client } = testClient({ fieldNames: { mobilePhone: 'mobile' } });
    const [refused] = (
      await client.contactPersons.update([
        { associateNo: 4, values: { mobilePhone: '+47 48 12 34 56 78 90' } },
      ])
    )._unsafeUnwrap();
    expect(refused?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      field: 'mobilePhone',
      recordIndex: 0,
      message: /^the update of associate 4: Business NXT refused mobilePhone: Assignment failed for Mobile/,
    });
  });

  it('a failed update is refused although items hold its values from before; the other row is updated', async () => {
    mockToken();
    graphql().reply(200, failedUpdateWithBeforeValues);
    const { client } = testClient();
    const [refused, updated] = (await client.customers.update(updates))._unsafeUnwrap();
    expect(refused?._unsafeUnwrapErr()).toMatchObject({
      kind: 'graphql',
      field: 'customerNo',
      recordIndex: 0,
      message: /^the update of associate 7: Business NXT refused customerNo: /,
    });
    expect(updated?._unsafeUnwrap()).toMatchObject({ associateNo: 8, name: 'Etter AS' });
  });
});

describe('errors about no row', () => {
  it('before the mutation ran (useCompany null): every row refused, nothing unknown', async () => {
    mockToken();
    graphql().reply(200, companyRefused);
    const { client } = testClient();
    const results = (await client.customers.create(rows(2)))._unsafeUnwrap();
    for (const result of results)
      expect(result._unsafeUnwrapErr()).toMatchObject({
        kind: 'graphql',
        message: expect.stringMatching(
          /^Business NXT refused the insert: Error: Could not get authorize user/,
        ),
        data: { useCompany: null },
      });
  });

  it('a validation error (no data): the update never ran, its rows are refused', async () => {
    mockToken();
    graphql().reply(200, validationError);
    const { client } = testClient();
    const results = (await client.customers.update(updates))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrapErr().kind)).toEqual(['graphql', 'graphql']);
    expect(results[0]?._unsafeUnwrapErr()).toMatchObject({
      errors: [{ code: 'FIELDS_ON_CORRECT_TYPE', locations: [{ line: 4, column: 7 }] }],
    });
  });

  it('while an insert ran: its rows are outcome-unknown (never resent), naming the error', async () => {
    mockToken();
    graphql().reply(200, errorWhileMutationRan('associate_create'));
    const { client, requests } = testClient();
    const results = (await client.customers.create(rows(2)))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrapErr())).toEqual(
      [1, 2].map((row) => ({
        kind: 'outcome-unknown',
        cause: 'malformed-response',
        status: 200,
        retryable: false,
        message: `row ${row} of the insert: the answer held an error about no row in particular (Internal server error.), so Business NXT did not say whether this row was stored; the change may or may not have been applied: look the record up before retrying`,
      })),
    );
    expect(requests).toHaveLength(1);
  });

  it('while an update ran: its rows are outcome-unknown', async () => {
    mockToken();
    graphql().reply(200, errorWhileMutationRan('associate_update'));
    const { client } = testClient();
    const results = (await client.customers.update(updates))._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrapErr().kind)).toEqual([
      'outcome-unknown',
      'outcome-unknown',
    ]);
  });

  it('an insert that lists every row it stored is believed, even beside an error about no row', async () => {
    mockToken();
    graphql().reply(200, {
      errors: [
        {
          message: 'Recalculation of the customer balance failed.',
          path: ['useCompany', 'associate_create'],
        },
      ],
      data: {
        useCompany: {
          associate_create: {
            affectedRows: 1,
            items: [{ associateNo: 5000, customerNo: 10000, name: 'Kunde 0 AS' }],
          },
        },
      },
    });
    const { client } = testClient();
    const [stored] = (await client.customers.create(rows(1)))._unsafeUnwrap();
    expect(stored?._unsafeUnwrap().associateNo).toBe(5000);
  });
});
