import { z } from 'zod';

/**
 * Everything that can go wrong talking to HubSpot, as a value (DESIGN §5), keeping what HubSpot said: its
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
  | {
      readonly kind: 'conflict';
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
  /** The response parsed, but not into the shape this client relies on (or was not JSON). */
  | {
      readonly kind: 'validation';
      readonly message: string;
      readonly issues: readonly string[];
      readonly retryable: false;
    };

export type HubSpotErrorKind = HubSpotError['kind'];

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
    errors: z
      .array(
        z.object({
          message: z.string().nullish(),
          code: z.string().nullish(),
          context: z.record(z.string(), z.array(z.string())).nullish(),
        }),
      )
      .nullish(),
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
