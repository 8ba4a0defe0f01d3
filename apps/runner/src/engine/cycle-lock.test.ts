import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { LockHeldError, takeCycleLock } from './cycle-lock.js';

// The lock's clock is faked: the store reads `new Date()`, the renewal runs on `setInterval`.
const logger = pino({ level: 'silent' });
const ttlMs = 60_000;
let directory: string;
let store: StateStore;
beforeEach(async () => {
  vi.useFakeTimers();
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-lock-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
});
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const other = { id: 'other-host/1/b', description: 'crm-sync pid 1 on other-host' };

it('keeps the lock of a cycle that runs longer than the lock lasts, and lets go on release', async () => {
  const lock = await takeCycleLock(store, { id: 'this-host/1/a', description: 'cycle a' }, logger, ttlMs);
  await vi.advanceTimersByTimeAsync(5 * ttlMs);
  await expect(takeCycleLock(store, other, logger, ttlMs)).rejects.toThrow(LockHeldError);
  await lock.release();
  // Released: no renewal brings it back.
  await vi.advanceTimersByTimeAsync(ttlMs);
  const next = await takeCycleLock(store, other, logger, ttlMs);
  await next.release();
});

it('names the holder to a second cycle, and lets a holder that stopped renewing expire', async () => {
  expect(await store.acquireLock(other, ttlMs)).toEqual({ ok: true });
  await expect(
    takeCycleLock(store, { id: 'this-host/2/c', description: 'c' }, logger, ttlMs),
  ).rejects.toThrow('another cycle is running (crm-sync pid 1 on other-host)');
  await vi.advanceTimersByTimeAsync(ttlMs + 1);
  const lock = await takeCycleLock(store, { id: 'this-host/2/c', description: 'c' }, logger, ttlMs);
  await lock.release();
});

it('takes over at once from a holder on this machine whose process is gone', async () => {
  const dead = { id: `${hostname()}/999999999/d`, description: 'crm-sync pid 999999999' };
  expect(await store.acquireLock(dead, ttlMs)).toEqual({ ok: true });
  const lock = await takeCycleLock(
    store,
    { id: `${hostname()}/${process.pid}/e`, description: 'e' },
    logger,
    ttlMs,
  );
  await lock.release();
});
