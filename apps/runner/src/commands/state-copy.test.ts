import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { prepareKeyFile } from './hash-key-file.js';
import { type StateCopyOptions, stateCopyCommand } from './state-copy.js';
import { copyReport } from './state-copy-report.js';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-state-copy-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const key = 'the-fingerprint-key-of-this-state';
const target = 'postgres://sync:a-secret-password@db.example.com:5432/crm_sync';

/** Runs the command with this environment; what it printed, and its exit code. */
async function copyWith(env: NodeJS.ProcessEnv, options: Partial<StateCopyOptions> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await stateCopyCommand(
    { to: target, hashKeyFile: join(directory, 'key'), dryRun: false, ...options },
    { write: (text) => stdout.push(text), warn: (text) => stderr.push(text), env },
  );
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('crm-sync state copy refuses before it opens anything', () => {
  const state = () => ({ CRM_SYNC_STATE: join(directory, 'state.db'), CRM_SYNC_HASH_KEY: key });

  it('a source that is not SQLite, and a target that is not PostgreSQL, the password masked', async () => {
    const fromPostgres = await copyWith({ ...state(), CRM_SYNC_STATE: target });
    expect(fromPostgres.code).toBe(2);
    expect(fromPostgres.stderr).toContain(
      'crm-sync state copy: CRM_SYNC_STATE is a PostgreSQL URL (postgres://sync:***@db.example.com:5432/crm_sync): state copy copies the SQLite state',
    );
    const toFile = await copyWith(state(), { to: join(directory, 'other.db') });
    expect(toFile.code).toBe(2);
    expect(toFile.stderr).toContain('--to must be a PostgreSQL URL');
    for (const result of [fromPostgres, toFile]) expect(result.stderr).not.toContain('a-secret-password');
  });

  it('a state without its key, and a copy without --hash-key-file', async () => {
    const keyless = await copyWith({ CRM_SYNC_STATE: join(directory, 'state.db') });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('no fingerprint key for the state');
    const both = await copyWith({ ...state(), CRM_SYNC_HASH_KEY_FILE: join(directory, 'k') });
    expect(both.stderr).toContain('CRM_SYNC_HASH_KEY and CRM_SYNC_HASH_KEY_FILE are both set: set one');
    const noFile = await copyWith(state(), { hashKeyFile: undefined });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('--hash-key-file <path> is required');
  });

  it('a key file that exists with something else in it', async () => {
    writeFileSync(join(directory, 'key'), 'another key\n');
    const result = await copyWith(state());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exists and holds something else: refusing to overwrite it');
    expect(readFileSync(join(directory, 'key'), 'utf8')).toBe('another key\n');
  });

  it('a state that does not exist (it is never created by a copy)', async () => {
    const result = await copyWith(state());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`there is no SQLite state at ${join(directory, 'state.db')}`);
  });

  it('takes the key from the hash-key file beside the state', async () => {
    writeFileSync(join(directory, 'hash-key'), `${key}\n`);
    const result = await copyWith({ CRM_SYNC_STATE: join(directory, 'state.db') });
    expect(result.stderr).toContain('there is no SQLite state at');
  });
});

describe('crm-sync state copy and a database it cannot reach', () => {
  it('exits 2 naming --to, the server and the database, the password masked', async () => {
    const statePath = join(directory, 'state.db');
    const store = openSqliteStateStore(statePath);
    await store.migrate();
    await store.close();
    const env = { CRM_SYNC_STATE: statePath, CRM_SYNC_HASH_KEY: key };
    const unreachable = 'postgres://sync:a-secret-password@127.0.0.1:1/crm_sync';
    for (const dryRun of [true, false]) {
      const result = await copyWith(env, { to: unreachable, dryRun });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(
        /^crm-sync state copy: --to: cannot (?:reach|open) the PostgreSQL (?:database|state store) postgres:\/\/sync:\*\*\*@127\.0\.0\.1:1\/crm_sync \(host 127\.0\.0\.1:1, database crm_sync\)/u,
      );
      expect(result.stderr).not.toContain('a-secret-password');
    }
    expect(() => statSync(join(directory, 'key'))).toThrow();
  });
});

describe('the key file', () => {
  it('is created owner-only once the copy commits, and removed again when it does not', () => {
    const path = join(directory, 'secrets', 'key');
    const prepared = prepareKeyFile(path, key);
    if (!prepared.ok) throw new Error(prepared.problem);
    prepared.write.run();
    expect(readFileSync(path, 'utf8')).toBe(`${key}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    prepared.write.undo();
    expect(() => statSync(path)).toThrow();
  });

  it('that holds the same key already is kept as it is', () => {
    const path = join(directory, 'key');
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    const prepared = prepareKeyFile(path, key);
    if (!prepared.ok) throw new Error(prepared.problem);
    prepared.write.run();
    prepared.write.undo();
    expect(readFileSync(path, 'utf8')).toBe(`${key}\n`);
  });
});

describe('the report of a copy', () => {
  const places = { source: '/srv/state.db', target: 'postgres://sync:***@db/crm_sync', keyFile: '/srv/key' };
  const links = { table: 'links', source: 3, target: 3, same: true };
  const tables = [links, { table: 'watermarks', source: 2, target: 2, same: false }];

  it('exits 75 for a held lock, 2 for another refusal, 1 for a difference, 0 for a copy', () => {
    expect(copyReport({ kind: 'refused', reason: 'a cycle is running', locked: true }, places).exitCode).toBe(
      75,
    );
    expect(copyReport({ kind: 'refused', reason: 'it holds a state', locked: false }, places).exitCode).toBe(
      2,
    );
    const differs = copyReport({ kind: 'differs', tables }, places);
    expect(differs.exitCode).toBe(1);
    expect(differs.stdout.join('\n')).toMatch(/^watermarks +2 +2 +DIFFERS$/mu);
    expect(differs.stderr.join('\n')).toContain(
      'differs from the source in watermarks: nothing was committed',
    );
    const copied = copyReport({ kind: 'copied', tables: [links] }, places);
    expect(copied.exitCode).toBe(0);
    expect(copied.stdout.join('\n')).toContain(
      'Set CRM_SYNC_HASH_KEY_FILE=/srv/key (and CRM_SYNC_STATE=postgres://sync:***@db/crm_sync)',
    );
  });

  it('exits 2 from a dry run whose target could not take the copy', () => {
    const dry = (target: Parameters<typeof copyReport>[0] & { kind: 'dry-run' }) =>
      copyReport(target, places);
    const unsure = tables.map((table) => ({ ...table, target: null, same: null }));
    expect(
      dry({ kind: 'dry-run', tables: unsure, target: { kind: 'empty', sameMeta: false } }).exitCode,
    ).toBe(0);
    const holding = dry({
      kind: 'dry-run',
      tables: unsure,
      target: { kind: 'state', reason: 'it holds a state already' },
    });
    expect(holding.exitCode).toBe(2);
    expect(holding.stdout.join('\n')).toContain('cannot take the copy: it holds a state already.');
    expect(holding.stdout.join('\n')).toMatch(/^links +3 +- *$/mu);
  });
});
