import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/** The hidden field every console form carries, with the session's token (or the sign-in form's). */
export const csrfFieldName = 'csrf_token';
/** Where a script's request (`fetch`) carries the token instead. */
export const csrfHeaderName = 'x-csrf-token';

const formTypes = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/iu;

/** The token a request submitted: the header, or the form field; `undefined` when it sent none. */
export async function submittedToken(context: Context, field = csrfFieldName): Promise<string | undefined> {
  const header = context.req.header(csrfHeaderName);
  if (header !== undefined) return header;
  if (!formTypes.test(context.req.header('content-type') ?? '')) return undefined;
  // https://hono.dev/docs/api/request#parsebody (parsed once; handlers reading the form later get the same)
  const form = await context.req.parseBody();
  const value = form[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a submitted token is the expected one, compared in constant time
 * (https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b); both are hashed first so their lengths match.
 */
export function tokensMatch(submitted: string | undefined, expected: string): boolean {
  if (submitted === undefined || expected === '') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(submitted), digest(expected));
}
