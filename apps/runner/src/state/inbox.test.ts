import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from './sqlite-state-store.js';
import type { InboxEvent, StateStore } from './state-store.js';

let directory: string;
let store: StateStore;

const event = (key: string, overrides: Partial<InboxEvent> = {}): InboxEvent => ({
  system: 'hubspot',
  dedupeKey: key,
  entity: 'customer',
  recordId: '101',
  kind: 'changed',
  occurredAt: '2026-12-02T08:00:00.000Z',
  ownEcho: false,
  related: [],
  ...overrides,
});

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-inbox-'));
  store = openSqliteStateStore(join(directory, 'state.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the inbox of the state store', () => {
  it('stores a redelivered event once, pending or settled', async () => {
    expect(await store.enqueueEvents([event('a'), event('a'), event('b')], '2026-12-02T08:00:01.000Z')).toBe(
      2,
    );
    expect(await store.enqueueEvents([event('a')], '2026-12-02T08:00:02.000Z')).toBe(0);
    await store.settleEvents(['a'], '2026-12-02T08:00:03.000Z');
    expect(await store.enqueueEvents([event('a')], '2026-12-02T08:00:04.000Z')).toBe(0);
    expect((await store.pendingEvents(10)).map((pending) => pending.dedupeKey)).toEqual(['b']);
    expect(await store.inboxDepth()).toBe(1);
  });

  it('gives pending events oldest first with every field as stored, and survives a reopen', async () => {
    const merged = event('m', {
      kind: 'merged',
      recordId: '300',
      related: [{ entity: 'customer', recordId: '101' }],
      ownEcho: true,
    });
    const visma = event('v', { system: 'visma-nxt', entity: null, recordId: '5001', occurredAt: null });
    await store.enqueueEvents([visma], '2026-12-02T08:00:02.000Z');
    await store.enqueueEvents([merged], '2026-12-02T08:00:01.000Z');
    await store.close();
    store = openSqliteStateStore(join(directory, 'state.db'));
    await store.migrate();
    expect(await store.pendingEvents(10)).toEqual([
      { ...merged, receivedAt: '2026-12-02T08:00:01.000Z' },
      { ...visma, receivedAt: '2026-12-02T08:00:02.000Z' },
    ]);
    expect(await store.pendingEvents(1)).toHaveLength(1);
  });

  it('prunes only events settled before the instant, never pending ones', async () => {
    await store.enqueueEvents([event('old'), event('new'), event('pending')], '2026-12-01T00:00:00.000Z');
    await store.settleEvents(['old'], '2026-12-01T01:00:00.000Z');
    await store.settleEvents(['new'], '2026-12-02T01:00:00.000Z');
    expect(await store.pruneEvents('2026-12-02T00:00:00.000Z')).toBe(1);
    // Pruned: a redelivery is stored again (and synced again, harmlessly); the settled one still is not.
    expect(await store.enqueueEvents([event('old'), event('new')], '2026-12-02T02:00:00.000Z')).toBe(1);
    expect((await store.pendingEvents(10)).map((pending) => pending.dedupeKey).sort()).toEqual([
      'old',
      'pending',
    ]);
  });

  it('stores and settles inside a transaction all or nothing', async () => {
    await expect(
      store.transaction(async () => {
        await store.enqueueEvents([event('t')], '2026-12-02T08:00:00.000Z');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.inboxDepth()).toBe(0);
  });
});
