import type { KyInstance } from 'ky';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { LimitFunction } from 'p-limit';
import type { TokenProvider } from '../auth/token-provider.js';
import { type GraphQLErrorEntry, outcomeUnknown, type VismaNxtError } from '../errors.js';
import {
  type Attempt,
  outstandingLimitAnswer,
  parseBody,
  statusAnswer,
  unclearAnswer,
} from './graphql-answer.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, type VismaNxtRetryPolicy } from './retry-policy.js';
import { neverSent, toTransportError } from './transport-error.js';

/** One GraphQL operation. User input only ever goes in `variables`, never into `query`. */
export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  readonly operationName?: string | undefined;
}

/** A warning in the response's `extensions` (https://docs.vismasoftware.no/businessnxtapi/endoflife/deprecationwarning/). */
export interface GraphQLWarning {
  readonly message: string;
  readonly path: ReadonlyArray<string | number>;
}

/** A parsed GraphQL response: HTTP 200 may carry `errors` beside partial `data`. */
export interface GraphQLResponse {
  readonly data: unknown;
  readonly errors: readonly GraphQLErrorEntry[];
  /** Top-level `extensions` as they came. */
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
  /** `extensions.warnings`: deprecated features used, an update without a filter, … */
  readonly warnings: readonly GraphQLWarning[];
  /** `extensions["vbnxt-trace-id"]`: the id Business NXT traced the request under, to quote to Visma support. */
  readonly traceId: string | null;
  /** The HTTP status it came with (2xx): a write whose answer says too little reports it in `outcome-unknown`. */
  readonly status: number;
}

/** What `onRequest` is told about every HTTP request (no tokens, no bodies). */
export interface VismaNxtRequestInfo {
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
  readonly retry: VismaNxtRetryPolicy;
  /** For the whole exchange: until the answer's last byte, not only its headers. */
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRequest?: ((info: VismaNxtRequestInfo) => void) | undefined;
  readonly onWarning?: ((warning: unknown) => void) | undefined;
}

/** The answer to a request that failed in transit: a read retries, a write that may have arrived is unclear. */
function transitFailure(cause: unknown, safety: Safety, status: number | null): Attempt {
  const error = toTransportError(cause, 'Business NXT');
  // Only a connection that never opened (before any status came) is sure not to have carried the request.
  const resend = safety === 'read' || (status === null && error.kind === 'network' && neverSent(cause));
  if (resend) return { done: false, error, retryAfterMs: null };
  const unclearCause = error.kind === 'timeout' ? 'timeout' : 'network';
  return { done: true, result: err(outcomeUnknown(error.message, unclearCause, status)) };
}

/** A 2xx body: parsed, checked for the outstanding limit, and matched to the batch it answers. */
function bodyAnswer(
  text: string,
  body: GraphQLRequest | GraphQLRequest[],
  status: number,
  safety: Safety,
): Attempt {
  const parsed = parseBody(text, Array.isArray(body), status);
  if (parsed.isErr()) return unclearAnswer(parsed.error, safety, 'malformed-response', status);
  const limited = outstandingLimitAnswer(parsed.value);
  if (limited !== null) return limited;
  if (Array.isArray(body) && parsed.value.length !== body.length) {
    // Which answer belongs to which mutation is then unknown: a write batch may have been applied in part.
    const message = `Business NXT answered a batch of ${body.length} with ${parsed.value.length} results`;
    return {
      done: true,
      result: err(
        safety === 'read'
          ? { kind: 'validation', message, issues: [], retryable: false }
          : outcomeUnknown(message, 'malformed-response', status),
      ),
    };
  }
  return { done: true, result: ok(parsed.value) };
}

/** How `onRequest` files an attempt. */
function outcomeOf(attempt: Attempt): VismaNxtRequestInfo['outcome'] {
  if (!attempt.done) return 'retry';
  return attempt.result.isOk() ? 'ok' : 'error';
}

/**
 * Sends GraphQL to Business NXT (https://docs.vismasoftware.no/businessnxtapi/intro/): one operation, or a batch
 * as a JSON array (at most 32, https://docs.vismasoftware.no/businessnxtapi/features/batches). Paces requests to
 * the per-token limit, bounds concurrency, refreshes the token once on a 401, and retries what is safe to retry.
 */
export function createTransport(options: TransportOptions) {
  /** One POST and its whole answer; the deadline also covers reading the body, which can stall after the headers. */
  const exchange = async (body: GraphQLRequest | GraphQLRequest[], token: string, safety: Safety) => {
    let response: Response;
    try {
      // The limiter counts a request when it leaves, not when it starts waiting for a free connection: counted
      // while queued, a crowd of requests would leave later than counted and arrive over the server's limit.
      response = await options.concurrency(async () => {
        await options.limiter.acquire();
        return options.http.post(options.graphqlUrl, {
          json: body,
          headers: { authorization: `Bearer ${token}` },
          throwHttpErrors: false,
          retry: 0,
          timeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      });
    } catch (cause) {
      return { status: null, attempt: transitFailure(cause, safety, null) };
    }
    const byStatus = statusAnswer(response, token, safety, options.now());
    if (byStatus !== null) {
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, attempt: byStatus };
    }
    try {
      const text = await response.text();
      return { status: response.status, attempt: bodyAnswer(text, body, response.status, safety) };
    } catch (cause) {
      return { status: response.status, attempt: transitFailure(cause, safety, response.status) };
    }
  };

  const attemptOnce = async (
    body: GraphQLRequest | GraphQLRequest[],
    attempt: number,
    safety: Safety,
  ): Promise<Attempt> => {
    const tokenResult = await options.tokens.token();
    if (tokenResult.isErr()) return { done: true, result: err(tokenResult.error) };
    const started = options.now();
    const answered = await exchange(body, tokenResult.value, safety);
    const outcome = answered.attempt;
    options.onRequest?.({
      operations: Array.isArray(body) ? body.length : 1,
      attempt,
      status: answered.status,
      durationMs: options.now() - started,
      outcome: outcomeOf(outcome),
    });
    if (outcome.done && outcome.result.isOk())
      for (const entry of outcome.result.value) if (entry.extensions) options.onWarning?.(entry.extensions);
    return outcome;
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
        (responses) =>
          responses[0] ?? {
            data: null,
            errors: [],
            extensions: undefined,
            warnings: [],
            traceId: null,
            status: 200,
          },
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
