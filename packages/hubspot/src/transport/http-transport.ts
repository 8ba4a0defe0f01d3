import { type KyInstance, TimeoutError } from 'ky';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { LimitFunction } from 'p-limit';
import {
  existingIdOf,
  type HubSpotError,
  invalidValue,
  outcomeUnknown,
  parseErrorBody,
  type UnclearCause,
} from '../errors.js';
import type { WindowLimiter } from './limiter.js';

/**
 * Whether a request may be sent again after an unclear failure (5xx, timeout, dropped connection, garbled body).
 * `read` and `idempotent` requests may: sending them twice ends the same. A `write` (creates) may not: HubSpot may
 * have stored it, so the caller gets an `outcome-unknown` error and looks the record up first. Requests HubSpot
 * refused before doing anything (429, 423, 477), and connections that never opened (refused, unknown host), are
 * resent whatever their safety.
 */
export type Safety = 'read' | 'idempotent' | 'write';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string | number | boolean | undefined>> | undefined;
  readonly json?: unknown;
  readonly safety: Safety;
  /** Search requests count against the search limit, not the 10-second window. */
  readonly search?: boolean | undefined;
}

export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON, or `null` for an empty body (204). */
  readonly body: unknown;
}

export interface HubSpotRequestInfo {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'retry' | 'error';
}

export interface HubSpotRetryPolicy {
  /** Attempts after the first. Default 5. */
  readonly retries: number;
  /** First backoff, doubled each attempt with full jitter. Default 500 ms. */
  readonly minDelayMs: number;
  /** Longest single wait. Default 60 s. */
  readonly maxDelayMs: number;
}

export interface TransportOptions {
  readonly http: KyInstance;
  readonly baseUrl: string;
  readonly accessToken: () => string | Promise<string>;
  readonly limiter: WindowLimiter;
  readonly searchLimiter: WindowLimiter;
  readonly concurrency: LimitFunction;
  readonly retry: HubSpotRetryPolicy;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRequest?: ((info: HubSpotRequestInfo) => void) | undefined;
  /** Called on a 429; return `false` to stop instead of retrying. */
  readonly onRateLimit?:
    | ((info: { policy: string; retryAfterMs: number | null; attempt: number }) => boolean)
    | undefined;
}

type Attempt =
  | { readonly done: true; readonly result: Result<HttpResponse, HubSpotError> }
  | { readonly done: false; readonly error: HubSpotError; readonly waitMs: number | null };

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value === null || value.trim() === '' || Number.isNaN(Number(value)) ? null : Number(value);
}

function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+$/u.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

// Failures before a connection existed: no byte of the request left, so even a create may be sent again.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function neverSent(cause: unknown): boolean {
  const code = (value: unknown) =>
    typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined;
  const inner = cause instanceof Error ? cause.cause : undefined;
  return notSentCodes.has(String(code(cause))) || notSentCodes.has(String(code(inner)));
}

