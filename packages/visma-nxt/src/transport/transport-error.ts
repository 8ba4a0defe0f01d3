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
