import { beforeEach, expect, it } from 'vitest';
import { describeStateBackends, useStateLocation } from '../test-support/state-backends.js';
import type { InboxEvent, StateStore } from './state-store.js';

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

describeStateBackends('the inbox of the state store', (backend) => {
  const state = useStateLocation(backend);
  let store: StateStore;
  beforeEach(async () => {
    store = await state.open();
  });

  it('stores a redelivered event once, pending or settled', async () => {
    expect(await store.enqueueEvents([event('a'), event('a'), event('b')], '2026-12-02T08:00:01.000Z')).toBe(
      2,
    );
    expect(await store.enqueueEvents([event('a')], '2026-12-02T08:00:02.000Z')).toBe(0);
    await store.settleEvents(['a'], '2026-12-02T08:00:03.000Z');
    expect(await store.enqueueEvents([event('a')], '2026-12-02T08:00:04.000Z')).toBe(0);
    expect((await store.pendingEvents(10)).map((pending) => pending.dedupeKey)).toEqual(['b']);
    expect(await store.inboxDepth()).toBe(1);
    expect(await store.enqueueEvents([], '2026-12-02T08:00:05.000Z')).toBe(0);
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
    await state.closeAll();
    store = await state.open();
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
    // Settling again does not move the instant it was settled at.
    await store.settleEvents(['new', 'unknown'], '2026-12-03T01:00:00.000Z');
    expect(await store.pruneEvents('2026-12-02T00:00:00.000Z')).toBe(1);
    // Pruned: a redelivery is stored again (and synced again, harmlessly); the settled one still is not.
    expect(await store.enqueueEvents([event('old'), event('new')], '2026-12-02T02:00:00.000Z')).toBe(1);
    expect((await store.pendingEvents(10)).map((pending) => pending.dedupeKey).sort()).toEqual([
      'old',
      'pending',
    ]);
    expect(await store.pruneEvents('2026-12-02T02:00:00.000Z')).toBe(1);
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

  it('stores each key once when two instances store overlapping deliveries at the same moment', async () => {
    const other = await state.open();
    const keys = Array.from({ length: 40 }, (_, index) => `k${String(index).padStart(2, '0')}`);
    const forward = keys.map((key) => event(key));
    const backward = [...forward].reverse();
    const stored = await Promise.all([
      store.enqueueEvents(forward, '2026-12-02T08:00:00.000Z'),
      other.enqueueEvents(backward, '2026-12-02T08:00:00.000Z'),
      other.enqueueEvents(forward.slice(10, 20), '2026-12-02T08:00:00.000Z'),
    ]);
    expect(stored.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
    expect(await store.inboxDepth()).toBe(keys.length);
    expect((await other.pendingEvents(100)).map((pending) => pending.dedupeKey)).toEqual(keys);
  });

  it('stores a delivery larger than one statement holds, all of it', async () => {
    const many = Array.from({ length: 2_500 }, (_, index) => event(`bulk-${index}`));
    expect(await store.enqueueEvents(many, '2026-12-02T08:00:00.000Z')).toBe(2_500);
    expect(await store.enqueueEvents(many.slice(0, 1_200), '2026-12-02T08:00:01.000Z')).toBe(0);
    expect(await store.inboxDepth()).toBe(2_500);
  });
});
