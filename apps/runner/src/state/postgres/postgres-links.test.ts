import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import {
  describeWithPostgres,
  type StateBackend,
  stateBackends,
  useStateLocation,
} from '../../test-support/state-backends.js';

const postgres = stateBackends.find((backend) => backend.name === 'PostgreSQL');

/** Waits until a connection to the location's database waits for a lock (30 s at most). */
async function untilSomeoneWaitsForALock(backend: StateBackend, location: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; ; await sleep(10)) {
    if (Date.now() > deadline) throw new Error('no connection to the database waited for a lock');
    const waiting = await backend.rows(
      location,
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (waiting.length > 0) return;
  }
}

describeWithPostgres('PostgreSQL links: merging fingerprints from two instances', () => {
  if (postgres === undefined) throw new Error('no PostgreSQL backend in stateBackends');
  const state = useStateLocation(postgres);

  it('keeps both merges when a second instance merges into a link while a transaction holds it', async () => {
    const first = await state.open();
    const second = await state.open();
    await first.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: { name: 'a' } });
    let merged!: () => void;
    const mergedInFirst = new Promise<void>((resolve) => {
      merged = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = first.transaction(async () => {
      await first.mergeFingerprints('customer', '101', { phone: 'b' });
      merged();
      await released;
    });
    await mergedInFirst;
    // The first transaction's UPDATE holds the row: this merge waits for its commit, then merges into its result
    // (a merge that read the row before it waited would write back what it read, losing the first merge).
    const later = second.mergeFingerprints('customer', '101', { email: 'c', name: 'd' });
    await untilSomeoneWaitsForALock(postgres, state.location);
    release();
    await held;
    await later;
    expect((await second.linksByCrmIds('customer', ['101']))[0]?.fingerprints).toEqual({
      name: 'd',
      phone: 'b',
      email: 'c',
    });
  });

  it('names the link it did not find, and changes nothing', async () => {
    const store = await state.open();
    await store.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: { name: 'a' } });
    await expect(store.mergeFingerprints('contact', '101', { name: 'b' })).rejects.toThrow(
      'no contact link for HubSpot record 101',
    );
    expect((await store.linksByCrmIds('customer', ['101']))[0]?.fingerprints).toEqual({ name: 'a' });
  });
});
