import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { outcomeUnknown, type VismaNxtError } from '../errors.js';
import { isOutstandingLimit } from '../unconfirmed.js';
import { errorEntrySchema, toErrorEntry } from './graphql-error-entry.js';
import type { GraphQLResponse, Safety } from './graphql-transport.js';
import { parseRetryAfter } from './retry-policy.js';

/** What one HTTP attempt came to: a final result, or an error to retry after (or to refresh the token for). */
export type Attempt =
  | { readonly done: true; readonly result: Result<GraphQLResponse[], VismaNxtError> }
  | {
      readonly done: false;
      readonly error: VismaNxtError;
      readonly retryAfterMs: number | null;
      readonly refreshToken?: string;
    };

/**
 * A response body as https://docs.vismasoftware.no/businessnxtapi/features/errors documents it: `data`, `errors`
 * or both (partial success), and top-level `extensions`: `warnings` (`message`, `path`) and `vbnxt-trace-id`
 * (https://docs.vismasoftware.no/businessnxtapi/endoflife/deprecationwarning/). A body with neither `data` nor
 * `errors` says nothing about what happened, so it is not of that shape.
 */
const responseBody = z
  .object({
    data: z.unknown().optional(),
    errors: z.array(errorEntrySchema).nullish(),
    extensions: z.record(z.string(), z.unknown()).nullish(),
  })
  .refine((value) => value.data !== undefined || (value.errors ?? null) !== null, {
    message: 'neither data nor errors',
  });

const warningSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).nullish(),
});

/** The documented parts of top-level `extensions`; anything else in it is kept as it came. */
function readExtensions(extensions: Readonly<Record<string, unknown>> | undefined) {
  const warnings = z.array(warningSchema).safeParse(extensions?.warnings);
  const traceId = extensions?.['vbnxt-trace-id'];
  return {
    warnings: warnings.success
      ? warnings.data.map((warning) => ({ message: warning.message, path: warning.path ?? [] }))
      : [],
    traceId: typeof traceId === 'string' ? traceId : null,
  };
}

function toResponse(value: z.infer<typeof responseBody>, status: number): GraphQLResponse {
  const extensions = value.extensions ?? undefined;
  return {
    status,
    data: value.data ?? null,
    errors: (value.errors ?? []).map(toErrorEntry),
    extensions,
    ...readExtensions(extensions),
  };
}

/** The body as one parsed response per operation (a batch is a JSON array, answered in order). */
export function parseBody(
  text: string,
  batch: boolean,
  status: number,
): Result<GraphQLResponse[], VismaNxtError> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err({
      kind: 'validation',
      message: 'Business NXT answered with a body that is not JSON',
      issues: [],
      retryable: false,
    });
  }
  const shape = batch ? z.array(responseBody) : responseBody.transform((value) => [value]);
  const parsed = shape.safeParse(json);
  if (!parsed.success) {
    return err({
      kind: 'validation',
      message: 'Business NXT answered with an unexpected GraphQL response shape',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      retryable: false,
    });
  }
  return ok(parsed.data.map((value) => toResponse(value, status)));
}

/** A failure a read may retry but a write may not: a write that reached Business NXT ends `outcome-unknown`. */
export function unclearAnswer(
  error: VismaNxtError,
  safety: Safety,
  cause: 'server-error' | 'malformed-response',
  status: number,
  retryAfterMs: number | null = null,
): Attempt {
  return safety === 'read'
    ? { done: false, error, retryAfterMs }
    : { done: true, result: err(outcomeUnknown(error.message, cause, status)) };
}

/** What an HTTP status other than 2xx means (401 refresh, 429 wait, 5xx unclear, other 4xx refused), or `null`. */
export function statusAnswer(response: Response, token: string, safety: Safety, now: number): Attempt | null {
  const { status } = response;
  const retryAfterMs = () => parseRetryAfter(response.headers.get('retry-after'), now);
  if (status === 401) {
    // Nginx answers 401 with an HTML page before the request reaches the API: nothing ran.
    // https://docs.vismasoftware.no/businessnxtapi/features/errors
    const message = 'Business NXT refused the access token (HTTP 401)';
    const error: VismaNxtError = { kind: 'auth', message, status, oauthError: null, retryable: false };
    return { done: false, error, retryAfterMs: 0, refreshToken: token };
  }
  if (status === 429) {
    // The gateway's per-token limit: https://docs.vismasoftware.no/businessnxtapi/apireference/ratelimits/
    const waitMs = retryAfterMs();
    const error: VismaNxtError = {
      kind: 'rate-limited',
      message: 'Business NXT answered 429: more than 600 requests a minute for this token',
      limit: 'requests-per-minute',
      retryAfterMs: waitMs,
      retryable: true,
    };
    return { done: false, error, retryAfterMs: waitMs };
  }
  const message = `Business NXT answered HTTP ${status}`;
  if (status >= 500)
    return unclearAnswer(
      { kind: 'http', message, status, retryable: true },
      safety,
      'server-error',
      status,
      retryAfterMs(),
    );
  if (status < 200 || status >= 300)
    return { done: true, result: err({ kind: 'http', message, status, retryable: false }) };
  return null;
}

/** The 60-in-progress limit: refused before it ran, so even a write waits and is sent again. */
export function outstandingLimitAnswer(responses: readonly GraphQLResponse[]): Attempt | null {
  if (!responses.some((entry) => entry.errors.some(isOutstandingLimit))) return null;
  return {
    done: false,
    error: {
      kind: 'rate-limited',
      message: 'Business NXT has 60 requests in progress for this company (OUTSTANDING_LIMIT_EXCEEDED)',
      limit: 'outstanding-requests',
      retryAfterMs: null,
      retryable: true,
    },
    retryAfterMs: null,
  };
}
