import { checkHashKey, type HashKeyCheck, hashKeyMismatchMessage } from './hash-key-check.js';
import type { Fence } from './postgres/fencing.js';
import { openPostgresStateStore } from './postgres/postgres-state-store.js';
import { openSqliteStateStore } from './sqlite-state-store.js';
import {
  describePostgresTarget,
  describeStateLocation,
  stateLocationKind,
  stateLocationSecrets,
} from './state-location.js';
import { withStateMeta } from './state-meta.js';
import type { StateStore } from './state-store.js';

/**
 * The state store `CRM_SYNC_STATE` names: SQLite for a path, PostgreSQL for a `postgres://` or `postgresql://`
 * URL, its writes fenced by `fence` (postgres/fencing.ts; SQLite has no fencing). Not migrated yet, and a
 * PostgreSQL store connects on first use.
 */
export function openStateStore(location: string, now?: () => Date, fence?: Fence): StateStore {
  return stateLocationKind(location) === 'postgres'
    ? openPostgresStateStore(location.trim(), { now, fence })
    : openSqliteStateStore(location, now);
}

/** A state store that could not be opened or migrated; the message names the location, its password masked. */
export class StateStoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreOpenError';
  }
}

/** What went wrong, from a driver's error; Node answers an AggregateError (one per address tried) for refusals. */
function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return [...new Set(error.errors.map(describeCause))].join('; ');
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.message !== '') return error.message;
    return code ?? error.name;
  }
  return String(error);
}

function openProblem(location: string, error: unknown): StateStoreOpenError {
  let cause = describeCause(error);
  for (const secret of stateLocationSecrets(location)) cause = cause.split(secret).join('***');
  const shown = describeStateLocation(location);
  const message =
    stateLocationKind(location) === 'postgres'
      ? `CRM_SYNC_STATE: cannot open the PostgreSQL state store ${shown} (${describePostgresTarget(location)}): ${cause}. Check the URL (user, password, host, port, database, sslmode), that the server accepts connections from this machine, and that the user may create tables in the database`
      : `CRM_SYNC_STATE: cannot open or write the state store ${shown} (${cause}): point CRM_SYNC_STATE at a file in a directory this user can create and write`;
  return new StateStoreOpenError(message, { cause: error });
}

/**
 * Opens and migrates the state store `location` names; a store that cannot be opened, reached or migrated throws
 * `StateStoreOpenError` with a message for the person running the command (the password never in it). With
 * `hashKey` (the fingerprint key of the configuration), a state made with another key refuses too, and a state
 * without a check value gets this key's (hash-key-check.ts).
 */
export async function openMigratedStateStore(
  location: string,
  now?: () => Date,
  fence?: Fence,
  hashKey?: string,
): Promise<StateStore> {
  let store: StateStore;
  try {
    store = openStateStore(location, now, fence);
  } catch (error) {
    throw openProblem(location, error);
  }
  let keyCheck: HashKeyCheck = 'matches';
  try {
    await store.migrate();
    const at = (now?.() ?? new Date()).toISOString();
    if (hashKey !== undefined)
      keyCheck = await withStateMeta(location, (meta) => checkHashKey(meta, hashKey, at));
  } catch (error) {
    await store.close().catch(() => undefined);
    throw openProblem(location, error);
  }
  if (keyCheck === 'differs') {
    await store.close();
    throw new StateStoreOpenError(hashKeyMismatchMessage(describeStateLocation(location)));
  }
  return store;
}
