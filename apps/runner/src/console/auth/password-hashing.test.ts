import { describe, expect, it } from 'vitest';
import { normalizeUserName, passwordProblem, userNameProblem } from './account-rules.js';
import {
  defaultScryptParameters,
  hashPassword,
  verifyPassword,
  verifyWithoutAccount,
} from './password-hashing.js';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('stores scrypt$N$r$p$salt$hash with the default cost, and verifies the password it was made from', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(defaultScryptParameters).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/u);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  it('salts every hash anew', async () => {
    const first = await hashPassword('the same password twice', cheap);
    const second = await hashPassword('the same password twice', cheap);
    expect(first).not.toBe(second);
    expect(await verifyPassword('the same password twice', second)).toBe(true);
  });

  it('verifies with the cost a hash carries, so raising the default keeps old hashes valid', async () => {
    const stored = await hashPassword('an older cheaper hash', cheap);
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('an older cheaper hash', stored)).toBe(true);
  });

  it('hashes the same characters alike however they were composed (NFKC)', async () => {
    const stored = await hashPassword('blåbærsyltetøy på brødskiva', cheap);
    expect(await verifyPassword('bla\u030abærsyltetøy på brødskiva', stored)).toBe(true);
  });

  it('never verifies against a malformed or tampered hash', async () => {
    const stored = await hashPassword('a password of some length', cheap);
    const [, , r, p, salt, key] = stored.split('$');
    for (const bad of [
      '',
      'plaintext',
      `bcrypt$1024$${r}$${p}$${salt}$${key}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`,
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`,
      `scrypt$1024$${r}$${p}$${salt}$`,
      `${stored}$extra`,
    ])
      expect(await verifyPassword('a password of some length', bad)).toBe(false);
  });

  it('answers false for a name without an account', async () => {
    expect(await verifyWithoutAccount('anything at all', cheap)).toBe(false);
  });
});

describe('account rules', () => {
  it('refuses passwords under 12 characters, naming the user and the rule', () => {
    expect(passwordProblem('alice', 'short pass!')).toBe(
      'password for user "alice": it has 11 characters and must have at least 12 (a few unrelated words make a good one)',
    );
    expect(passwordProblem('alice', 'twelve chars')).toBeNull();
    // Characters, not bytes: 12 letters of two bytes each are 12.
    expect(passwordProblem('alice', 'æøåæøåæøåæøå')).toBeNull();
    expect(passwordProblem('alice', 'x'.repeat(1025))).toContain('at most 1024');
  });

  it('keeps names lowercase and refuses names outside the rule', () => {
    expect(normalizeUserName('  Alice ')).toBe('alice');
    expect(userNameProblem('ops.team@example')).toBeNull();
    expect(userNameProblem('bad name')).toContain('user name "bad name": must be 1 to 64 letters');
    expect(userNameProblem('-leading')).not.toBeNull();
    expect(userNameProblem('')).not.toBeNull();
  });
});
