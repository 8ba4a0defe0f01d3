/**
 * One entry of a GraphQL `errors` array, as Business NXT returns it
 * (https://docs.vismasoftware.no/businessnxtapi/features/errors): the documented `message`, `path`, `locations` and
 * `extensions` as they came, and the parts of `extensions` and `path` Business NXT gives a meaning, read into typed
 * fields (`null` when the entry has none). Built by `toErrorEntry` (transport/graphql-error-entry.ts).
 */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number> | undefined;
  readonly locations?: ReadonlyArray<{ line: number; column: number }> | undefined;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
  /** `extensions.code`: the validation rule of a query Business NXT refused to run, e.g. `FIELDS_ON_CORRECT_TYPE`. */
  readonly code: string | null;
  /** `extensions.codes`: every such rule (empty when none came). */
  readonly codes: readonly string[];
  /** `extensions.data.status`: the backend's status number, e.g. 3 (https://community.visma.com/t5/Diskusjon/Error-Codes/td-p/582317). */
  readonly status: number | null;
  /** `extensions.data.status_name`: the status's name, e.g. `PrimaryKeyAssignmentFailed`. */
  readonly statusName: string | null;
  /**
   * The record of a mutation's `values` (or `filters`) the error is about: `path` ends in `values/<i>`
   * (https://docs.vismasoftware.no/businessnxtapi/release-notes/2024-01-25-update-assignment-failures-include-error-in-path/).
   */
  readonly recordIndex: number | null;
  /**
   * The field the error names, as far as the entry alone tells: a field name after `values/<i>` in `path`, or the
   * first quoted GraphQL name in the message (`Cannot query field 'totalRows' …`). A row's error in `create` /
   * `update` names the row's own column instead (`field` of the `graphql` error). The wording is UNCONFIRMED:
   * see `namedColumn` in unconfirmed.ts.
   */
  readonly field: string | null;
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
   * A mutation that was sent but got no clear answer: it timed out (also while its body was coming), the
   * connection dropped, Business NXT answered 5xx, its answer was not of the documented shape
   * (https://docs.vismasoftware.no/businessnxtapi/features/errors), or (for one row) the answer neither lists nor
   * rejects the row, or holds an error about no row while the mutation ran. It may or may not have been applied,
   * so the client never resends it; look the rows up before writing them again. Reads never end in this kind: they
   * are retried and end as `timeout`, `network`, `http` or `validation`.
   */
  | {
      readonly kind: 'outcome-unknown';
      readonly message: string;
      readonly cause: 'timeout' | 'network' | 'server-error' | 'malformed-response';
      /** The HTTP status when an answer came (a 5xx, or a 200 that could not be read); `null` when none did. */
      readonly status: number | null;
      readonly retryable: false;
    }
  /**
   * Business NXT answered, and refused the request or a row of it: nothing of what the errors are about was
   * applied. For one row of a `create` / `update`, `recordIndex` is the row's index among the rows given and
   * `field` the column its error names (the stable key, e.g. `customerNo`), when it names one.
   */
  | {
      readonly kind: 'graphql';
      readonly message: string;
      readonly errors: readonly GraphQLErrorEntry[];
      /** What the response held besides the errors (partial success). */
      readonly data: unknown;
      readonly recordIndex?: number | undefined;
      readonly field?: string | null | undefined;
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
