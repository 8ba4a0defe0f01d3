import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { VismaNxtError } from '../errors.js';
import { type GraphQLRequest, type GraphQLResponse, maxBatch } from '../transport/graphql-transport.js';
import { isDuplicateKey, suggestCustomerNo } from '../unconfirmed.js';
import { type Associate, type AssociateValues, toLiveValues } from './associate.js';
import { associatePageDocument, createAssociatesDocument, updateAssociatesDocument } from './documents.js';
import {
  generalErrorText,
  mutationRefusal,
  readAnswer,
  rowRefusal,
  unaccounted as unknownOutcome,
} from './mutation-answer.js';
import { type AssociatesContext, expectData } from './read.js';

/** One input row's outcome: the row as Business NXT stored it, or why it was not stored. */
export type RowResult = Result<Associate, VismaNxtError>;

/**
 * How new customers get their customer number: Business NXT suggests one (the default), or the client takes the
 * next free number of a configured series, moving past numbers that turn out to be in use.
 */
export type CustomerNumbering =
  | { readonly kind: 'suggest' }
  | { readonly kind: 'series'; readonly from: number; readonly to: number };

const rowsPerMutation = 50;

/**
 * Inserts rows with `associate_create`, 50 rows per mutation; each row's result in input order. A rejected row
 * (its error `path` ends in `values/<i>`) fails alone. Inserts are never resent after an unclear failure: see Safety.
 */
export function createAssociates(
  context: AssociatesContext,
  rows: readonly AssociateValues[],
  numbering: CustomerNumbering | null,
): ResultAsync<RowResult[], VismaNxtError> {
  return new ResultAsync(
    (async (): Promise<Result<RowResult[], VismaNxtError>> => {
      const results: RowResult[] = [];
      let series: SeriesCursor | null = null;
      if (numbering?.kind === 'series' && rows.some(wantsNumber)) {
        const start = await nextInSeries(context, numbering);
        if (start.isErr()) return err(start.error);
        series = { next: start.value, to: numbering.to };
      }
      const chunks: AssociateValues[][] = [];
      for (let index = 0; index < rows.length; index += rowsPerMutation)
        chunks.push(rows.slice(index, index + rowsPerMutation));
      if (series !== null) {
        // A series may collide with numbers typed in by hand: each chunk retries its own collisions in turn.
        for (const [chunkNo, chunk] of chunks.entries()) {
          const offset = chunkNo * rowsPerMutation;
          const chunkResults = await createChunk(context, chunk, numbering, series, offset);
          if (chunkResults.isErr()) return err(chunkResults.error);
          results.push(...chunkResults.value);
        }
        return ok(results);
      }
      // Otherwise up to 32 mutations of up to 50 rows travel in one batch request. Rows whose customer number is
      // to be suggested go in a mutation of their own (with `suggest`), apart from rows that give theirs.
      const mutations: SendingRow[][] = [];
      chunks.forEach((chunk, chunkNo) => {
        const sending = chunk.map((values, position) =>
          toSending(chunkNo * rowsPerMutation + position, values, numbering),
        );
        for (const group of [sending.filter((row) => row.suggest), sending.filter((row) => !row.suggest)])
          if (group.length > 0) mutations.push(group);
      });
      const byIndex: Array<RowResult | undefined> = new Array(rows.length).fill(undefined);
      for (let index = 0; index < mutations.length; index += maxBatch) {
        const batch = mutations.slice(index, index + maxBatch);
        const responses = await sendWrites(
          context,
          batch.map((sending) => createRequest(context, sending)),
        );
        if (responses.isErr()) return err(responses.error);
        for (const [position, response] of responses.value.entries()) {
          const sending = batch[position] ?? [];
          const answered = answerCreate(context, response, sending, rows, null, 0);
          if (answered.isErr()) return err(answered.error);
          for (const row of sending)
            byIndex[row.index] =
              answered.value.results[row.index] ??
              err(unknownOutcome('the insert', 'the answer left the row out', response.status));
        }
      }
      return ok(
        byIndex.map(
          (result) => result ?? err(unknownOutcome('the insert', 'the answer left the row out', 200)),
        ),
      );
    })(),
  );
}

