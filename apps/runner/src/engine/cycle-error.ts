import type { HubSpotError } from '@port-service/hubspot';
import type { VismaNxtError } from '@port-service/visma-nxt';

/**
 * Why a cycle (or one step of it) could not go on: which side, what it was doing, and the client's error kind.
 * `fatal` errors stop the whole cycle (credentials, HubSpot's daily limit); others fail the step's records only.
 */
export interface CycleError {
  readonly side: 'hubspot' | 'visma-nxt' | 'state' | 'runner';
  readonly kind: string;
  readonly message: string;
  readonly fatal: boolean;
  /**
   * Whether trying again later may succeed (a timeout, a 5xx, a rate limit). A record whose counterparts could not
   * be read for such a cause is kept and retried; any other cause is the system's, not the record's, and stops
   * the cycle once instead of failing every record the same way.
   */
  readonly transient?: boolean | undefined;
}

/** The cycle was asked to stop (SIGINT, SIGTERM): what was applied is committed, nothing new starts. */
export function interruptedBy(signal: AbortSignal): CycleError {
  const name = signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  return {
    side: 'runner',
    kind: 'interrupted',
    message: `stopped by ${name} after the work in flight; the next run goes on from here`,
    fatal: true,
  };
}

/** The stop error when the cycle was asked to stop, else `null`: checked between steps, never mid-write. */
export function stopRequested(signal: AbortSignal | undefined): CycleError | null {
  return signal?.aborted === true ? interruptedBy(signal) : null;
}

export function fromHubSpot(error: HubSpotError, doing: string): CycleError {
  const fatal =
    error.kind === 'auth' ||
    error.kind === 'config' ||
    (error.kind === 'rate-limited' && error.policy === 'DAILY');
  return {
    side: 'hubspot',
    kind: error.kind,
    message: `HubSpot, ${doing}: ${error.message}`,
    fatal,
    transient: error.retryable,
  };
}

export function fromVisma(error: VismaNxtError, doing: string): CycleError {
  const fatal = error.kind === 'auth' || error.kind === 'config';
  return {
    side: 'visma-nxt',
    kind: error.kind,
    message: `Business NXT, ${doing}: ${error.message}`,
    fatal,
    transient: error.retryable,
  };
}

/**
 * Whether a failed create may have happened anyway: the client sent it and got no clear answer, which both clients
 * report as `outcome-unknown` (a create failing with any other kind was not applied). It is looked up first.
 */
export function mayHaveApplied(error: HubSpotError | VismaNxtError): boolean {
  return error.kind === 'outcome-unknown';
}
