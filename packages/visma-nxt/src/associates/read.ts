import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { DateTimeCodec } from '../datetime.js';
import type { GraphQLErrorEntry, VismaNxtError } from '../errors.js';
import {
  type GraphQLRequest,
  type GraphQLResponse,
  maxBatch,
  type Transport,
} from '../transport/graphql-transport.js';
import type { FieldNames } from '../unconfirmed.js';
import { type Associate, associateSchema, liveName } from './associate.js';
import { associatePageDocument, latestChangeDocument } from './documents.js';

export interface AssociatePage {
  readonly items: readonly Associate[];
  /** How many rows match the filter in all. */
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export interface PagesOptions {
  /**
   * Only rows with `changedTimestamp` at or after this (incremental sync): an instant (epoch ms), written as a
   * fold-safe lower bound in the server's zone (`DateTimeCodec.lowerBound`), or a `DateTime` as Business NXT writes
   * it (`yyyy-MM-dd HH:mm:ss[.nnnnnnn]`, its local time), sent as it is.
   */
  readonly changedSince?: string | number | undefined;
  /** Rows per page, default 500 (Business NXT's maximum is UNCONFIRMED; public code uses 500). */
  readonly pageSize?: number | undefined;
}

const pageSchema = z.object({
  useCompany: z
    .object({
      associate: z.object({
        totalCount: z.number().int(),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
        items: z.array(associateSchema).nullish(),
      }),
    })
    .nullish(),
});

/** What every associate read and write needs: the transport, the company, the column names and the time codec. */
export interface AssociatesContext {
  readonly transport: Transport;
  readonly companyNo: number;
  readonly names: FieldNames;
  /** Reads and writes the server's `DateTime` values in its time zone. */
  readonly dateTime: DateTimeCodec;
}

/** A GraphQL answer as a result: any error fails it, keeping the errors and the partial data. */
export function expectData<T>(
  response: GraphQLResponse,
  schema: z.ZodType<T>,
  what: string,
): Result<T, VismaNxtError> {
  if (response.errors.length > 0) return err(graphqlError(response.errors, response.data, what));
  const parsed = schema.safeParse(response.data);
  if (!parsed.success) {
    return err({
      kind: 'validation',
      message: `Business NXT answered ${what} with an unexpected shape`,
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`),
      retryable: false,
    });
  }
  return ok(parsed.data);
}

export function graphqlError(
  errors: readonly GraphQLErrorEntry[],
  data: unknown,
  what: string,
): VismaNxtError {
  const first = errors[0]?.message ?? 'unknown error';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    kind: 'graphql',
    message: `Business NXT refused ${what}: ${first}${more}`,
    errors,
    data,
    retryable: false,
  };
}

function toPage(data: z.infer<typeof pageSchema>, what: string): Result<AssociatePage, VismaNxtError> {
  const connection = data.useCompany?.associate;
  if (connection === undefined) {
    return err({
      kind: 'graphql',
      message: `Business NXT gave no company data for ${what}`,
      errors: [],
      data,
      retryable: false,
    });
  }
  return ok({
    items: connection.items ?? [],
    totalCount: connection.totalCount,
    endCursor: connection.pageInfo.endCursor ?? null,
    hasNextPage: connection.pageInfo.hasNextPage,
  });
}

/**
 * Pages through associates matching `baseFilter`, ordered so that paging is stable: by associate number for a
 * full read, by `changedTimestamp` then associate number for an incremental one (a row changed while paging moves
 * to the end and is read again later: never skipped). Yields each page as a result; stops after an error.
 */
export async function* associatePages(
  context: AssociatesContext,
  baseFilter: Record<string, unknown>,
  options: PagesOptions,
): AsyncGenerator<Result<AssociatePage, VismaNxtError>> {
  const since = options.changedSince;
  const incremental = since !== undefined;
  const filter = incremental
    ? {
        _and: [
          baseFilter,
          {
            changedTimestamp: {
              _gte: typeof since === 'number' ? context.dateTime.lowerBound(since) : since,
            },
          },
        ],
      }
    : baseFilter;
  const orderBy = incremental ? '[{changedTimestamp: ASC}, {associateNo: ASC}]' : '[{associateNo: ASC}]';
  const query = associatePageDocument(context.names, orderBy);
  let after: string | null = null;
  for (;;) {
    const variables: Record<string, unknown> = {
      companyNo: context.companyNo,
      first: options.pageSize ?? 500,
      after,
      filter,
    };
    const result: Result<AssociatePage, VismaNxtError> = await context.transport
      .request({ query, variables, operationName: 'AssociatePage' }, 'read')
      .andThen((response) =>
        expectData(response, pageSchema, 'an associate page').andThen((data) =>
          toPage(data, 'an associate page'),
        ),
      );
    yield result;
    if (result.isErr() || !result.value.hasNextPage || result.value.endCursor === null) return;
    after = result.value.endCursor;
  }
}

const latestChangeSchema = z.object({
  useCompany: z
    .object({
      associate: z.object({
        items: z.array(z.object({ changedTimestamp: z.string().nullish() })).nullish(),
      }),
    })
    .nullish(),
});

/**
 * The largest `changedTimestamp` of any associate, as Business NXT wrote it (its own clock, local time without a
 * zone: read it with `DateTimeCodec.parse`), or `null` when no row has one. Read before a pass, it is a watermark
 * no later than any change the pass may miss. The server sorts wall times: on the night the clocks go back, a row
 * stamped in the first pass of the repeated hour sorts after one stamped early in the second, so the value can be
 * up to an hour older than the latest change, never newer (still a lower bound).
 */
export function latestChange(context: AssociatesContext): ResultAsync<string | null, VismaNxtError> {
  return context.transport
    .request(
      {
        query: latestChangeDocument,
        // Rows never changed since October 2024 have no changedTimestamp; they are left out of the sort.
        variables: {
          companyNo: context.companyNo,
          filter: { changedTimestamp: { _gt: '1900-01-01 00:00:00' } },
        },
        operationName: 'LatestChange',
      },
      'read',
    )
    .andThen((response) => expectData(response, latestChangeSchema, 'the latest change'))
    .map((data) => data.useCompany?.associate.items?.[0]?.changedTimestamp ?? null);
}

/** The filter that selects customers: associates with a customer number. */
export const customerFilter = { customerNo: { _gt: 0 } };

/** The filter that selects contact persons: associates that are a contact person for a customer. */
export function contactPersonFilter(names: FieldNames): Record<string, unknown> {
  return { [liveName('contactPersonForAssociateNo', names)]: { _gt: 0 } };
}

const lookupChunk = 100;

/**
 * Looks associates up by one field's values (`_in`), 100 values per operation and up to 32 operations per HTTP
 * request, so 3,200 numbers cost one request. Follows a page that holds more rows than values (shared org numbers).
 */
export function lookupAssociates(
  context: AssociatesContext,
  field: string,
  values: readonly (string | number)[],
  scope: Record<string, unknown> | null,
): ResultAsync<Associate[], VismaNxtError> {
  const unique = [...new Set(values)];
  const query = associatePageDocument(context.names, '[{associateNo: ASC}]');
  const operation = (chunk: readonly (string | number)[], after: string | null): GraphQLRequest => {
    const byValue = { [field]: { _in: chunk } };
    return {
      query,
      operationName: 'AssociatePage',
      variables: {
        companyNo: context.companyNo,
        first: 500,
        after,
        filter: scope === null ? byValue : { _and: [scope, byValue] },
      },
    };
  };
  const chunks: Array<readonly (string | number)[]> = [];
  for (let index = 0; index < unique.length; index += lookupChunk)
    chunks.push(unique.slice(index, index + lookupChunk));
  const batches: Array<Array<readonly (string | number)[]>> = [];
  for (let index = 0; index < chunks.length; index += maxBatch)
    batches.push(chunks.slice(index, index + maxBatch));

  const readBatch = async (
    batch: Array<readonly (string | number)[]>,
  ): Promise<Result<Associate[], VismaNxtError>> => {
    const responses = await context.transport.batch(batch.map((chunk) => operation(chunk, null)));
    if (responses.isErr()) return err(responses.error);
    const found: Associate[] = [];
    for (const [index, response] of responses.value.entries()) {
      let page = expectData(response, pageSchema, 'a lookup').andThen((data) => toPage(data, 'a lookup'));
      for (;;) {
        if (page.isErr()) return err(page.error);
        found.push(...page.value.items);
        if (!page.value.hasNextPage || page.value.endCursor === null) break;
        const next = await context.transport.request(
          operation(batch[index] ?? [], page.value.endCursor),
          'read',
        );
        page = next
          .andThen((more) => expectData(more, pageSchema, 'a lookup'))
          .andThen((data) => toPage(data, 'a lookup'));
      }
    }
    return ok(found);
  };

  return new ResultAsync(
    (async (): Promise<Result<Associate[], VismaNxtError>> => {
      const all: Associate[] = [];
      for (const batch of batches) {
        const result = await readBatch(batch);
        if (result.isErr()) return result;
        all.push(...result.value);
      }
      return ok(all);
    })(),
  );
}
