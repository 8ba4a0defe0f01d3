import { beforeEach, expect, it } from 'vitest';
import {
  describeStateBackends,
  type StateLocation,
  useStateLocation,
} from '../test-support/state-backends.js';
import type { ConsoleSession, StateStore } from './state-store.js';

// The console's part of the StateStore contract, on every backend (file name kept from the SQLite-only days).
let state: StateLocation;
let store: StateStore;
const openEachTest = (location: StateLocation) => {
  beforeEach(async () => {
    state = location;
    store = await state.open();
  });
};

const session = (
  idHash: string,
  userName: string,
  overrides: Partial<ConsoleSession> = {},
): ConsoleSession => ({
  idHash,
  userName,
  role: 'operator',
  csrfToken: `token-${idHash}`,
  createdAt: '2026-03-02T09:00:00.000Z',
  lastSeenAt: '2026-03-02T09:00:00.000Z',
  expiresAt: '2026-03-02T21:00:00.000Z',
  ...overrides,
});

describeStateBackends('console accounts in the state store', (backend) => {
  openEachTest(useStateLocation(backend));
  it('adds an account once, lists it without its hash, and keeps it across a reopen', async () => {
    const user = {
      name: 'alice',
      role: 'operator' as const,
      passwordHash: 'scrypt$x',
      createdAt: '2026-03-02T09:00:00.000Z',
    };
    expect(await store.addConsoleUser(user)).toBe(true);
    expect(await store.addConsoleUser({ ...user, role: 'viewer' })).toBe(false);
    await state.closeAll();
    store = await state.open();
    const listed = await store.consoleUsers();
    expect(listed).toEqual([
      {
        name: 'alice',
        role: 'operator',
        createdAt: user.createdAt,
        passwordChangedAt: user.createdAt,
        lastSignInAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('scrypt');
    expect((await store.consoleUserCredentials('alice'))?.passwordHash).toBe('scrypt$x');
    expect(await store.consoleUserCredentials('bob')).toBeNull();
  });

  it('ends only that user’s sessions when its password changes or it is removed', async () => {
    for (const name of ['alice', 'bob'])
      await store.addConsoleUser({
        name,
        role: 'viewer',
        passwordHash: 'h',
        createdAt: '2026-03-02T09:00:00.000Z',
      });
    await store.createConsoleSession(session('a1', 'alice'));
    await store.createConsoleSession(session('b1', 'bob'));
    expect(await store.setConsolePassword('alice', 'h2', '2026-03-02T10:00:00.000Z')).toBe(true);
    expect(await store.consoleSession('a1')).toBeNull();
    expect(await store.consoleSession('b1')).toEqual(session('b1', 'bob'));
    expect(await store.removeConsoleUser('bob')).toBe('changed');
    expect(await store.consoleSession('b1')).toBeNull();
    expect(await store.removeConsoleUser('bob')).toBe('no-such-user');
    expect(await store.setConsolePassword('bob', 'h3', '2026-03-02T10:00:00.000Z')).toBe(false);
  });

  const twoOperators = async () => {
    for (const name of ['alice', 'bob'])
      await store.addConsoleUser({
        name,
        role: 'operator',
        passwordHash: `hash-${name}`,
        createdAt: '2026-03-02T09:00:00.000Z',
      });
  };
  const keep = { keepAnOperator: true };

  it('changes a role, ending only that user’s sessions, and keeps it across a reopen', async () => {
    await twoOperators();
    await store.createConsoleSession(session('a1', 'alice'));
    await store.createConsoleSession(session('a2', 'alice'));
    await store.createConsoleSession(session('b1', 'bob'));
    expect(await store.setConsoleUserRole('alice', 'viewer', '2026-03-02T10:00:00.000Z')).toBe('changed');
    expect(await store.consoleSession('a1')).toBeNull();
    expect(await store.consoleSession('a2')).toBeNull();
    expect(await store.consoleSession('b1')).toEqual(session('b1', 'bob'));
    await state.closeAll();
    store = await state.open();
    expect(await store.consoleUserCredentials('alice')).toEqual({
      name: 'alice',
      role: 'viewer',
      passwordHash: 'hash-alice',
      createdAt: '2026-03-02T09:00:00.000Z',
      passwordChangedAt: '2026-03-02T09:00:00.000Z',
      lastSignInAt: null,
    });
    expect((await store.consoleUsers()).map((user) => [user.name, user.role])).toEqual([
      ['alice', 'viewer'],
      ['bob', 'operator'],
    ]);
    expect(await store.setConsoleUserRole('alice', 'operator', '2026-03-02T11:00:00.000Z')).toBe('changed');
    expect((await store.consoleUserCredentials('alice'))?.role).toBe('operator');
    expect(await store.setConsoleUserRole('carol', 'viewer', '2026-03-02T11:00:00.000Z')).toBe(
      'no-such-user',
    );
    expect((await store.consoleUsers()).map((user) => user.name)).toEqual(['alice', 'bob']);
  });

  it('keeps an operator: refuses to demote or remove the last one unless told not to', async () => {
    await twoOperators();
    expect(await store.setConsoleUserRole('alice', 'viewer', '2026-03-02T10:00:00.000Z', keep)).toBe(
      'changed',
    );
    expect(await store.setConsoleUserRole('bob', 'viewer', '2026-03-02T11:00:00.000Z', keep)).toBe(
      'last-operator',
    );
    expect(await store.removeConsoleUser('bob', keep)).toBe('last-operator');
    expect(await store.removeConsoleUser('carol', keep)).toBe('no-such-user');
    expect((await store.consoleUsers()).map((user) => [user.name, user.role])).toEqual([
      ['alice', 'viewer'],
      ['bob', 'operator'],
    ]);
    // Without the option (`--force`) the change is made.
    expect(await store.removeConsoleUser('bob')).toBe('changed');
  });

  // Two people taking the operator role from two accounts at the same moment: each change alone leaves an operator,
  // both together none. On PostgreSQL the second change's check must wait for the first's transaction (SQLite
  // has one writer at a time, and its store takes the write lock before the check).
  it.skipIf(backend.dialect !== 'postgres')(
    'keeps an operator when a second change runs while the first one’s transaction is open',
    async () => {
      await twoOperators();
      const other = await state.open();
      let second: Promise<string> | undefined;
      await store.transaction(async () => {
        expect(await store.setConsoleUserRole('alice', 'viewer', '2026-03-02T10:00:00.000Z', keep)).toBe(
          'changed',
        );
        second = other.removeConsoleUser('bob', keep);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      expect(await second).toBe('last-operator');
      expect((await store.consoleUsers()).map((user) => [user.name, user.role])).toEqual([
        ['alice', 'viewer'],
        ['bob', 'operator'],
      ]);
    },
  );

  it('prunes sessions past their absolute expiry or idle too long', async () => {
    await store.createConsoleSession(session('old', 'alice', { expiresAt: '2026-03-02T10:00:00.000Z' }));
    await store.createConsoleSession(session('idle', 'alice', { lastSeenAt: '2026-03-02T09:00:00.000Z' }));
    await store.createConsoleSession(session('live', 'alice', { lastSeenAt: '2026-03-02T09:50:00.000Z' }));
    expect(await store.pruneConsoleSessions('2026-03-02T10:00:00.000Z', '2026-03-02T09:30:00.000Z')).toBe(2);
    expect((await store.consoleSession('live'))?.idHash).toBe('live');
  });

  it('counts login failures after an instant, per subject, and forgets them', async () => {
    await store.recordLoginFailure('s', '2026-03-02T09:00:00.000Z');
    await store.recordLoginFailure('s', '2026-03-02T09:05:00.000Z');
    await store.recordLoginFailure('t', '2026-03-02T09:05:00.000Z');
    expect(await store.loginFailuresAfter('s', '2026-03-02T09:00:00.000Z')).toEqual([
      '2026-03-02T09:05:00.000Z',
    ]);
    expect(await store.pruneLoginFailures('2026-03-02T09:01:00.000Z')).toBe(1);
    await store.clearLoginFailures('s');
    expect(await store.loginFailuresAfter('s', '2026-03-01T00:00:00.000Z')).toEqual([]);
    expect(await store.loginFailuresAfter('t', '2026-03-01T00:00:00.000Z')).toHaveLength(1);
  });
});

describeStateBackends('the audit log', (backend) => {
  openEachTest(useStateLocation(backend));
  const entry = (at: string, actor: string, action: string) => ({
    at,
    actor,
    action,
    target: 'c-17',
    before: { value: 'a***@e***.no' },
    after: { value: 'b***@e***.no', take: 'crm' },
  });

  it('keeps who did what when with before and after, newest first, filtered', async () => {
    await store.recordAudit(entry('2026-03-02T09:00:00.000Z', 'alice', 'conflict.resolve'));
    await store.recordAudit(entry('2026-03-02T10:00:00.000Z', 'bob', 'conflict.resolve'));
    await store.recordAudit({
      ...entry('2026-03-02T11:00:00.000Z', 'alice', 'session.sign-in'),
      target: null,
      before: null,
    });
    const all = await store.auditLog({ limit: 10 });
    expect(all.map((item) => [item.at, item.actor, item.action])).toEqual([
      ['2026-03-02T11:00:00.000Z', 'alice', 'session.sign-in'],
      ['2026-03-02T10:00:00.000Z', 'bob', 'conflict.resolve'],
      ['2026-03-02T09:00:00.000Z', 'alice', 'conflict.resolve'],
    ]);
    expect(all[1]).toMatchObject({
      target: 'c-17',
      before: { value: 'a***@e***.no' },
      after: { take: 'crm' },
    });
    expect(all[0]).toMatchObject({ target: null, before: null });
    expect((await store.auditLog({ actor: 'alice', limit: 10 })).map((item) => item.action)).toEqual([
      'session.sign-in',
      'conflict.resolve',
    ]);
    const window = await store.auditLog({
      action: 'conflict.resolve',
      since: '2026-03-02T09:30:00.000Z',
      until: '2026-03-02T11:00:00.000Z',
      limit: 10,
    });
    expect(window.map((item) => item.actor)).toEqual(['bob']);
    expect(await store.auditLog({ limit: 1 })).toHaveLength(1);
  });
});