/** One mutation as a plain request; several (up to 32) as one batch request. Never resent when unclear. */
function sendWrites(
  context: AssociatesContext,
  requests: readonly GraphQLRequest[],
): ResultAsync<GraphQLResponse[], VismaNxtError> {
  const [only] = requests;
  if (requests.length === 1 && only !== undefined)
    return context.transport.request(only, 'write').map((response) => [response]);
  return context.transport.batch(requests, 'write');
}

/**
 * One row as sent: its index among the caller's rows, its values (never a `null` customer number: the deprecated
 * null-to-suggest style is not used), and whether Business NXT is to suggest its customer number.
 */
type SendingRow = { readonly index: number; readonly values: AssociateValues; readonly suggest?: boolean };

/** A row without a customer number (left out or `null`) is to get one, as `numbering` says. */
function wantsNumber(values: AssociateValues): boolean {
  return values.customerNo === undefined || values.customerNo === null;
}

function withoutNullNumber(values: AssociateValues): AssociateValues {
  if (values.customerNo !== null) return values;
  const { customerNo: _none, ...rest } = values;
  return rest;
}

function toSending(index: number, values: AssociateValues, numbering: CustomerNumbering | null): SendingRow {
  return {
    index,
    values: withoutNullNumber(values),
    suggest: numbering?.kind === 'suggest' && wantsNumber(values),
  };
}

/**
 * One `associate_create` of up to 50 rows; `suggest` asks for suggested customer numbers when its rows want them.
 * https://docs.vismasoftware.no/businessnxtapi/apireference/schema/mutations/inserts/
 */
function createRequest(context: AssociatesContext, sending: readonly SendingRow[]): GraphQLRequest {
  return {
    query: createAssociatesDocument(context.names),
    operationName: 'CreateAssociates',
    variables: {
      companyNo: context.companyNo,
      values: sending.map((row) => toLiveValues(row.values, context.names)),
      suggest: sending.some((row) => row.suggest) ? suggestCustomerNo : null,
    },
  };
}

/**
 * Each sent row's outcome from one `associate_create` answer, by its index in the chunk; rows whose series number
 * was taken come back in `retry` (series numbering only). A row with an error of its own was refused; a row the
 * answer lists was stored; any other row is refused with the whole mutation when the mutation never ran (the
 * company refused), and unknown when it ran.
 */
function answerCreate(
  context: AssociatesContext,
  response: GraphQLResponse,
  sending: readonly SendingRow[],
  chunk: readonly AssociateValues[],
  numbering: CustomerNumbering | null,
  offset: number,
): Result<{ results: Array<RowResult | undefined>; retry: SendingRow[] }, VismaNxtError> {
  const answer = readAnswer(response, 'associate_create');
  if (answer.isErr()) return err(answer.error);
  const { items, errorsByRow, general, ran } = answer.value;
  const results: Array<RowResult | undefined> = [];
  const retry: SendingRow[] = [];
  const succeeded = sending.filter((_, position) => !errorsByRow.has(position));
  // Inserted rows are listed in input order: with one item per row that has no error, each row has its item.
  const itemsMatch = items !== null && items.length === succeeded.length;
  const missing =
    general.length > 0
      ? generalErrorText(answer.value)
      : items === null
        ? 'the answer held no items'
        : `the answer held ${items.length} items for ${succeeded.length} rows without an error`;
  sending.forEach((row, position) => {
    const index = offset + row.index;
    const what = `row ${index + 1} of the insert`;
    const rowErrors = errorsByRow.get(position);
    if (rowErrors !== undefined) {
      const duplicate =
        numbering?.kind === 'series' &&
        wantsNumber(chunk[row.index] ?? row.values) &&
        rowErrors.some(isDuplicateKey);
      if (duplicate)
        retry.push({ index: row.index, values: withoutNullNumber(chunk[row.index] ?? row.values) });
      else {
        const sent = toLiveValues(row.values, context.names);
        results[row.index] = err(rowRefusal(rowErrors, answer.value, what, { index, sent }, context.names));
      }
      return;
    }
    const item = itemsMatch ? items[succeeded.indexOf(row)] : undefined;
    if (item !== undefined) results[row.index] = ok(item);
    else if (general.length > 0 && !ran)
      results[row.index] = err(mutationRefusal(answer.value, 'the insert'));
    else results[row.index] = err(unknownOutcome(what, missing, response.status));
  });
  return ok({ results, retry });
}

