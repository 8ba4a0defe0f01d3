import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import type { HubSpotError } from '../errors.js';

/** Validates a response body against the schema this client relies on. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): Result<T, HubSpotError> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  return err({
    kind: 'validation',
    message: `HubSpot answered ${what} with an unexpected shape`,
    issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
    retryable: false,
  });
}
