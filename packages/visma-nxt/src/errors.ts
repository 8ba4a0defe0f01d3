/** One entry of a GraphQL `errors` array, as Business NXT returns it. https://docs.vismasoftware.no/businessnxtapi/features/errors */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number> | undefined;
  readonly locations?: ReadonlyArray<{ line: number; column: number }> | undefined;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Everything that can go wrong talking to Business NXT, as a value (docs/DESIGN.md §5). `retryable` says whether
 * the same request may succeed later; the client has already retried what it safely could. No variant ever holds
 * a token or a client secret.
 */
export type VismaNxtError =
  | { readonly kind: 'config'; readonly message: string; readonly retryable: false }
  | {
      readonly kind: 'auth';
      readonly message: string;
      readonly status: number | null;
      /** OAuth error code from Visma Connect (`invalid_client`, `invalid_scope`, …) when it gave one. */
      readonly oauthError: string | null;
      readonly retryable: false;
    }
  | {
      readonly kind: 'rate-limited';
      readonly message: string;
      readonly limit: 'requests-per-minute' | 'outstanding-requests';
      readonly retryAfterMs: number | null;
      readonly retryable: true;
    }
  | { readonly kind: 'http'; readonly message: string; readonly status: number; readonly retryable: boolean }
  | { readonly kind: 'network'; readonly message: string; readonly retryable: true }
  | { readonly kind: 'timeout'; readonly message: string; readonly retryable: true }
  /**
   * A mutation that was sent but got no clear answer: it timed out, the connection dropped, Business NXT answered
   * 5xx, or its answer was not JSON of the GraphQL shape. It may or may not have been applied, so the client never
   * resends it; look the rows up before writing them again. Reads never end in this kind: they are retried and end
   * as `timeout`, `network`, `http` or `validation`.
   */
  | {
      readonly kind: 'outcome-unknown';
      readonly message: string;
      readonly cause: 'timeout' | 'network' | 'server-error' | 'malformed-response';
      /** The HTTP status when an answer came (a 5xx, or a 200 that could not be read); `null` when none did. */
      readonly status: number | null;
      readonly retryable: false;
    }
  | {
      readonly kind: 'graphql';
      readonly message: string;
      readonly errors: readonly GraphQLErrorEntry[];
      /** What the response held besides the errors (partial success). */
      readonly data: unknown;
      readonly retryable: false;
    }
  /** The response parsed, but not into the shape this client relies on (or was not JSON at all). */
  | {
      readonly kind: 'validation';
      readonly message: string;
      readonly issues: readonly string[];
      readonly retryable: false;
    };

export type VismaNxtErrorKind = VismaNxtError['kind'];

/** Why a mutation's outcome is unknown (see the `outcome-unknown` kind). */
export type UnclearCause = Extract<VismaNxtError, { kind: 'outcome-unknown' }>['cause'];

/** The `outcome-unknown` error for a mutation that failed with `message` after it was sent. */
export function outcomeUnknown(message: string, cause: UnclearCause, status: number | null): VismaNxtError {
  return {
    kind: 'outcome-unknown',
    message: `${message}; the change may or may not have been applied: look the record up before retrying`,
    cause,
    status,
    retryable: false,
  };
}

export function isVismaNxtError(value: unknown): value is VismaNxtError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    'retryable' in value &&
    typeof value.kind === 'string'
  );
}

/** The record index a per-row error points at: Business NXT ends `path` with `values/<i>` (or `filters/<i>`). */
export function rowIndexOf(error: GraphQLErrorEntry): number | null {
  const last = error.path?.[error.path.length - 1];
  if (typeof last !== 'string') return null;
  const match = /^(?:values|filters)\/(\d+)$/u.exec(last);
  return match ? Number(match[1]) : null;
}