interface SeriesCursor {
  next: number;
  readonly to: number;
}

async function createChunk(
  context: AssociatesContext,
  chunk: readonly AssociateValues[],
  numbering: CustomerNumbering | null,
  series: SeriesCursor | null,
  offset: number,
): Promise<Result<RowResult[], VismaNxtError>> {
  const results: Array<RowResult | undefined> = new Array(chunk.length).fill(undefined);
  let pending: SendingRow[] = chunk.map((values, index) => ({ index, values: withoutNullNumber(values) }));
  let status = 200;
  // A number of the series may already be taken (typed in by hand): such rows try the next number, a few times.
  for (let round = 0; round < 5 && pending.length > 0; round += 1) {
    const assigned = pending.map((row) => {
      if (numbering === null || row.values.customerNo !== undefined) return row;
      if (numbering.kind === 'suggest') return toSending(row.index, row.values, numbering);
      if (series === null || series.next > series.to) return row;
      const customerNo = series.next;
      series.next += 1;
      return { ...row, values: { ...row.values, customerNo } };
    });
    const exhausted = assigned.filter(
      (row) => numbering?.kind === 'series' && row.values.customerNo === undefined,
    );
    for (const row of exhausted) {
      results[row.index] = err({
        kind: 'config',
        message: 'the customer number series is used up; widen it',
        retryable: false,
      });
    }
    const sending = assigned.filter((row) => !exhausted.includes(row));
    if (sending.length === 0) break;
    const response = await context.transport.request(createRequest(context, sending), 'write');
    if (response.isErr()) return err(response.error);
    status = response.value.status;
    const answered = answerCreate(context, response.value, sending, chunk, numbering, offset);
    if (answered.isErr()) return err(answered.error);
    answered.value.results.forEach((result, index) => {
      if (result !== undefined) results[index] = result;
    });
    const retry = answered.value.retry;
    pending = retry;
  }
  for (const row of pending) {
    results[row.index] = err({
      kind: 'config',
      message: 'five customer numbers in a row were already in use',
      retryable: false,
    });
  }
  return ok(
    results.map(
      (result) => result ?? err(unknownOutcome('the insert', 'the answer left the row out', status)),
    ),
  );
}

const highestSchema = z.object({
  useCompany: z
    .object({
      associate: z.object({ items: z.array(z.object({ customerNo: z.number().int().nullish() })).nullish() }),
    })
    .nullish(),
});

/** The first free number of the series: one past the highest customer number in it. */
async function nextInSeries(
  context: AssociatesContext,
  series: { readonly from: number; readonly to: number },
): Promise<Result<number, VismaNxtError>> {
  const response = await context.transport.request(
    {
      query: associatePageDocument(context.names, '[{customerNo: DESC}]'),
      operationName: 'AssociatePage',
      variables: {
        companyNo: context.companyNo,
        first: 1,
        after: null,
        filter: { _and: [{ customerNo: { _gte: series.from } }, { customerNo: { _lte: series.to } }] },
      },
    },
    'read',
  );
  return response
    .andThen((value) => expectData(value, highestSchema, 'the highest customer number'))
    .map((data) => {
      const highest = data.useCompany?.associate.items?.[0]?.customerNo ?? null;
      return highest === null ? series.from : highest + 1;
    });
}

