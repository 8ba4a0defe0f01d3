import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { type GraphQLErrorEntry, outcomeUnknown, type VismaNxtError } from '../errors.js';
import type { GraphQLResponse } from '../transport/graphql-transport.js';
import { type FieldNames, namedColumn } from '../unconfirmed.js';
import { type Associate, associateSchema } from './associate.js';

// Reading the answer to one `associate_create` / `associate_update`: which rows it stored, which it refused (an
// error whose `path` ends in `values/<i>`), and whether an error not tied to a row came before the mutation ran
// (nothing applied) or while it ran (unknown). https://docs.vismasoftware.no/businessnxtapi/features/errors

export type MutationName = 'associate_create' | 'associate_update';

const mutationResult = (name: MutationName) =>
  z.object({
    useCompany: z
      .object({
        [name]: z
          .object({ affectedRows: z.number().int().nullish(), items: z.array(associateSchema).nullish() })
          .nullish(),
      })
      .nullish(),
  });

export interface MutationAnswer {
  /** The rows the answer lists (`null` when it lists none). */
  readonly items: readonly Associate[] | null;
  /** Errors about one row, by the row's index in the mutation's `values`. */
  readonly errorsByRow: ReadonlyMap<number, readonly GraphQLErrorEntry[]>;
  /** Errors about no row in particular. */
  readonly general: readonly GraphQLErrorEntry[];
  /**
   * Whether the mutation ran: `useCompany` resolved, so the mutation field under it executed. General errors of a
   * mutation that never ran (no `data`, or `useCompany: null`: the company refused) mean nothing was applied.
   */
  readonly ran: boolean;
  readonly status: number;
  readonly data: unknown;
  readonly traceId: string | null;
}

/**
 * The answer to one mutation. One that cannot be read (an unexpected shape) leaves all of its rows unknown: the
 * mutation reached Business NXT and may have been applied, so it is `outcome-unknown`, never resent.
 */
export function readAnswer(
  response: GraphQLResponse,
  name: MutationName,
): Result<MutationAnswer, VismaNxtError> {
  const parsed = mutationResult(name).safeParse(response.data ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`,
    );
    const shown = issues.length > 3 ? [...issues.slice(0, 3), `${issues.length - 3} more`] : issues;
    return err(
      outcomeUnknown(
        `Business NXT answered ${name} with an unexpected shape (${shown.join('; ')})`,
        'malformed-response',
        response.status,
      ),
    );
  }
  const errorsByRow = new Map<number, GraphQLErrorEntry[]>();
  const general: GraphQLErrorEntry[] = [];
  for (const error of response.errors) {
    if (error.recordIndex === null) general.push(error);
    else errorsByRow.set(error.recordIndex, [...(errorsByRow.get(error.recordIndex) ?? []), error]);
  }
  const company = parsed.data.useCompany;
  return ok({
    items: company?.[name]?.items ?? null,
    errorsByRow,
    general,
    ran: company !== null && company !== undefined,
    status: response.status,
    data: response.data,
    traceId: response.traceId,
  });
}

/** "PrimaryKeyAssignmentFailed, status 3", or "status 3", or "". */
function statusText(error: GraphQLErrorEntry): string {
  const parts = [error.statusName, error.status === null ? null : `status ${error.status}`].filter(
    (part): part is string => part !== null,
  );
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function traceText(traceId: string | null): string {
  return traceId === null ? '' : ` [vbnxt-trace-id ${traceId}]`;
}

/** The stable key (`mobilePhone`, `customerNo`) of a live column name. */
function stableKey(live: string, names: FieldNames): string {
  return Object.entries(names).find(([, name]) => name === live)?.[0] ?? live;
}

/**
 * One row Business NXT refused: names the row (`what`), the column its error names (among the columns the row
 * sent, `sent`), and Business NXT's message and status. Nothing of the row was applied.
 */
export function rowRefusal(
  errors: readonly GraphQLErrorEntry[],
  answer: MutationAnswer,
  what: string,
  row: { readonly index: number; readonly sent: Readonly<Record<string, unknown>> },
  names: FieldNames,
): VismaNxtError {
  const columns = Object.keys(row.sent);
  const live = errors.map((error) => namedColumn(error, columns)).find((name) => name !== null) ?? null;
  const field = live === null ? null : stableKey(live, names);
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    kind: 'graphql',
    message: `${what}: Business NXT refused ${field ?? 'the row'}: ${first?.message ?? 'no message'}${first ? statusText(first) : ''}${more}${traceText(answer.traceId)}`,
    errors,
    data: answer.data,
    recordIndex: row.index,
    field,
    retryable: false,
  };
}

/** The whole mutation refused before it ran (the company, the query): nothing of it was applied. */
export function mutationRefusal(answer: MutationAnswer, what: string): VismaNxtError {
  const [first] = answer.general;
  const more = answer.general.length > 1 ? ` (and ${answer.general.length - 1} more)` : '';
  return {
    kind: 'graphql',
    message: `Business NXT refused ${what}: ${first?.message ?? 'no message'}${first ? statusText(first) : ''}${more}${traceText(answer.traceId)}`,
    errors: answer.general,
    data: answer.data,
    retryable: false,
  };
}

/**
 * A row a 200 answer does not account for: no item and no error of its own, or an error about no row while the
 * mutation ran. It may have been stored, so it is `outcome-unknown`. `why` says what the answer lacked.
 */
export function unaccounted(what: string, why: string, status: number): VismaNxtError {
  return outcomeUnknown(
    `${what}: ${why}, so Business NXT did not say whether this row was stored`,
    'malformed-response',
    status,
  );
}

/** Why rows without an error of their own are unknown when a general error came while the mutation ran. */
export function generalErrorText(answer: MutationAnswer): string {
  const [first] = answer.general;
  return `the answer held an error about no row in particular (${first?.message ?? 'no message'}${first ? statusText(first) : ''})${traceText(answer.traceId)}`;
}