/** HubSpot over ky: limits, one retry loop, and every failure turned into a `HubSpotError` once, here. */
export function createTransport(options: TransportOptions) {
  const attemptOnce = async (request: HttpRequest, attempt: number): Promise<Attempt> => {
    const limiter = request.search ? options.searchLimiter : options.limiter;
    let started = options.now();
    const report = (status: number | null, outcome: HubSpotRequestInfo['outcome']) =>
      options.onRequest?.({
        method: request.method,
        path: request.path,
        attempt,
        status,
        durationMs: options.now() - started,
        outcome,
      });
    const unclear = (error: HubSpotError, status: number | null, cause: UnclearCause): Attempt => {
      report(status, request.safety === 'write' ? 'error' : 'retry');
      return request.safety === 'write'
        ? { done: true, result: err(outcomeUnknown(error, cause, status)) }
        : { done: false, error, waitMs: null };
    };
    let response: Response;
    let text: string;
    let handedOver = false;
    let answered = (): void => undefined;
    try {
      const token = await options.accessToken();
      const searchParams = Object.fromEntries(
        Object.entries(request.searchParams ?? {}).filter(
          (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
        ),
      );
      // The limiter's slot is taken once a connection is free, so that a request waiting for one does not hold it.
      response = await options.concurrency(async () => {
        answered = await limiter.acquire();
        started = options.now();
        handedOver = true;
        return options.http(`${options.baseUrl}${request.path}`, {
          method: request.method,
          searchParams,
          ...(request.json === undefined ? {} : { json: request.json }),
          headers: { authorization: `Bearer ${token}` },
          throwHttpErrors: false,
          retry: 0,
          timeout: options.timeoutMs,
          // ky's timeout ends once the headers came; this deadline also covers reading the body, which can stall
          // after them (and would hold the request's rate-limit slot until it ended).
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      });
      text = await response.text();
      answered();
    } catch (cause) {
      answered();
      const timedOut =
        cause instanceof TimeoutError || (cause instanceof Error && cause.name === 'TimeoutError');
      const detail =
        cause instanceof Error
          ? cause.cause instanceof Error
            ? cause.cause.message
            : cause.message
          : String(cause);
      const error: HubSpotError = timedOut
        ? {
            kind: 'timeout',
            message: `HubSpot did not answer ${request.method} ${request.path} in time`,
            retryable: true,
          }
        : { kind: 'network', message: `HubSpot could not be reached: ${detail}`, retryable: true };
      if (!handedOver || (!timedOut && neverSent(cause))) {
        report(null, 'retry');
        return { done: false, error, waitMs: null };
      }
      return unclear(error, null, timedOut ? 'timeout' : 'network');
    }
    const { status, headers } = response;
    if (!request.search) {
      limiter.observe(
        headerNumber(headers, 'x-hubspot-ratelimit-max'),
        headerNumber(headers, 'x-hubspot-ratelimit-remaining'),
        headerNumber(headers, 'x-hubspot-ratelimit-interval-milliseconds'),
      );
    }
    const body = status >= 400 ? parseErrorBody(text) : {};
    const correlationId = body.correlationId ?? null;
    if (status === 429) {
      const policy =
        body.policyName === 'DAILY' || body.policyName === 'TEN_SECONDLY_ROLLING'
          ? body.policyName
          : /secondly limit/iu.test(body.message ?? '') || request.search
            ? 'SECONDLY'
            : 'UNKNOWN';
      const wait = retryAfterMs(headers, options.now());
      const error: HubSpotError = {
        kind: 'rate-limited',
        message: body.message ?? 'HubSpot answered 429',
        policy,
        correlationId,
        retryAfterMs: wait,
        retryable: policy !== 'DAILY',
      };
      // The daily limit resets at midnight in the account's time zone: retrying now only burns more calls.
      if (policy === 'DAILY' || options.onRateLimit?.({ policy, retryAfterMs: wait, attempt }) === false) {
        report(status, 'error');
        return { done: true, result: err(error) };
      }
      report(status, 'retry');
      // Without Retry-After, wait out the window HubSpot reports (10 s; search: 1 s).
      const windowWait =
        policy === 'SECONDLY' ? 1000 : policy === 'TEN_SECONDLY_ROLLING' ? limiter.windowMs : null;
      const waitMs = wait ?? windowWait;
      if (waitMs !== null) limiter.pause(Math.min(waitMs, options.retry.maxDelayMs));
      return { done: false, error, waitMs };
    }
    if (status === 423 || status === 477) {
      report(status, 'retry');
      // 423 Locked: wait at least two seconds; 477 Migration in Progress says how long in Retry-After.
      const wait = retryAfterMs(headers, options.now()) ?? 2000;
      return {
        done: false,
        error: {
          kind: 'http',
          message: body.message ?? `HubSpot answered ${status}`,
          status,
          category: body.category ?? null,
          subCategory: null,
          correlationId,
          context: null,
          retryable: true,
        },
        waitMs: Math.max(wait, status === 423 ? 2000 : 0),
      };
    }
    if (status >= 500) {
      return unclear(
        {
          kind: 'http',
          message: `HubSpot answered ${status}${body.message ? `: ${body.message}` : ''}`,
          status,
          category: body.category ?? null,
          subCategory: null,
          correlationId,
          context: null,
          retryable: true,
        },
        status,
        'server-error',
      );
    }
    if (status >= 400) {
      report(status, 'error');
      return { done: true, result: err(clientError(status, body)) };
    }
    let parsed: unknown = null;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        return unclear(
          {
            kind: 'validation',
            message: `HubSpot answered ${request.method} ${request.path} with a body that is not JSON`,
            issues: [],
            retryable: false,
          },
          status,
          'malformed-response',
        );
      }
    }
    report(status, 'ok');
    return { done: true, result: ok({ status, body: parsed }) };
  };

  return {
    send(request: HttpRequest): ResultAsync<HttpResponse, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<HttpResponse, HubSpotError>> => {
          for (let attempt = 0; ; attempt += 1) {
            const outcome = await attemptOnce(request, attempt);
            if (outcome.done) return outcome.result;
            if (attempt >= options.retry.retries) return err(outcome.error);
            const backoff = Math.round(
              Math.min(options.retry.maxDelayMs, options.retry.minDelayMs * 2 ** attempt) * options.random(),
            );
            await options.sleep(Math.min(outcome.waitMs ?? backoff, options.retry.maxDelayMs));
          }
        })(),
      );
    },
  };
}

export type Transport = ReturnType<typeof createTransport>;

function clientError(status: number, body: ReturnType<typeof parseErrorBody>): HubSpotError {
  const correlationId = body.correlationId ?? null;
  const message = body.message ?? `HubSpot answered ${status}`;
  if (status === 401 || status === 403) {
    const scopes = body.errors?.flatMap((entry) => entry.context?.requiredGranularScopes ?? []) ?? [];
    return {
      kind: 'auth',
      message,
      status,
      category: body.category ?? null,
      correlationId,
      requiredScopes: [...scopes, ...(body.context?.requiredGranularScopes ?? [])],
      retryable: false,
    };
  }
  if (status === 404) return { kind: 'not-found', message, correlationId, retryable: false };
  if (status === 409)
    return {
      kind: 'already-exists',
      message,
      existingId: existingIdOf(message),
      correlationId,
      retryable: false,
    };
  if (status === 400 && body.category === 'VALIDATION_ERROR') {
    const refused = invalidValue(body);
    if (refused !== null) return refused;
  }
  return {
    kind: 'http',
    message,
    status,
    category: body.category ?? null,
    subCategory: typeof body.subCategory === 'string' ? body.subCategory : null,
    correlationId,
    context: body.context ?? null,
    retryable: false,
  };
}
