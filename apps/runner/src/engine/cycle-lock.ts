import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { LockHolder, StateStore } from '../state/state-store.js';

/** Another cycle holds the lock (exit code 75). */
export class LockHeldError extends Error {
  constructor(readonly holder: string) {
    super(`another cycle is running (${holder}); try again when it has finished`);
  }
}

// A holder on another machine that died keeps the lock this long; one on this machine is noticed at once. A
// running cycle renews its lock every quarter of this, so a long cycle never loses it.
const lockTtlMs = 6 * 60 * 60_000;

/** Whether a lock holder (`host/pid/run`) is a process on this machine that no longer exists. */
function isDeadLocalHolder(holderId: string): boolean {
  const [host, pidText] = holderId.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface HeldLock {
  /** Stops the renewal and lets go of the lock. */
  release(): Promise<void>;
}

/**
 * Takes the cycle lock for `holder` (`host/pid/run`), taking it over from a holder on this machine that died, and
 * keeps renewing it until released. Throws `LockHeldError` naming the holder when another cycle runs.
 */
export async function takeCycleLock(
  store: StateStore,
  holder: LockHolder,
  logger: Logger,
  ttlMs = lockTtlMs,
): Promise<HeldLock> {
  let lock = await store.acquireLock(holder, ttlMs);
  if (!lock.ok && isDeadLocalHolder(lock.holder.id)) {
    // Killed before it could let go (SIGKILL, power loss): nothing runs under that lock any more.
    logger.warn(`taking over the lock of a cycle that died: ${lock.holder.description}`);
    await store.releaseLock(lock.holder.id);
    lock = await store.acquireLock(holder, ttlMs);
  }
  if (!lock.ok) throw new LockHeldError(lock.holder.description);
  const renewal = setInterval(() => {
    store.acquireLock(holder, ttlMs).then(
      (renewed) => {
        if (!renewed.ok)
          logger.error(
            `the cycle lock expired and was taken by ${renewed.holder.description}; two cycles now run`,
          );
      },
      (error: unknown) => logger.warn({ err: error }, 'could not renew the cycle lock; trying again later'),
    );
  }, ttlMs / 4);
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      await store.releaseLock(holder.id);
    },
  };
}
