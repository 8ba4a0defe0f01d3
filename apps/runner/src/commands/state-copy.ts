import type { Command } from 'commander';
import { type ConfigSources, defaults, hashKeyBesideState, setting } from '../config/config.js';
import { nodeConfigSources } from '../config/node-sources.js';
import { copyState } from '../state/copy/copy-state.js';
import { StateStoreOpenError } from '../state/open-state-store.js';
import { describeStateLocation, stateLocationKind, withoutSecrets } from '../state/state-location.js';
import { type KeyFileWrite, prepareKeyFile } from './hash-key-file.js';
import { createCliLogger, exitCodes, type GlobalOptions } from './runtime.js';
import { copyReport } from './state-copy-report.js';

export interface StateCopyOptions {
  /** The PostgreSQL database to copy into (`--to`). */
  readonly to: string;
  readonly hashKeyFile?: string | undefined;
  readonly dryRun: boolean;
}

/** Where `crm-sync state copy` talks: the report on stdout, progress and refusals on stderr. */
export interface StateCopyIo {
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The SQLite state `CRM_SYNC_STATE` names, and the key its fingerprints were made with (never a new one). */
function sourceOf(sources: ConfigSources): Checked<{ path: string; key: string }> {
  const errors: string[] = [];
  const path = setting(sources, 'CRM_SYNC_STATE', errors) ?? defaults.statePath;
  const key = setting(sources, 'CRM_SYNC_HASH_KEY', errors);
  if (errors.length > 0) return { ok: false, problem: errors.join('; ') };
  if (stateLocationKind(path) !== 'sqlite')
    return {
      ok: false,
      problem: `CRM_SYNC_STATE is a PostgreSQL URL (${describeStateLocation(path)}): state copy copies the SQLite state CRM_SYNC_STATE names into PostgreSQL; point CRM_SYNC_STATE at the SQLite file`,
    };
  const beside = sources.readFile(hashKeyBesideState(path))?.trim();
  if (key === undefined && !beside)
    return {
      ok: false,
      problem: `no fingerprint key for the state ${path}: CRM_SYNC_HASH_KEY and CRM_SYNC_HASH_KEY_FILE are not set and there is no hash-key file beside it; set the key its cycles ran with`,
    };
  return { ok: true, value: { path, key: key ?? beside ?? '' } };
}

/** The target URL and where its key goes, checked before anything is opened. */
function targetOf(
  options: StateCopyOptions,
  key: string,
): Checked<{ url: string; keyFile: KeyFileWrite | null }> {
  const url = options.to.trim();
  if (stateLocationKind(url) !== 'postgres' || !URL.canParse(url))
    return {
      ok: false,
      problem: `--to must be a PostgreSQL URL such as postgres://user:password@host:5432/database, got "${describeStateLocation(url)}"`,
    };
  if (options.hashKeyFile === undefined)
    return options.dryRun
      ? { ok: true, value: { url, keyFile: null } }
      : {
          ok: false,
          problem:
            '--hash-key-file <path> is required: the fingerprints are only valid with the key they were made with, and a PostgreSQL state has no directory beside it to keep the key in',
        };
  const prepared = prepareKeyFile(options.hashKeyFile, key);
  if (!prepared.ok) return { ok: false, problem: prepared.problem };
  return { ok: true, value: { url, keyFile: options.dryRun ? null : prepared.write } };
}

/**
 * `crm-sync state copy --to <postgres-url> --hash-key-file <path> [--dry-run]`: moves the SQLite state into an
 * empty PostgreSQL database, verified, and the fingerprint key into a file for the instances that use it.
 */
export async function stateCopyCommand(
  options: StateCopyOptions,
  io: StateCopyIo,
  globals: GlobalOptions = {},
): Promise<number> {
  const refuse = (problem: string) => {
    io.warn(`crm-sync state copy: ${problem}`);
    return exitCodes.configuration;
  };
  const source = sourceOf(nodeConfigSources(io.env));
  if (!source.ok) return refuse(source.problem);
  const target = targetOf(options, source.value.key);
  if (!target.ok) return refuse(target.problem);
  const { url, keyFile } = target.value;
  try {
    const outcome = await copyState({
      source: source.value.path,
      target: url,
      hashKey: source.value.key,
      dryRun: options.dryRun,
      logger: createCliLogger(globals),
      progress: (line) => io.warn(`crm-sync state copy: ${line}`),
      beforeCommit: keyFile ?? undefined,
    });
    const places = {
      source: source.value.path,
      target: describeStateLocation(url),
      keyFile: options.hashKeyFile ?? null,
    };
    const report = copyReport(outcome, places);
    for (const line of report.stdout) io.write(line);
    for (const line of report.stderr) io.warn(line);
    return report.exitCode;
  } catch (error) {
    if (error instanceof StateStoreOpenError) return refuse(error.message);
    io.warn(
      `crm-sync state copy: the copy failed: ${withoutSecrets(error instanceof Error ? error.message : String(error), url)}; nothing was committed to the target`,
    );
    return exitCodes.cycleFailed;
  }
}

/** `crm-sync state …`: the state itself. Needs the state and its key only, not the HubSpot or Business NXT settings. */
export function registerStateCommand(
  program: Command,
  cli: { readonly globals: () => GlobalOptions; readonly write: (text: string) => void },
): void {
  const state = program.command('state').description('the state itself: move it to PostgreSQL');
  state
    .command('copy')
    .description(
      'copy the SQLite state (CRM_SYNC_STATE) into an empty PostgreSQL database, verified table by table, and its fingerprint key into a file',
    )
    .requiredOption(
      '--to <postgres-url>',
      'the PostgreSQL database: postgres://user:password@host:5432/database',
    )
    .option('--hash-key-file <path>', 'where to write the fingerprint key (owner-only; never overwritten)')
    .option('--dry-run', 'show the counts and check the target, write nothing', false)
    .action(async (options: StateCopyOptions) => {
      process.exitCode = await stateCopyCommand(
        options,
        {
          write: cli.write,
          warn: (text) => process.stderr.write(`${text}\n`),
          env: process.env,
        },
        cli.globals(),
      );
    });
}
