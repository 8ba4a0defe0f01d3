import type { Candidate, LinkReason } from '../plan/operations.js';

/**
 * What matching says about one unlinked record: link it to `target` (a sure match), report possible matches
 * (never linked automatically; nothing is created meanwhile), or nothing found (the record may be created).
 */
export type Match<Target> =
  | { readonly kind: 'linked'; readonly target: Target; readonly reason: LinkReason }
  | { readonly kind: 'candidates'; readonly candidates: readonly Candidate[]; readonly reason: string }
  | { readonly kind: 'none' };

export const noMatch: Match<never> = { kind: 'none' };