/** One row to change: which associate, and the new values (only the columns to write). */
export interface AssociateUpdate {
  readonly associateNo: number;
  readonly values: AssociateValues;
}

/**
 * Updates rows with `associate_update(filters, values)`, 50 per mutation; each row's result in input order,
 * matched by associate number. A row that matched nothing (deleted meanwhile) fails alone.
 */
export function updateAssociates(
  context: AssociatesContext,
  rows: readonly AssociateUpdate[],
): ResultAsync<RowResult[], VismaNxtError> {
  return new ResultAsync(
    (async (): Promise<Result<RowResult[], VismaNxtError>> => {
      const results: RowResult[] = [];
      const chunks: AssociateUpdate[][] = [];
      for (let index = 0; index < rows.length; index += rowsPerMutation)
        chunks.push(rows.slice(index, index + rowsPerMutation));
      // Up to 32 mutations of 50 rows in one batch request.
      for (let index = 0; index < chunks.length; index += maxBatch) {
        const batch = chunks.slice(index, index + maxBatch);
        const responses = await sendWrites(
          context,
          batch.map((chunk) => ({
            query: updateAssociatesDocument(context.names),
            operationName: 'UpdateAssociates',
            variables: {
              companyNo: context.companyNo,
              filters: chunk.map((row) => ({ associateNo: { _eq: row.associateNo } })),
              values: chunk.map((row) => toLiveValues(row.values, context.names)),
            },
          })),
        );
        if (responses.isErr()) return err(responses.error);
        for (const [position, response] of responses.value.entries()) {
          const offset = (index + position) * rowsPerMutation;
          const answered = answerUpdate(context, response, batch[position] ?? [], offset);
          if (answered.isErr()) return err(answered.error);
          results.push(...answered.value);
        }
      }
      return ok(results);
    })(),
  );
}

/**
 * Each row's outcome from one `associate_update` answer, matched by associate number. A row with an error of its
 * own was refused (its item, if any, holds the values from before the update:
 * https://docs.vismasoftware.no/businessnxtapi/release-notes/2026-06-22-failed-updates-error-handling/); with an
 * error about no row, the other rows are refused when the mutation never ran and unknown when it ran.
 */
function answerUpdate(
  context: AssociatesContext,
  response: GraphQLResponse,
  chunk: readonly AssociateUpdate[],
  offset: number,
): Result<RowResult[], VismaNxtError> {
  const answer = readAnswer(response, 'associate_update');
  if (answer.isErr()) return err(answer.error);
  const { items, errorsByRow, general, ran } = answer.value;
  const byNumber = new Map((items ?? []).map((item) => [item.associateNo, item]));
  return ok(
    chunk.map((row, position): RowResult => {
      const what = `the update of associate ${row.associateNo}`;
      const rowErrors = errorsByRow.get(position);
      if (rowErrors !== undefined) {
        const sent = toLiveValues(row.values, context.names);
        const index = offset + position;
        return err(rowRefusal(rowErrors, answer.value, what, { index, sent }, context.names));
      }
      if (general.length > 0)
        return err(
          ran
            ? unknownOutcome(what, generalErrorText(answer.value), response.status)
            : mutationRefusal(answer.value, 'the update'),
        );
      const item = byNumber.get(row.associateNo);
      if (item !== undefined) return ok(item);
      if (items === null) return err(unknownOutcome(what, 'the answer held no items', response.status));
      return err({
        kind: 'graphql',
        message: `${what}: associate ${row.associateNo} was not found (deleted in Business NXT?)`,
        errors: [],
        data: null,
        recordIndex: offset + position,
        field: null,
        retryable: false,
      });
    }),
  );
}
