import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findPostgresBinaries } from './postgres-binaries.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'crm-sync-binaries-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const program = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
};

it('says PostgreSQL is missing, naming where it looked and what to do', () => {
  const answer = findPostgresBinaries({ PATH: join(folder, 'bin') }, join(folder, 'versions'));
  expect(answer).toEqual({
    found: false,
    reason: `PostgreSQL is not installed: no initdb and pg_ctl on PATH or in ${join(folder, 'versions')}/*/bin (install Debian's postgresql package, or set CRM_SYNC_TEST_POSTGRES_URL to a server to use)`,
  });
});

it('takes PATH first, then the newest Debian version with both programs', () => {
  for (const version of ['9.6', '15', '16']) program(join(folder, 'versions', version, 'bin', 'initdb'));
  for (const version of ['9.6', '15']) program(join(folder, 'versions', version, 'bin', 'pg_ctl'));
  const debian = findPostgresBinaries({ PATH: '' }, join(folder, 'versions'));
  expect(debian.found && debian.binaries.initdb).toBe(join(folder, 'versions', '15', 'bin', 'initdb'));
  program(join(folder, 'bin', 'initdb'));
  program(join(folder, 'bin', 'pg_ctl'));
  const fromPath = findPostgresBinaries({ PATH: join(folder, 'bin') }, join(folder, 'versions'));
  expect(fromPath.found && fromPath.binaries.pgCtl).toBe(join(folder, 'bin', 'pg_ctl'));
  // initdb refuses root: as root the programs run as the postgres user.
  expect(fromPath.found && fromPath.binaries.runAs).toBe(process.getuid?.() === 0 ? 'postgres' : null);
});
