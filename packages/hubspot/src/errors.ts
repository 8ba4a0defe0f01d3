import { z } from 'zod';

/**
 * Everything that can go wrong talking to HubSpot, as a value (docs/DESIGN.md §5), keeping what HubSpot said: its
 * `category`, `correlationId` (quote it to HubSpot support) and `context`. Never holds the access token.
 * https://developers.hubspot.com/docs/api-reference/error-handling
 */
export type HubSpotError =
  | { readonly kind: 'config'; readonly message: string; readonly retryable: false }
  | {
      readonly kind: 'auth';
      readonly message: string;
      readonly status: 401 | 403;
      readonly category: string | null;
      readonly correlationId: string | null;
      /** For 403 MISSING_SCOPES: the scopes the token lacks. */
      readonly requiredScopes: readonly string[];
      readonly retryable: false;
    }
  | {
      readonly kind: 'rate-limited';
      readonly message: string;
      /** `DAILY` stops the work until HubSpot's daily reset; the others were retried and still hit the limit. */
      readonly policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY' | 'UNKNOWN';
      readonly correlationId: string | null;
      readonly retryAfterMs: number | null;
      readonly retryable: boolean;
    }
  /**
   * HubSpot's 409 `CONFLICT`: another record already has this unique value (a contact's email, a unique
   * property). Named for what it means, so it is not mistaken for the sync's conflicts (both systems edited).
   */
  | {
      readonly kind: 'already-exists';
      readonly message: string;
      /** The record that already has the unique value (parsed from "… Existing ID: N"). */
      readonly existingId: string | null;
      readonly correlationId: string | null;
      readonly retryable: false;
    }
  | {
      readonly kind: 'not-found';
      readonly message: string;
      readonly correlationId: string | null;
      readonly retryable: false;
    }
  | {
      readonly kind: 'http';
      readonly message: string;
      readonly status: number;
      readonly category: string | null;
      readonly subCategory: string | null;
      readonly correlationId: string | null;
      readonly context: Readonly<Record<string, readonly string[]>> | null;
      readonly retryable: boolean;
    }
  | { readonly kind: 'network'; readonly message: string; readonly retryable: true }
  | { readonly kind: 'timeout'; readonly message: string; readonly retryable: true }
  /**
   * A write (a create) that was sent but got no clear answer: it timed out, the connection dropped, HubSpot
   * answered 5xx, or its answer could not be read. HubSpot may or may not have applied it, so the client never
   * resends it; look the record up before writing it again. Reads and idempotent writes never end in this kind:
   * they are retried and end as `timeout`, `network`, `http` or `validation`.
   */
  | {
      readonly kind: 'outcome-unknown';
      readonly message: string;
      readonly cause: 'timeout' | 'network' | 'server-error' | 'malformed-response';
      /** The HTTP status when an answer came (a 5xx, or a 2xx that could not be read); `null` when none did. */
      readonly status: number | null;
      readonly correlationId: string | null;
      readonly retryable: false;
    }
  /**
   * HubSpot refused values of this record (400 `VALIDATION_ERROR`, or one input's error in a batch): a malformed
   * email (`INVALID_EMAIL`), a value that is not an option (`INVALID_OPTION`), text in a number, or, from
   * 2026-09, one of the portal's own validation rules. Each refusal names the property and HubSpot's rule (its
   * error code). The data must change before a retry can succeed.
   */
  | {
      readonly kind: 'invalid-value';
      readonly message: string;
      readonly refusals: readonly ValueRefusal[];
      readonly correlationId: string | null;
      readonly retryable: false;
    }
  /** The response parsed, but not into the shape this client relies on (or was not JSON). */
  | {
      readonly kind: 'validation';
      readonly message: string;
      readonly issues: readonly string[];
      readonly retryable: false;
    };

export type HubSpotErrorKind = HubSpotError['kind'];

/** One property HubSpot refused: its name (when HubSpot said), the rule (HubSpot's error code) and its words. */
export interface ValueRefusal {
  readonly property: string | null;
  readonly rule: string;
  readonly message: string;
}

/** Why a write's outcome is unknown (see the `outcome-unknown` kind). */
export type UnclearCause = Extract<HubSpotError, { kind: 'outcome-unknown' }>['cause'];

