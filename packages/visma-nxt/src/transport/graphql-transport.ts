import type { KyInstance } from 'ky';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { LimitFunction } from 'p-limit';
import { z } from 'zod';
import type { TokenProvider } from '../auth/token-provider.js';
import { type GraphQLErrorEntry, outcomeUnknown, type VismaNxtError } from '../errors.js';
import { isOutstandingLimit } from '../unconfirmed.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import { neverSent, toTransportError } from './transport-error.js';

/** One GraphQL operation. User input only ever goes in `variables`, never into `query`. */
export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  readonly operationName?: string | undefined;
}

/** A parsed GraphQL response: HTTP 200 may carry `errors` beside partial `data`. */
export interface GraphQLResponse {
  readonly data: unknown;
  readonly errors: readonly GraphQLErrorEntry[];
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
  /** The HTTP status it came with (2xx): a write whose answer says too little reports it in `outcome-unknown`. */
  readonly status: number;
}

/** What `onRequest` is told about every HTTP request (no tokens, no bodies). */
export interface RequestInfo {
  readonly operations: number;
  readonly attempt: number;
  readonly status: number | null;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'retry' | 'error';
}

/**
 * Whether a request may be sent again after an unclear failure. Reads always may. A mutation that reached the
 * server (5xx, timeout, dropped connection, unreadable answer) may already have been applied, so it is not
 * resent: the caller gets an `outcome-unknown` error and looks the record up first (the runner's intents). A
 * mutation that was refused before it ran (401, 429, OUTSTANDING_LIMIT_EXCEEDED), or whose connection never
 * opened (refused, unknown host), is resent: nothing happened.
 */
export type Safety = 'read' | 'write';

export interface TransportOptions {
  readonly http: KyInstance;
  readonly graphqlUrl: string;
  readonly tokens: TokenProvider;
  readonly limiter: RateLimiter;
  readonly concurrency: LimitFunction;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRequest?: ((info: RequestInfo) => void) | undefined;
  readonly onWarning?: ((warning: unknown) => void) | undefined;
}

const errorEntry = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).nullish(),
  locations: z.array(z.object({ line: z.number(), column: z.number() })).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});
