import { TimeoutError } from 'ky';
import type { VismaNxtError } from '../errors.js';

/** Converts what a fetch threw into an error value, once, at the transport edge. Keeps no request data. */
export function toTransportError(cause: unknown, what: string): VismaNxtError {
  if (cause instanceof TimeoutError || (cause instanceof Error && cause.name === 'TimeoutError')) {
    return { kind: 'timeout', message: `${what} did not answer in time`, retryable: true };
  }
  const detail =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? cause.cause.message
        : cause.message
      : String(cause);
  return { kind: 'network', message: `${what} could not be reached: ${detail}`, retryable: true };
}

// Failures before a connection existed: no byte of the request left, so even a mutation may be sent again.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a fetch failed before the request could reach the server (connection refused, unknown host). */
export function neverSent(cause: unknown): boolean {
  const code = (value: unknown) =>
    typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined;
  const inner = cause instanceof Error ? cause.cause : undefined;
  return notSentCodes.has(String(code(cause))) || notSentCodes.has(String(code(inner)));
}
