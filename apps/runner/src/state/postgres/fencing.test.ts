import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { dropDatabase, freshDatabase } from '../../test-support/postgres-server.js';
import { describeWithPostgres } from '../../test-support/state-backends.js';
import type { InboxEvent, StateStore } from '../state-store.js';
import { claimLeadership, FencedError } from './fencing.js';
import { openPostgresStateStore } from './postgres-state-store.js';

const inboxEvent: InboxEvent = {
  system: 'hubspot',
  dedupeKey: 'e1',
  entity: 'customer',
  recordId: '101',
  kind: 'changed',
  occurredAt: null,
  ownEcho: false,
  related: [],
};

describeWithPostgres('fencing writes with the leadership generation', () => {
  let url: string;
  let admin: pg.Client;
  const opened: StateStore[] = [];
  /** A store whose fence answers whatever `generation.value` holds at the time of each write. */
  const fencedStore = (generation: { value: bigint | null }) => {
    const store = openPostgresStateStore(url, { fence: () => generation.value });
    opened.push(store);
    return store;
  };
  const links = async () =>
    (await admin.query<{ crm_id: string }>('SELECT crm_id FROM links ORDER BY crm_id')).rows.map(
      (row) => row.crm_id,
    );
  /** Waits until a backend of the database waits for a lock (30 s at most: then nothing is waiting). */
  const untilSomeoneWaitsForALock = async () => {
    for (const deadline = Date.now() + 30_000; ; ) {
      if (Date.now() > deadline) throw new Error('no connection to the database waited for a lock');
      const waiting = await admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if ((waiting.rowCount ?? 0) > 0) return;
      await sleep(10);
    }
  };

  beforeEach(async () => {
    url = await freshDatabase({ migrated: true });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await admin.end();
    await dropDatabase(url);
  });

  it('refuses an old generation’s writes after a claim, and keeps its reads and its inbox working', async () => {
    const first = { value: await claimLeadership(admin, 'instance-a') };
    expect(first.value).toBe(1n);
    const leader = fencedStore(first);
    await leader.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: {} });
    await leader.transaction(() => leader.oweContacts({ crmId: '101', associateNo: 7 }));

    expect(await claimLeadership(admin, 'instance-b')).toBe(2n);
    const refused = leader.insertLink('customer', { crmId: '102', associateNo: 8, fingerprints: {} });
    await expect(refused).rejects.toThrow(FencedError);
    await expect(refused).rejects.toThrow(
      "this instance's leadership generation is 1, the current one is 2: another instance leads now",
    );
    await expect(
      leader.transaction(async () => {
        await leader.setWatermark('hubspot:companies', 'x');
      }),
    ).rejects.toThrow(FencedError);
    await expect(leader.acquireLock({ id: 'a', description: 'host-a' }, 60_000)).rejects.toThrow(FencedError);
    expect(await links()).toEqual(['101']);
    expect(await leader.getWatermark('hubspot:companies')).toBeNull();
    expect((await leader.linksByCrmIds('customer', ['101'])).map((link) => link.crmId)).toEqual(['101']);
    expect(await leader.enqueueEvents([inboxEvent], '2026-12-02T08:00:00.000Z')).toBe(1);

    // The new leader writes; a store without a fence (or whose fence answers null) is not checked.
    const next = fencedStore({ value: 2n });
    await next.insertLink('customer', { crmId: '103', associateNo: 9, fingerprints: {} });
    await fencedStore({ value: null }).insertLink('customer', {
      crmId: '104',
      associateNo: 10,
      fingerprints: {},
    });
    expect(await links()).toEqual(['101', '103', '104']);
  });

  it('refuses every write while no leader is recorded, naming that', async () => {
    const store = fencedStore({ value: 1n });
    await expect(store.releaseLock('a')).rejects.toThrow('the current one is none (no leader recorded)');
  });

  it('lets a claim wait for a fenced transaction in flight: the old generation commits before it, never after', async () => {
    const generation = { value: await claimLeadership(admin, 'instance-a') };
    const leader = fencedStore(generation);
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let wrote: () => void = () => undefined;
    const written = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    const inFlight = leader.transaction(async () => {
      await leader.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: {} });
      wrote();
      await gate;
      await leader.insertLink('customer', { crmId: '102', associateNo: 8, fingerprints: {} });
    });
    await written;
    const claimant = new pg.Client({ connectionString: url });
    await claimant.connect();
    try {
      const claim = claimLeadership(claimant, 'instance-b');
      await untilSomeoneWaitsForALock();
      finish();
      await inFlight;
      expect(await claim).toBe(2n);
      // Everything the old generation wrote in flight is there; its next write is refused.
      expect(await links()).toEqual(['101', '102']);
      await expect(
        leader.insertLink('customer', { crmId: '103', associateNo: 9, fingerprints: {} }),
      ).rejects.toThrow(FencedError);
      expect(await links()).toEqual(['101', '102']);
    } finally {
      finish();
      await inFlight.catch(() => undefined);
      await claimant.end();
    }
  });

  it('fails an old generation’s write that waited for a claim in flight, writing nothing', async () => {
    const generation = { value: await claimLeadership(admin, 'instance-a') };
    const leader = fencedStore(generation);
    const claimant = new pg.Client({ connectionString: url });
    await claimant.connect();
    try {
      await claimant.query('BEGIN');
      expect(await claimLeadership(claimant, 'instance-b')).toBe(2n);
      const write = leader.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: {} });
      const settled = write.then(
        () => 'written',
        (error: unknown) => error,
      );
      await untilSomeoneWaitsForALock();
      await claimant.query('COMMIT');
      expect(await settled).toBeInstanceOf(FencedError);
      expect(await links()).toEqual([]);
    } finally {
      await claimant.end();
    }
  });
});
