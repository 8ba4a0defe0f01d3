import type { HubSpotError } from '@port-service/hubspot';
import type { VismaNxtError } from '@port-service/visma-nxt';

/**
 * Why a cycle (or one step of it) could not go on: which side, what it was doing, and the client's error kind.
 * `fatal` errors stop the whole cycle (credentials, HubSpot's daily limit); others fail the step's records only.
 */
export interface CycleError {
  readonly side: 'hubspot' | 'visma-nxt' | 'state';
  readonly kind: string;
  readonly message: string;
  readonly fatal: boolean;
}

export function fromHubSpot(error: HubSpotError, doing: string): CycleError {
  const fatal =
    error.kind === 'auth' ||
    error.kind === 'config' ||
    (error.kind === 'rate-limited' && error.policy === 'DAILY');
  return { side: 'hubspot', kind: error.kind, message: `HubSpot, ${doing}: ${error.message}`, fatal };
}

export function fromVisma(error: VismaNxtError, doing: string): CycleError {
  const fatal = error.kind === 'auth' || error.kind === 'config';
  return { side: 'visma-nxt', kind: error.kind, message: `Business NXT, ${doing}: ${error.message}`, fatal };
}

/**
 * Whether a failed create may have happened anyway: the client sent it and got no clear answer, which both clients
 * report as `outcome-unknown` (a create failing with any other kind was not applied). It is looked up first.
 */
export function mayHaveApplied(error: HubSpotError | VismaNxtError): boolean {
  return error.kind === 'outcome-unknown';
}
