import type { Logger } from 'pino';
import { type HeldLock, LockHeldError, takeCycleLock } from '../../engine/cycle-lock.js';
import { openMigratedStateStore, StateStoreOpenError } from '../open-state-store.js';
import { describePostgresTarget, describeStateLocation, withoutSecrets } from '../state-location.js';
import type { LockHolder, StateStore } from '../state-store.js';
import { connectPostgresTarget, type PostgresTarget } from './postgres-target.js';

/*
 * Opening both ends of a copy: the target's store, its own connection to the target, and the cycle lock on each
 * side; each problem said for the person running `crm-sync state copy`.
 */

/** The target's store, migrated; its problems named after `--to`, where the URL came from. */
export async function openTarget(url: string, now: () => Date): Promise<StateStore> {
  try {
    return await openMigratedStateStore(url, now);
  } catch (error) {
    if (!(error instanceof StateStoreOpenError)) throw error;
    throw new StateStoreOpenError(error.message.replace(/^CRM_SYNC_STATE: /u, '--to: '), { cause: error });
  }
}

/** A connection of the copy's own to the target, or the problem reaching it, for the person running the copy. */
export async function reachTarget(url: string): Promise<PostgresTarget> {
  try {
    return await connectPostgresTarget(url);
  } catch (error) {
    const cause = withoutSecrets(error instanceof Error ? error.message : String(error), url);
    throw new StateStoreOpenError(
      `--to: cannot reach the PostgreSQL database ${describeStateLocation(url)} (${describePostgresTarget(url)}): ${cause}. Check the URL (user, password, host, port, database, sslmode) and that the server accepts connections from this machine`,
      { cause: error },
    );
  }
}

/** Why a copy cannot run while another cycle holds the lock, per side. */
const lockRefusals = {
  source: (holder: string) =>
    `a cycle is running on the source state (${holder}): a copy now would miss what it writes; try again when it has finished`,
  target: (holder: string) =>
    `a cycle is running on the target database (${holder}): something uses that database already; stop it, or copy into another one`,
};

/** The cycle lock of `store` for the copy, or the refusal naming who holds it. */
export async function lockFor(
  store: StateStore,
  side: keyof typeof lockRefusals,
  holder: LockHolder,
  logger: Logger,
): Promise<{ held: HeldLock } | { refusal: string }> {
  try {
    return { held: await takeCycleLock(store, holder, logger) };
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    return { refusal: lockRefusals[side](error.holder) };
  }
}
