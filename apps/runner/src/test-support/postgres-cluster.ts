import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { asClusterUser, type PostgresBinaries } from './postgres-binaries.js';

/** A running throwaway cluster, as recorded in its home folder for every test process and the teardown. */
export interface ClusterRecord {
  /** The superuser's URL on the `postgres` database (trust authentication, loopback only). */
  readonly url: string;
  readonly dataDirectory: string;
  readonly binaries: PostgresBinaries;
}

const recordFile = (home: string) => join(home, 'cluster.json');

/**
 * Settings for a cluster that lives for one test run: loopback and a socket in its own folder only, and no
 * durability (fsync off is unsafe for anything but throwaway data).
 * https://www.postgresql.org/docs/15/non-durability.html
 */
const settings = (home: string, port: number) => `
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${home}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
`;

function run(command: readonly string[], what: string): void {
  const [program, ...args] = command;
  if (program === undefined) throw new Error(`${what}: no command`);
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Stops the cluster and deletes its folder once `ownerPid` (the test run's main process) is gone, however it
 * ended (a killed run has no teardown). It exits by itself when the folder is removed first.
 */
function startWatchdog(home: string, record: ClusterRecord, ownerPid: number): void {
  const stop = asClusterUser(record.binaries, record.binaries.pgCtl, [
    '-D',
    record.dataDirectory,
    '-m',
    'immediate',
    '-w',
    'stop',
  ]);
  const script = `owner="$1"; home="$2"; shift 2
while kill -0 "$owner" 2>/dev/null && [ -d "$home" ]; do sleep 1; done
if [ -d "$home" ]; then "$@" >/dev/null 2>&1; rm -rf "$home"; fi`;
  spawn('sh', ['-c', script, 'crm-sync-postgres-watchdog', String(ownerPid), home, ...stop], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

/**
 * Creates a cluster in `home/data` (initdb as the binaries' user, owning `home`) and starts it on a free loopback
 * port, with `pg_ctl -w` waiting until it accepts connections. https://www.postgresql.org/docs/15/app-pg-ctl.html
 */
export async function startCluster(
  home: string,
  binaries: PostgresBinaries,
  ownerPid: number,
): Promise<ClusterRecord> {
  if (binaries.runAs !== null) {
    const ids = spawnSync('id', ['-u', binaries.runAs], { encoding: 'utf8' }).stdout.trim();
    const group = spawnSync('id', ['-g', binaries.runAs], { encoding: 'utf8' }).stdout.trim();
    chownSync(home, Number(ids), Number(group));
  }
  const dataDirectory = join(home, 'data');
  const initdbArgs = [
    '-D',
    dataDirectory,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--no-locale',
    '-E',
    'UTF8',
  ];
  run(asClusterUser(binaries, binaries.initdb, initdbArgs), 'initdb');
  const log = join(home, 'server.log');
  writeFileSync(log, '');
  if (binaries.runAs !== null) run(['chown', binaries.runAs, log], 'chown the server log');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    // Later lines win: a retry on another port appends its own.
    appendFileSync(join(dataDirectory, 'postgresql.conf'), settings(home, port));
    try {
      run(
        asClusterUser(binaries, binaries.pgCtl, ['-D', dataDirectory, '-l', log, '-w', '-t', '60', 'start']),
        'pg_ctl start',
      );
      const record = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDirectory, binaries };
      startWatchdog(home, record, ownerPid);
      writeFileSync(recordFile(home), JSON.stringify(record));
      return record;
    } catch (error) {
      lastError = new Error(
        `${error instanceof Error ? error.message : String(error)}\n${readFileSync(log, 'utf8')}`,
      );
    }
  }
  throw lastError;
}

export function readClusterRecord(home: string): ClusterRecord | null {
  return existsSync(recordFile(home))
    ? (JSON.parse(readFileSync(recordFile(home), 'utf8')) as ClusterRecord)
    : null;
}

/** Stops the cluster recorded in `home`, if any, and deletes the folder. Synchronous: it also runs at exit. */
export function stopCluster(home: string): void {
  const record = readClusterRecord(home);
  if (record !== null) {
    const [program, ...args] = asClusterUser(record.binaries, record.binaries.pgCtl, [
      '-D',
      record.dataDirectory,
      '-m',
      'immediate',
      '-w',
      'stop',
    ]);
    if (program !== undefined) spawnSync(program, args, { stdio: 'ignore' });
  }
  rmSync(home, { recursive: true, force: true });
}
