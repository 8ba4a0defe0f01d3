import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The PostgreSQL programs a throwaway test cluster needs, and the OS user to run them as. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  /** `postgres` when running as root (initdb refuses root), through `runuser -u postgres --`; else `null`. */
  readonly runAs: string | null;
}

export type PostgresBinariesAnswer =
  | { readonly found: true; readonly binaries: PostgresBinaries }
  | { readonly found: false; readonly reason: string };

const debianVersions = '/usr/lib/postgresql';

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Folders holding initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<version>/bin, newest first. */
function candidateFolders(path: string | undefined, versionsRoot: string): string[] {
  const fromPath = (path ?? '').split(delimiter).filter((folder) => folder !== '');
  const versions = existsSync(versionsRoot)
    ? readdirSync(versionsRoot)
        .filter((name) => /^\d+(\.\d+)?$/u.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(versionsRoot, version, 'bin'))
    : [];
  return [...fromPath, ...versions];
}

function osUserExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds initdb and pg_ctl (from one folder, so their versions match), or says what is missing. As root it also
 * needs the `postgres` OS user and `runuser`: initdb refuses to run as root
 * (https://www.postgresql.org/docs/15/app-initdb.html).
 */
export function findPostgresBinaries(
  env: NodeJS.ProcessEnv = process.env,
  versionsRoot = debianVersions,
): PostgresBinariesAnswer {
  const folder = candidateFolders(env.PATH, versionsRoot).find(
    (candidate) => executable(join(candidate, 'initdb')) && executable(join(candidate, 'pg_ctl')),
  );
  if (folder === undefined)
    return {
      found: false,
      reason: `PostgreSQL is not installed: no initdb and pg_ctl on PATH or in ${versionsRoot}/*/bin (install Debian's postgresql package, or set CRM_SYNC_TEST_POSTGRES_URL to a server to use)`,
    };
  const binaries = { initdb: join(folder, 'initdb'), pgCtl: join(folder, 'pg_ctl') };
  if (process.getuid?.() !== 0) return { found: true, binaries: { ...binaries, runAs: null } };
  if (!osUserExists('postgres'))
    return {
      found: false,
      reason: `running as root, which initdb refuses, and there is no "postgres" OS user to run ${binaries.initdb} as`,
    };
  if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error !== undefined)
    return {
      found: false,
      reason:
        'running as root, which initdb refuses, and there is no runuser to run it as the "postgres" user',
    };
  return { found: true, binaries: { ...binaries, runAs: 'postgres' } };
}

/** The command line running `program` as the binaries' user. */
export function asClusterUser(
  binaries: PostgresBinaries,
  program: string,
  args: readonly string[],
): string[] {
  return binaries.runAs === null
    ? [program, ...args]
    : ['runuser', '-u', binaries.runAs, '--', program, ...args];
}
