import { beforeEach, expect, it } from 'vitest';
import { describeStateBackends, useStateLocation } from '../test-support/state-backends.js';
import type { Exclusion, StateStore } from './state-store.js';

const exclusion = (overrides: Partial<Exclusion> = {}): Exclusion => ({
  entity: 'customer',
  system: 'hubspot',
  recordId: '101',
  reason: 'checking with accounting',
  excludedBy: 'cli:kari',
  excludedAt: '2026-12-02T08:00:00.000Z',
  ...overrides,
});

describeStateBackends('exclusions and separated pairs in the state store', (backend) => {
  const state = useStateLocation(backend);
  let store: StateStore;
  beforeEach(async () => {
    store = await state.open();
  });

  it('excludes a record once, lists it with who, when and why, and includes it again', async () => {
    expect(await store.excludeRecord(exclusion())).toBe(true);
    expect(await store.excludeRecord(exclusion({ excludedBy: 'cli:ola' }))).toBe(false);
    expect(
      await store.excludeRecord(
        exclusion({
          entity: 'contact',
          system: 'visma-nxt',
          recordId: '7',
          reason: null,
          excludedAt: '2026-12-02T09:00:00.000Z',
        }),
      ),
    ).toBe(true);
    expect(await store.exclusions('customer')).toEqual([exclusion()]);
    expect((await store.exclusions()).map((found) => found.recordId)).toEqual(['101', '7']);
    expect(await store.includeRecord('customer', 'hubspot', '101')).toEqual(exclusion());
    expect(await store.includeRecord('customer', 'hubspot', '101')).toBeNull();
    expect(await store.exclusions('customer')).toEqual([]);
  });

  it('keeps an exclusion after reopening, and rolls it back with its transaction', async () => {
    await store.excludeRecord(exclusion());
    await expect(
      store.transaction(async () => {
        await store.excludeRecord(exclusion({ recordId: '102' }));
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    await state.closeAll();
    store = await state.open();
    expect((await store.exclusions()).map((found) => found.recordId)).toEqual(['101']);
  });

  it('records a separated pair once, per entity', async () => {
    const pair = {
      entity: 'customer',
      crmId: '101',
      associateNo: 7,
      separatedBy: 'cli:kari',
      separatedAt: '2026-12-02T08:00:00.000Z',
    } as const;
    expect(await store.separatePair(pair)).toBe(true);
    expect(await store.separatePair({ ...pair, separatedBy: 'cli:ola' })).toBe(false);
    expect(await store.separatedPairs('customer')).toEqual([pair]);
    expect(await store.separatedPairs('contact')).toEqual([]);
  });
});