/** The `outcome-unknown` error for a write that failed with `error` after it was sent. */
export function outcomeUnknown(
  error: HubSpotError,
  cause: UnclearCause,
  status: number | null,
): HubSpotError {
  return {
    kind: 'outcome-unknown',
    message: `${error.message}; the change may or may not have been applied: look the record up before retrying`,
    cause,
    status,
    correlationId: 'correlationId' in error ? error.correlationId : null,
    retryable: false,
  };
}

export function isHubSpotError(value: unknown): value is HubSpotError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    'retryable' in value &&
    typeof value.kind === 'string'
  );
}

/** One entry of an error's `errors[]` (`ErrorDetail`): HubSpot's code and the property it concerns. */
export const errorDetail = z.object({
  message: z.string().nullish(),
  code: z.string().nullish(),
  context: z.record(z.string(), z.array(z.string())).nullish(),
});

/** HubSpot's error body; every field optional, as the docs advise. */
export const errorBody = z
  .object({
    status: z.string().nullish(),
    message: z.string().nullish(),
    correlationId: z.string().nullish(),
    category: z.string().nullish(),
    subCategory: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
    policyName: z.string().nullish(),
    errorType: z.string().nullish(),
    context: z.record(z.string(), z.array(z.string())).nullish(),
    errors: z.array(errorDetail).nullish(),
  })
  .passthrough();

export type ErrorBody = z.infer<typeof errorBody>;

export function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** "Contact already exists. Existing ID: 37765128953" → "37765128953" (the id is only in the message). */
export function existingIdOf(message: string | null | undefined): string | null {
  return /Existing ID: ?(\d+)/iu.exec(message ?? '')?.[1] ?? null;
}

const refusalEntry = z.object({
  name: z.string().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
});

/**
 * The properties and rules of a `VALIDATION_ERROR`. HubSpot says them in `errors[]` (`code`, and
 * `context.propertyName`), and in the message as JSON after "Property values were not valid: " (`name`, `error`)
 * (https://developers.hubspot.com/docs/api-reference/error-handling); either may be missing, so both are read.
 */
export function valueRefusals(body: {
  readonly message?: string | null | undefined;
  readonly errors?:
    | ReadonlyArray<{
        readonly message?: string | null | undefined;
        readonly code?: string | null | undefined;
        readonly context?: Readonly<Record<string, readonly string[]>> | null | undefined;
      }>
    | null
    | undefined;
}): ValueRefusal[] {
  const found = new Map<string, ValueRefusal>();
  const add = (property: string | null, rule: string, message: string) => {
    const key = `${property ?? ''}\u0000${rule}`;
    if (!found.has(key)) found.set(key, { property, rule, message });
  };
  const listed = /Property values were not valid: (\[.*\])/su.exec(body.message ?? '')?.[1];
  if (listed !== undefined) {
    try {
      const parsed = z.array(refusalEntry).safeParse(JSON.parse(listed));
      for (const entry of parsed.success ? parsed.data : [])
        add(entry.name ?? null, entry.error ?? 'INVALID_VALUE', entry.message ?? body.message ?? '');
    } catch {
      // Not JSON after all: the errors[] entries below still say what they can.
    }
  }
  for (const entry of body.errors ?? []) {
    if (!entry.code) continue;
    const names = entry.context?.propertyName ?? [null];
    for (const name of names) add(name, entry.code, entry.message ?? body.message ?? '');
  }
  return [...found.values()];
}

/** The `invalid-value` error for a refusal, or `null` when HubSpot named no property or rule. */
export function invalidValue(
  body: Parameters<typeof valueRefusals>[0] & { readonly correlationId?: string | null | undefined },
): HubSpotError | null {
  const refusals = valueRefusals(body);
  if (refusals.length === 0) return null;
  const said = refusals
    .map((refusal) => `${refusal.property ?? '(a property)'}: ${refusal.rule} (${refusal.message})`)
    .join('; ');
  return {
    kind: 'invalid-value',
    message: `HubSpot refused ${said}`,
    refusals,
    correlationId: body.correlationId ?? null,
    retryable: false,
  };
}