const responseBody = z.object({
  data: z.unknown().optional(),
  errors: z.array(errorEntry).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

function toResponse(value: z.infer<typeof responseBody>, status: number): GraphQLResponse {
  return {
    status,
    data: value.data ?? null,
    errors: (value.errors ?? []).map((entry) => ({
      message: entry.message,
      path: entry.path ?? undefined,
      locations: entry.locations ?? undefined,
      extensions: entry.extensions ?? undefined,
    })),
    extensions: value.extensions ?? undefined,
  };
}

type Attempt =
  | { readonly done: true; readonly result: Result<GraphQLResponse[], VismaNxtError> }
  | {
      readonly done: false;
      readonly error: VismaNxtError;
      readonly retryAfterMs: number | null;
      readonly refreshToken?: string;
    };

/**
 * Sends GraphQL to Business NXT (https://docs.vismasoftware.no/businessnxtapi/intro/): one operation, or a batch
 * as a JSON array (at most 32, https://docs.vismasoftware.no/businessnxtapi/features/batches). Paces requests to
 * the per-token limit, bounds concurrency, refreshes the token once on a 401, and retries what is safe to retry.
 */
export function createTransport(options: TransportOptions) {
  const attemptOnce = async (
    body: GraphQLRequest | GraphQLRequest[],
    attempt: number,
    safety: Safety,
  ): Promise<Attempt> => {
    const operations = Array.isArray(body) ? body.length : 1;
    const tokenResult = await options.tokens.token();
    if (tokenResult.isErr()) return { done: true, result: err(tokenResult.error) };
    const token = tokenResult.value;
    await options.limiter.acquire();
    const started = options.now();
    const report = (status: number | null, outcome: RequestInfo['outcome']) =>
      options.onRequest?.({ operations, attempt, status, durationMs: options.now() - started, outcome });
    let response: Response;
    let text: string;
    try {
      response = await options.concurrency(() =>
        options.http.post(options.graphqlUrl, {
          json: body,
          headers: { authorization: `Bearer ${token}` },
          throwHttpErrors: false,
          retry: 0,
          timeout: options.timeoutMs,
        }),
      );
      text = await response.text();
    } catch (cause) {
      const error = toTransportError(cause, 'Business NXT');
      const resend = safety === 'read' || (error.kind === 'network' && neverSent(cause));
      report(null, resend ? 'retry' : 'error');
      return resend
        ? { done: false, error, retryAfterMs: null }
        : {
            done: true,
            result: err(
              outcomeUnknown(error.message, error.kind === 'timeout' ? 'timeout' : 'network', null),
            ),
          };
    }
    const { status } = response;
    if (status === 401) {
      report(status, 'retry');
      return {
        done: false,
        error: {
          kind: 'auth',
          message: 'Business NXT refused the access token (HTTP 401)',
          status,
          oauthError: null,
          retryable: false,
        },
        retryAfterMs: 0,
        refreshToken: token,
      };
    }
    if (status === 429) {
      report(status, 'retry');
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
      return {
        done: false,
        error: {
          kind: 'rate-limited',
          message: 'Business NXT answered 429: more than 600 requests a minute for this token',
          limit: 'requests-per-minute',
          retryAfterMs,
          retryable: true,
        },
        retryAfterMs,
      };
    }
    if (status >= 500) {
      const error: VismaNxtError = {
        kind: 'http',
        message: `Business NXT answered HTTP ${status}`,
        status,
        retryable: true,
      };
      report(status, safety === 'read' ? 'retry' : 'error');
      return safety === 'read'
        ? {
            done: false,
            error,
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), options.now()),
          }
        : { done: true, result: err(outcomeUnknown(error.message, 'server-error', status)) };
    }
    if (status < 200 || status >= 300) {
      report(status, 'error');
      return {
        done: true,
        result: err({
          kind: 'http',
          message: `Business NXT answered HTTP ${status}`,
          status,
          retryable: false,
        }),
      };
    }
    const parsed = parseBody(text, Array.isArray(body), status);
    if (parsed.isErr()) {
      report(status, safety === 'read' ? 'retry' : 'error');
      return safety === 'read'
        ? { done: false, error: parsed.error, retryAfterMs: null }
        : { done: true, result: err(outcomeUnknown(parsed.error.message, 'malformed-response', status)) };
    }
    const responses = parsed.value;
    for (const entry of responses) if (entry.extensions) options.onWarning?.(entry.extensions);
    if (responses.some((entry) => entry.errors.some(isOutstandingLimit))) {
      report(status, 'retry');
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
    if (Array.isArray(body) && responses.length !== body.length) {
      // Which answer belongs to which mutation is then unknown: a write batch may have been applied in part.
      report(status, 'error');
      const message = `Business NXT answered a batch of ${body.length} with ${responses.length} results`;
      return {
        done: true,
        result: err(
          safety === 'read'
            ? { kind: 'validation', message, issues: [], retryable: false }
            : outcomeUnknown(message, 'malformed-response', status),
        ),
      };
    }
    report(status, 'ok');
    return { done: true, result: ok(responses) };
  };

  const run = (
    body: GraphQLRequest | GraphQLRequest[],
    safety: Safety,
  ): ResultAsync<GraphQLResponse[], VismaNxtError> =>
    new ResultAsync(
      (async (): Promise<Result<GraphQLResponse[], VismaNxtError>> => {
        let refreshed = false;
        for (let attempt = 0; ; attempt += 1) {
          const outcome = await attemptOnce(body, attempt, safety);
          if (outcome.done) return outcome.result;
          if (outcome.refreshToken !== undefined) {
            // A 401 means the token expired or was revoked: fetch a new one, once.
            if (refreshed) return err(outcome.error);
            refreshed = true;
            options.tokens.invalidate(outcome.refreshToken);
            continue;
          }
          if (attempt >= options.retry.retries) return err(outcome.error);
          await options.sleep(backoffDelay(options.retry, attempt, outcome.retryAfterMs, options.random));
        }
      })(),
    );

  return {
    /** One operation; GraphQL errors come back in the response, not as a failure. */
    request(request: GraphQLRequest, safety: Safety): ResultAsync<GraphQLResponse, VismaNxtError> {
      return run(request, safety).map(
        (responses) => responses[0] ?? { data: null, errors: [], extensions: undefined, status: 200 },
      );
    },
    /**
     * Up to 32 operations in one HTTP request, answered in order (https://docs.vismasoftware.no/businessnxtapi/features/batches).
     * Reads by default; `write` batches follow the mutation rule: never resent after an unclear failure.
     */
    batch(
      requests: readonly GraphQLRequest[],
      safety: Safety = 'read',
    ): ResultAsync<GraphQLResponse[], VismaNxtError> {
      if (requests.length === 0) return okAsync([]);
      if (requests.length > maxBatch) {
        return errAsync({
          kind: 'config',
          message: `a batch holds at most ${maxBatch} operations`,
          retryable: false,
        });
      }
      // An answer with the wrong number of results fails in `attemptOnce` (`outcome-unknown` for writes).
      return run([...requests], safety);
    },
  };
}

export const maxBatch = 32;
export type Transport = ReturnType<typeof createTransport>;

function parseBody(text: string, batch: boolean, status: number): Result<GraphQLResponse[], VismaNxtError> {
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
