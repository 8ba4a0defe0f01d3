import type { Entity } from '@port-service/mapping';
import type { CycleDependencies } from '../cycle.js';
import type { CycleReport } from '../report.js';

/**
 * What an operator action needs: the engine's dependencies, as a cycle has them. The CLI (`crm-sync retry`, …) and
 * the operator console call the same functions (docs/DESIGN.md §5b: "every action audited and routed through the
 * engine with the lock").
 */
export type ActionDependencies = CycleDependencies;

/** One record, by the system it is in and its id there (the associate number as a string for Business NXT). */
export interface RecordRef {
  readonly entity: Entity;
  readonly system: 'hubspot' | 'visma-nxt';
  readonly id: string;
}

/** What an action will do, said before it writes anything. */
export interface ActionPreview {
  /** What the action is about, in one line (`Retry HubSpot company 123, linked to Business NXT customer 7`). */
  readonly title: string;
  /** What it writes where, and what happens to the link and the held records; read from both systems now. */
  readonly lines: readonly string[];
  /** Why it cannot be done (and what to do instead): then nothing is written. */
  readonly refusal?: string | undefined;
}

/**
 * How an action ended. `done`: its change is made (and, for the actions that sync, `report` is the targeted
 * sync's, whose exit code says whether the records synced). Otherwise nothing was written: `refused` (the action
 * does not apply, `message` says why and what instead), `locked` (a cycle runs: try again when it has finished) or
 * `failed` (a system could not be read).
 */
export type ActionResult =
  | { readonly kind: 'done'; readonly lines: readonly string[]; readonly report: CycleReport | null }
  | { readonly kind: 'refused' | 'locked' | 'failed'; readonly message: string };

export const refused = (message: string): ActionResult => ({ kind: 'refused', message });

/** The clock of an action: the engine's, so tests and the runs it starts agree. */
export function clockOf(dependencies: ActionDependencies): () => Date {
  return dependencies.now ?? (() => new Date());
}
