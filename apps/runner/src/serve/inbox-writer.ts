import type { InboxEvent, StateStore } from '../state/state-store.js';

export interface InboxWriterOptions {
  readonly store: Pick<StateStore, 'enqueueEvents'>;
  readonly now: () => Date;
  /** After each commit, with how many new events it stored (redeliveries are not new). */
  readonly committed: (stored: number) => Promise<void> | void;
  /** How long the first delivery of a group waits for others to join its transaction. Default 5 ms. */
  readonly windowMs?: number | undefined;
}

interface Waiting {
  readonly events: readonly InboxEvent[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the webhook inbox: the deliveries that arrive within a few milliseconds of each other (a
 * burst: HubSpot's ten requests in flight, Business NXT's notification per row) are stored in one
 * `enqueueEvents` call, one transaction, instead of one each. A delivery's promise settles only once the
 * transaction holding its events committed (or failed: then every delivery in it is answered 503 and sent again),
 * so a 200 still means the events are durably stored. Commits run one at a time; deliveries arriving during one
 * join the next.
 */
export function createInboxWriter(options: InboxWriterOptions) {
  const windowMs = options.windowMs ?? 5;
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let committing: Promise<void> = Promise.resolve();

  const commit = async (group: readonly Waiting[]): Promise<void> => {
    let stored: number;
    try {
      stored = await options.store.enqueueEvents(
        group.flatMap((delivery) => delivery.events),
        options.now().toISOString(),
      );
    } catch (error) {
      for (const delivery of group) delivery.reject(error);
      return;
    }
    for (const delivery of group) delivery.resolve();
    await options.committed(stored);
  };

  const flush = (): void => {
    timer = null;
    const group = waiting;
    waiting = [];
    committing = committing.then(() => commit(group)).catch(() => undefined);
  };

  return {
    /** Resolves once the events are stored (as part of a group); rejects when the store could not take them. */
    store(events: readonly InboxEvent[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ events, resolve, reject });
        timer ??= setTimeout(flush, windowMs);
      });
    },
    /** Commits what is waiting now and resolves when every commit so far is done (the service stopping). */
    async drain(): Promise<void> {
      if (timer !== null) {
        clearTimeout(timer);
        flush();
      }
      await committing;
    },
  };
}
