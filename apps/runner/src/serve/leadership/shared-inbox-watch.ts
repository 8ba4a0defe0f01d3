import type { StateStore } from '../../state/state-store.js';

/**
 * On a shared state every instance stores webhook events (the standby too, behind the same load balancer), but only
 * the leader's own deliveries wake its loop. While it leads it looks this often for events waiting in the inbox,
 * so theirs wait at most this long more (the schedule would find their changes anyway).
 */
export const sharedInboxPollMs = 1_000;

/** Wakes the loop whenever the inbox holds events, until `signal` aborts; a failed look is tried at the next. */
export function watchSharedInbox(
  store: Pick<StateStore, 'inboxDepth'>,
  wake: () => void,
  signal: AbortSignal,
  everyMs = sharedInboxPollMs,
): void {
  let looking = false;
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    store
      .inboxDepth()
      .then(
        (depth) => {
          if (depth > 0 && !signal.aborted) wake();
        },
        () => undefined,
      )
      .finally(() => {
        looking = false;
      });
  }, everyMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
