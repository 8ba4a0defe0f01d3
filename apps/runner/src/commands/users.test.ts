import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../console/auth/password-hashing.js';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import {
  type UsersIo,
  usersAddCommand,
  usersListCommand,
  usersPasswdCommand,
  usersRemoveCommand,
} from './users.js';

const password = 'correct horse battery staple';
let directory: string;
let store: StateStore;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-users-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** What a command printed, with standard input given (or a terminal that answers `typed`, one line per question). */
function io(input: { stdin?: string; typed?: string[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const typed = [...(input.typed ?? [])];
  const questions: string[] = [];
  const terminal: UsersIo = {
    write: (text) => out.push(text),
    warn: (text) => err.push(text),
    readStdin: async () => input.stdin ?? '',
    stdinIsTerminal: input.typed !== undefined,
    askHidden: async (question) => {
      questions.push(question);
      return typed.shift() ?? '';
    },
    now: () => new Date('2026-03-02T09:00:00.000Z'),
    actor: 'cli:ops',
    hashParameters: { N: 2 ** 10, r: 8, p: 1 },
  };
  return { terminal, out, err, questions };
}

const credentials = async (name: string) => (await store.consoleUserCredentials(name))?.passwordHash ?? '';

describe('crm-sync users (the command functions)', () => {
  it('adds a user from standard input, lists it without the hash, and records it in the audit log', async () => {
    const add = io({ stdin: `${password}\n` });
    expect(
      await usersAddCommand(store, 'Alice', { role: 'operator', passwordStdin: true }, add.terminal),
    ).toBe(0);
    expect(add.out).toEqual(['Added user alice (operator).']);
    expect(await verifyPassword(password, await credentials('alice'))).toBe(true);
    const list = io();
    expect(await usersListCommand(store, { json: false }, list.terminal)).toBe(0);
    expect(list.out[0]).toMatch(
      /^name\s+role\s+created\s+last sign-in\nalice\s+operator\s+2026-03-02T09:00:00.000Z\s+never$/u,
    );
    const json = io();
    await usersListCommand(store, { json: true }, json.terminal);
    expect(JSON.parse(json.out[0] ?? '')).toEqual([
      expect.objectContaining({ name: 'alice', role: 'operator', lastSignInAt: null }),
    ]);
    expect(json.out[0]).not.toContain('scrypt');
    expect(await store.auditLog({ limit: 5 })).toMatchObject([
      { actor: 'cli:ops', action: 'user.add', target: 'alice', before: null, after: { role: 'operator' } },
    ]);
  });

  it('refuses a short password, a taken name and a bad name, changing nothing', async () => {
    const short = io({ stdin: 'short\n' });
    expect(
      await usersAddCommand(store, 'alice', { role: 'viewer', passwordStdin: true }, short.terminal),
    ).toBe(2);
    expect(short.err[0]).toContain(
      'password for user "alice": it has 5 characters and must have at least 12',
    );
    expect(await store.consoleUsers()).toEqual([]);
    await usersAddCommand(
      store,
      'alice',
      { role: 'viewer', passwordStdin: true },
      io({ stdin: password }).terminal,
    );
    const taken = io({ stdin: 'another long password' });
    expect(
      await usersAddCommand(store, 'ALICE', { role: 'operator', passwordStdin: true }, taken.terminal),
    ).toBe(2);
    expect(taken.err[0]).toContain('user "alice" exists already');
    expect((await store.consoleUsers())[0]?.role).toBe('viewer');
    const bad = io({ stdin: password });
    expect(
      await usersAddCommand(store, 'no spaces', { role: 'viewer', passwordStdin: true }, bad.terminal),
    ).toBe(2);
    expect(bad.err[0]).toContain('user name "no spaces"');
  });

  it('without --password-stdin asks twice on a terminal, and refuses when there is no terminal', async () => {
    const asked = io({ typed: [password, password] });
    expect(
      await usersAddCommand(store, 'alice', { role: 'viewer', passwordStdin: false }, asked.terminal),
    ).toBe(0);
    expect(asked.questions).toHaveLength(2);
    const differ = io({ typed: [password, `${password}!`] });
    expect(
      await usersAddCommand(store, 'bob', { role: 'viewer', passwordStdin: false }, differ.terminal),
    ).toBe(2);
    expect(differ.err[0]).toContain('the two passwords differ');
    const piped = io({ stdin: password });
    expect(
      await usersAddCommand(store, 'carol', { role: 'viewer', passwordStdin: false }, piped.terminal),
    ).toBe(2);
    expect(piped.err[0]).toContain('standard input is not a terminal');
    expect(piped.err[0]).toContain('--password-stdin');
    expect((await store.consoleUsers()).map((user) => user.name)).toEqual(['alice']);
  });

  it('changes a password (the old one stops working) and removes a user', async () => {
    await usersAddCommand(
      store,
      'alice',
      { role: 'operator', passwordStdin: true },
      io({ stdin: password }).terminal,
    );
    const passwd = io({ stdin: 'a brand new passphrase\r\n' });
    expect(await usersPasswdCommand(store, 'alice', { passwordStdin: true }, passwd.terminal)).toBe(0);
    expect(await verifyPassword('a brand new passphrase', await credentials('alice'))).toBe(true);
    expect(await verifyPassword(password, await credentials('alice'))).toBe(false);
    const missing = io({ stdin: password });
    expect(await usersPasswdCommand(store, 'bob', { passwordStdin: true }, missing.terminal)).toBe(2);
    expect(missing.err[0]).toContain('there is no user "bob"');
    const remove = io();
    expect(await usersRemoveCommand(store, 'alice', remove.terminal)).toBe(0);
    expect(await store.consoleUsers()).toEqual([]);
    expect(await usersRemoveCommand(store, 'alice', io().terminal)).toBe(2);
    expect((await store.auditLog({ limit: 5 })).map((entry) => entry.action).sort()).toEqual([
      'user.add',
      'user.passwd',
      'user.remove',
    ]);
  });
});

describe('crm-sync users (the built CLI)', () => {
  const bin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));
  const run = (args: string[], input = '') =>
    spawnSync(process.execPath, [bin, 'users', ...args], {
      input,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CRM_SYNC_STATE: join(directory, 'cli-state.db'),
      },
    });

  it('adds with --password-stdin and lists, needing only CRM_SYNC_STATE', () => {
    const add = run(['add', 'ops', '--role', 'operator', '--password-stdin'], `${password}\n`);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toBe('Added user ops (operator).\n');
    const list = run(['list', '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'ops', role: 'operator' }]);
    const refused = run(['add', 'viewer1', '--role', 'viewer'], password);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--password-stdin');
    expect(run(['add', 'x', '--role', 'admin', '--password-stdin'], password).status).toBe(2);
  });
});
