import type { Logger } from 'pino';
import type { StateStore } from '../../state/state-store.js';
import type { LeaderTerm } from './leadership.js';
import { pause } from './pause.js';
import { watchSharedInbox } from './shared-inbox-watch.js';

export interface TermContext {
  readonly loop: { run(signal: AbortSignal): Promise<void>; wake(): void };
  /** Aborts when the service stops. */
  readonly stopping: AbortSignal;
  readonly logger: Pick<Logger, 'info'>;
  /** The shared state's inbox, which other instances fill too; `null` when only this instance fills it (SQLite). */
  readonly sharedInbox: Pick<StateStore, 'inboxDepth'> | null;
}

/**
 * One term of the service's loop: after the takeover grace (when the previous leader did not let go), the loop runs
 * until the term ends (stepped down) or the service stops, whichever comes first.
 */
export async function runLeaderTerm(term: LeaderTerm, context: TermContext): Promise<void> {
  const { loop, stopping, logger } = context;
  const signal = AbortSignal.any([stopping, term.signal]);
  if (term.graceMs > 0) {
    logger.info(
      { role: 'leader', generation: Number(term.generation), graceMs: term.graceMs },
      `the previous leader did not let go: waiting ${term.graceMs / 1000} s before the first run, so whatever it still had in flight has stopped`,
    );
    await pause(term.graceMs, signal);
  }
  if (context.sharedInbox !== null) watchSharedInbox(context.sharedInbox, () => loop.wake(), signal);
  await loop.run(signal);
}
