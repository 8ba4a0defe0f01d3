import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
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
  usersRoleCommand,
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
    // The only operator: removed with --force only (the guard is tested below).
    expect(await usersRemoveCommand(store, 'alice', { force: true }, remove.terminal)).toBe(0);
    expect(await store.consoleUsers()).toEqual([]);
    expect(await usersRemoveCommand(store, 'alice', { force: true }, io().terminal)).toBe(2);
    expect((await store.auditLog({ limit: 5 })).map((entry) => entry.action).sort()).toEqual([
      'user.add',
      'user.passwd',
      'user.remove',
    ]);
  });
});

/** Adds accounts as `crm-sync users add` does, each with its own session in the state (as if signed in). */
async function accounts(...users: Array<[string, 'viewer' | 'operator']>) {
  for (const [name, role] of users) {
    await usersAddCommand(store, name, { role, passwordStdin: true }, io({ stdin: password }).terminal);
    await store.createConsoleSession({
      idHash: `session-${name}`,
      userName: name,
      role,
      csrfToken: `token-${name}`,
      createdAt: '2026-03-02T09:00:00.000Z',
      lastSeenAt: '2026-03-02T09:00:00.000Z',
      expiresAt: '2026-03-02T21:00:00.000Z',
    });
  }
}

const roles = async () => (await store.consoleUsers()).map((user) => `${user.name}:${user.role}`);

describe('crm-sync users role, and the last operator', () => {
  it('changes a role: the account’s sessions end, others stay, and the audit log has before and after', async () => {
    await accounts(['alice', 'operator'], ['bob', 'operator'], ['victor', 'viewer']);
    const demote = io();
    expect(await usersRoleCommand(store, 'Bob', { role: 'viewer', force: false }, demote.terminal)).toBe(0);
    expect(demote.out).toEqual(['Changed the role of bob from operator to viewer; its sessions have ended.']);
    expect(await roles()).toEqual(['alice:operator', 'bob:viewer', 'victor:viewer']);
    expect(await store.consoleSession('session-bob')).toBeNull();
    expect((await store.consoleSession('session-alice'))?.role).toBe('operator');
    const promote = io();
    expect(
      await usersRoleCommand(store, 'victor', { role: 'operator', force: false }, promote.terminal),
    ).toBe(0);
    expect(await store.consoleSession('session-victor')).toBeNull();
    expect(await roles()).toEqual(['alice:operator', 'bob:viewer', 'victor:operator']);
    expect(await store.auditLog({ action: 'user.role', limit: 5 })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'cli:ops',
          target: 'bob',
          before: { role: 'operator' },
          after: { role: 'viewer' },
        }),
        expect.objectContaining({
          actor: 'cli:ops',
          target: 'victor',
          before: { role: 'viewer' },
          after: { role: 'operator' },
        }),
      ]),
    );
    expect(await store.auditLog({ action: 'user.role', limit: 5 })).toHaveLength(2);
  });

  it('says so when the role is the same, and refuses an unknown account, changing nothing', async () => {
    await accounts(['alice', 'operator']);
    const same = io();
    expect(await usersRoleCommand(store, 'alice', { role: 'operator', force: false }, same.terminal)).toBe(0);
    expect(same.out).toEqual(['alice is an operator already; nothing changed.']);
    expect((await store.consoleSession('session-alice'))?.role).toBe('operator');
    const missing = io();
    expect(await usersRoleCommand(store, 'bob', { role: 'viewer', force: false }, missing.terminal)).toBe(2);
    expect(missing.err[0]).toContain('crm-sync users role: there is no user "bob"');
    expect(await store.auditLog({ action: 'user.role', limit: 5 })).toEqual([]);
  });

  it('refuses to demote or remove the last operator, saying why and how, unless --force', async () => {
    await accounts(['alice', 'operator'], ['victor', 'viewer']);
    const demote = io();
    expect(await usersRoleCommand(store, 'alice', { role: 'viewer', force: false }, demote.terminal)).toBe(2);
    expect(demote.err[0]).toContain('alice is the last operator account');
    expect(demote.err[0]).toContain('without anyone who may act');
    expect(demote.err[0]).toContain('Add another operator first');
    expect(demote.err[0]).toContain('crm-sync users role alice --role viewer --force');
    const remove = io();
    expect(await usersRemoveCommand(store, 'alice', { force: false }, remove.terminal)).toBe(2);
    expect(remove.err[0]).toContain('alice is the last operator account');
    expect(remove.err[0]).toContain('crm-sync users remove alice --force');
    expect(await roles()).toEqual(['alice:operator', 'victor:viewer']);
    expect((await store.consoleSession('session-alice'))?.role).toBe('operator');
    // A viewer can always go; with a second operator, the first can too.
    expect(await usersRemoveCommand(store, 'victor', { force: false }, io().terminal)).toBe(0);
    await accounts(['olga', 'operator']);
    expect(await usersRoleCommand(store, 'alice', { role: 'viewer', force: false }, io().terminal)).toBe(0);
    expect(await usersRemoveCommand(store, 'olga', { force: false }, io().terminal)).toBe(2);
    expect(await usersRemoveCommand(store, 'alice', { force: false }, io().terminal)).toBe(0);
    // --force does it anyway, audited as any other change.
    expect(await usersRoleCommand(store, 'olga', { role: 'viewer', force: true }, io().terminal)).toBe(0);
    expect(await roles()).toEqual(['olga:viewer']);
    expect((await store.auditLog({ target: 'olga', action: 'user.role', limit: 5 }))[0]).toMatchObject({
      before: { role: 'operator' },
      after: { role: 'viewer' },
    });
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

  it('role and remove keep an operator: refused with the reason on stderr and exit 2, done with --force, audited as cli:<user>', async () => {
    expect(run(['add', 'ops', '--role', 'operator', '--password-stdin'], password).status).toBe(0);
    expect(run(['add', 'kari', '--role', 'viewer', '--password-stdin'], password).status).toBe(0);
    const refused = run(['role', 'ops', '--role', 'viewer']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('ops is the last operator account');
    expect(refused.stderr).toContain('Add another operator first');
    expect(run(['remove', 'ops']).status).toBe(2);
    expect(run(['role', 'kari']).status).toBe(2);
    const promoted = run(['role', 'kari', '--role', 'operator']);
    expect(promoted.stderr).toBe('');
    expect(promoted.status).toBe(0);
    expect(promoted.stdout).toBe(
      'Changed the role of kari from viewer to operator; its sessions have ended.\n',
    );
    expect(run(['role', 'ops', '--role', 'viewer']).status).toBe(0);
    expect(run(['remove', 'kari']).status).toBe(2);
    expect(run(['remove', 'kari', '--force']).status).toBe(0);
    expect(JSON.parse(run(['list', '--json']).stdout)).toMatchObject([{ name: 'ops', role: 'viewer' }]);
    expect(run(['--help']).stdout).toContain('role [options] <name>');
    const state = openSqliteStateStore(join(directory, 'cli-state.db'));
    try {
      const changes = await state.auditLog({ action: 'user.role', limit: 5 });
      expect(changes.map((entry) => [entry.target, entry.before, entry.after])).toEqual([
        ['ops', { role: 'operator' }, { role: 'viewer' }],
        ['kari', { role: 'viewer' }, { role: 'operator' }],
      ]);
      for (const entry of changes) expect(entry.actor).toBe(`cli:${userInfo().username}`);
    } finally {
      await state.close();
    }
  });
});
