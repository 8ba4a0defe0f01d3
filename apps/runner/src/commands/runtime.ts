import { err, ok, type Result } from 'neverthrow';
import type { Logger } from 'pino';
import { loadConfig, type RunnerConfig } from '../config/config.js';
import { nodeConfigSources } from '../config/node-sources.js';
import { type ApiUsage, emptyApiUsage } from '../engine/api-usage.js';
import { type BindingOutcome, checkBinding } from '../engine/binding.js';
import { type ClientTuning, createSyncClients, type SyncClients } from '../engine/sync-clients.js';
import { createLogger } from '../logging/logger.js';
import { openMigratedStateStore, StateStoreOpenError } from '../state/open-state-store.js';
import type { Fence } from '../state/postgres/fencing.js';
import type { StateStore } from '../state/state-store.js';

/** Exit codes (docs/DESIGN.md §2; 75 is sysexits' EX_TEMPFAIL: try again later). */
export const exitCodes = {
  clean: 0,
  cycleFailed: 1,
  configuration: 2,
  recordsFailed: 3,
  locked: 75,
} as const;

/** A configuration problem: the command prints every message and exits 2. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`configuration error:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export interface GlobalOptions {
  readonly logLevel?: string | undefined;
  readonly logPersonalData?: boolean | undefined;
}

export interface Runtime {
  readonly config: RunnerConfig;
  readonly store: StateStore;
  readonly clients: SyncClients;
  readonly usage: ApiUsage;
  readonly logger: Logger;
  /**
   * Fences the state's writes from now on (`crm-sync serve` on PostgreSQL: the leadership's fence); until then, and
   * for every other command, they are not fenced. SQLite has no fencing.
   */
  fenceWrites(fence: Fence): void;
  close(): Promise<void>;
}

export function createCliLogger(options: GlobalOptions): Logger {
  // On a terminal the person reads the progress and the report; the JSON log lines are for files and schedulers.
  const level = options.logLevel ?? (process.stderr.isTTY ? 'warn' : 'info');
  return createLogger({ level, logPersonalData: options.logPersonalData });
}

/** Configuration, state store (migrated) and both clients, from the environment. */
export async function openRuntime(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  tuning: ClientTuning = {},
): Promise<Runtime> {
  const loaded = loadConfig(nodeConfigSources(env));
  if (!loaded.ok) throw new ConfigurationError(loaded.errors);
  const { config } = loaded;
  const logger = createCliLogger(options);
  let fence: Fence | undefined;
  const store = await openStateStore(config.stateLocation, () => fence?.() ?? null, config.hashKey);
  const usage = emptyApiUsage();
  const clients = createSyncClients(config, usage, logger, tuning);
  if (config.hashKeySource === 'generated')
    logger.info(`generated a fingerprint key beside the state (${config.statePath}); keep it with the state`);
  const fenceWrites = (next: Fence) => {
    fence = next;
  };
  return { config, store, clients, usage, logger, fenceWrites, close: () => store.close() };
}

/**
 * The state store (SQLite or PostgreSQL), opened and migrated; a place it cannot be opened, reached or written, or
 * a state made with another fingerprint key, is a configuration error, its message naming the location with the
 * password masked.
 */
async function openStateStore(location: string, fence: Fence, hashKey: string): Promise<StateStore> {
  try {
    return await openMigratedStateStore(location, undefined, fence, hashKey);
  } catch (error) {
    if (error instanceof StateStoreOpenError) throw new ConfigurationError([error.message]);
    throw error;
  }
}

/**
 * Refuses a state that belongs to another HubSpot account or Business NXT company (`ConfigurationError`, exit 2);
 * a command that `writes` binds a state not bound yet. Call it before anything else reads or writes either
 * system. A HubSpot failure comes back as the message to print (the command exits 1).
 */
export async function requireBinding(
  runtime: Runtime,
  writes: boolean,
): Promise<Result<BindingOutcome, string>> {
  const checked = await checkBinding(runtime, { record: writes });
  if (checked.isOk()) {
    if (checked.value.kind === 'recorded')
      runtime.logger.info(
        checked.value.current,
        'bound the state to this HubSpot account and Business NXT company',
      );
    return ok(checked.value);
  }
  if (checked.error.kind === 'mismatch' || checked.error.kind === 'company')
    throw new ConfigurationError([checked.error.message]);
  return err(checked.error.message);
}
