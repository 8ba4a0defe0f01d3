import { beforeEach, expect, it } from 'vitest';
import { describeStateBackends, useStateLocation } from '../test-support/state-backends.js';
import type { StateStore } from './state-store.js';

// The StateStore contract, on every backend (SQLite in a temporary folder, PostgreSQL on a fresh database).
describeStateBackends('state store', (backend) => {
  const state = useStateLocation(backend);
  let now = Date.parse('2026-11-24T10:00:00Z');
  const store = () => state.open(() => new Date(now));
  beforeEach(() => {
    now = Date.parse('2026-11-24T10:00:00Z');
  });

  it('migrates once, and keeps what it stored after reopening', async () => {
    const first = await store();
    await first.migrate();
    await first.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: { name: 'abc' } });
    await first.setWatermark('hubspot:companies', '2026-11-24T09:00:00.000Z');
    await state.closeAll();
    const again = await store();
    expect(await again.linksByCrmIds('customer', ['101'])).toMatchObject([
      { crmId: '101', associateNo: 7, status: 'active', fingerprints: { name: 'abc' } },
    ]);
    expect(await again.getWatermark('hubspot:companies')).toBe('2026-11-24T09:00:00.000Z');
  });

  it('finds links from either side, merges fingerprints, and never links a record twice', async () => {
    const state = await store();
    await state.insertLink('customer', {
      crmId: '101',
      associateNo: 7,
      fingerprints: { name: 'a', phone: 'b' },
    });
    await state.insertLink('contact', { crmId: '101', associateNo: 8, fingerprints: {} });
    await state.mergeFingerprints('customer', '101', { phone: 'c', '*': 'd' });
    expect((await state.linksByAssociateNos('customer', [7]))[0]?.fingerprints).toEqual({
      name: 'a',
      phone: 'c',
      '*': 'd',
    });
    await expect(
      state.insertLink('customer', { crmId: '102', associateNo: 7, fingerprints: {} }),
    ).rejects.toThrow();
    await expect(
      state.insertLink('customer', { crmId: '101', associateNo: 9, fingerprints: {} }),
    ).rejects.toThrow();
    await expect(state.mergeFingerprints('customer', '999', {})).rejects.toThrow(/no customer link/);
    expect(await state.linksByCrmIds('customer', [])).toEqual([]);
    expect(await state.linksByAssociateNos('customer', [])).toEqual([]);
    expect((await state.linksByCrmIds('customer', ['101', '102', '101'])).map((link) => link.crmId)).toEqual([
      '101',
    ]);
  });

  it('stamps links with the store clock and pages them by HubSpot id', async () => {
    const state = await store();
    for (const [crmId, associateNo] of [
      ['b', 2],
      ['a', 1],
      ['B', 3],
      ['a-1', 4],
    ] as const)
      await state.insertLink('customer', { crmId, associateNo, fingerprints: {} });
    // Bytewise order on every backend: upper case before lower case, 'a' before 'a-1'.
    const first = await state.allLinks('customer', null, 2);
    expect(first.map((link) => link.crmId)).toEqual(['B', 'a']);
    expect((await state.allLinks('customer', 'a', 10)).map((link) => link.crmId)).toEqual(['a-1', 'b']);
    expect(first[0]?.updatedAt).toBe('2026-11-24T10:00:00.000Z');
    now += 5_000;
    await state.mergeFingerprints('customer', 'a', { name: 'x' });
    expect((await state.linksByCrmIds('customer', ['a']))[0]?.updatedAt).toBe('2026-11-24T10:00:05.000Z');
  });

  it('marks orphaned links and moves a link to a merge survivor', async () => {
    const state = await store();
    await state.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: {} });
    await state.insertLink('customer', { crmId: '102', associateNo: 8, fingerprints: {} });
    await state.markOrphaned('customer', { crmId: '102', associateNo: 8 }, 'archived-in-hubspot');
    await state.moveLink('customer', '101', '103');
    const links = await state.allLinks('customer', null, 10);
    expect(links.map((link) => [link.crmId, link.associateNo, link.status, link.statusReason])).toEqual([
      ['102', 8, 'orphaned', 'archived-in-hubspot'],
      ['103', 7, 'active', null],
    ]);
    expect(await state.allLinks('customer', '102', 10)).toHaveLength(1);
    // A survivor linked already keeps its link; the absorbed record's goes.
    await state.moveLink('customer', '102', '103');
    expect(
      (await state.allLinks('customer', null, 10)).map((link) => [link.crmId, link.associateNo]),
    ).toEqual([['103', 7]]);
  });

  it('records an orphaned link read back from the systems, reactivates a restored one, never takes a linked row', async () => {
    const state = await store();
    await state.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: {} });
    await state.markOrphaned('customer', { crmId: '201', associateNo: 9 }, 'deleted-in-business-nxt');
    await state.markOrphaned('customer', { crmId: '202', associateNo: 7 }, 'archived-in-hubspot');
    await state.markOrphaned('customer', { crmId: '101', associateNo: 7 }, 'archived-in-hubspot');
    await state.reactivateLink('customer', '101');
    const links = await state.allLinks('customer', null, 10);
    expect(links.map((link) => [link.crmId, link.associateNo, link.status, link.statusReason])).toEqual([
      ['101', 7, 'active', null],
      ['201', 9, 'orphaned', 'deleted-in-business-nxt'],
    ]);
  });

  it('keeps create intents until they are resolved', async () => {
    const state = await store();
    await state.recordIntent({
      id: 'i1',
      entity: 'customer',
      target: 'visma-nxt',
      sourceId: '101',
      correlationKey: 'org:923609016',
      createdAt: '2026-11-24T10:00:00Z',
    });
    await state.recordIntent({
      id: 'i2',
      entity: 'contact',
      target: 'hubspot',
      sourceId: '8',
      correlationKey: 'email:kari@a.no',
      createdAt: '2026-11-24T10:00:01Z',
    });
    await state.resolveIntent('i1', { status: 'created', resultId: '7' });
    expect(await state.pendingIntents()).toEqual([
      {
        id: 'i2',
        entity: 'contact',
        target: 'hubspot',
        sourceId: '8',
        correlationKey: 'email:kari@a.no',
        createdAt: '2026-11-24T10:00:01Z',
        status: 'pending',
        resultId: null,
      },
    ]);
    await expect(
      state.recordIntent({
        id: 'i2',
        entity: 'contact',
        target: 'hubspot',
        sourceId: '9',
        correlationKey: 'email:ola@a.no',
        createdAt: '2026-11-24T10:00:02Z',
      }),
    ).rejects.toThrow();
    await state.resolveIntent('i2', { status: 'abandoned', resultId: null });
    expect(await state.pendingIntents()).toEqual([]);
  });

  it('opens one conflict per field until it is resolved', async () => {
    const state = await store();
    const conflict = {
      id: 'c1',
      entity: 'contact' as const,
      crmId: '201',
      associateNo: 8,
      field: 'email',
      reason: 'both-changed',
      baseFingerprint: 'fp',
      createdAt: '2026-11-24T10:00:00Z',
    };
    await state.openConflict(conflict);
    await state.openConflict({ ...conflict, id: 'c2' });
    expect((await state.conflicts('open')).map((open) => open.id)).toEqual(['c1']);
    expect(await state.resolveConflict('c1', 'crm')).toMatchObject({ status: 'resolved', resolution: 'crm' });
    expect(await state.conflicts('open')).toEqual([]);
    expect(await state.resolveConflict('c1', 'erp')).toMatchObject({ resolution: 'crm' });
    expect(await state.resolveConflict('missing', 'erp')).toBeNull();
    await state.openConflict({ ...conflict, id: 'c3', createdAt: '2026-11-24T11:00:00Z' });
    expect((await state.conflicts('all')).map((found) => [found.id, found.status])).toEqual([
      ['c1', 'resolved'],
      ['c3', 'open'],
    ]);
    expect((await state.conflicts('resolved')).map((found) => found.id)).toEqual(['c1']);
  });

  it('keeps per-record errors with first and last seen, until cleared', async () => {
    const state = await store();
    const error = {
      entity: 'customer' as const,
      system: 'hubspot',
      recordId: '104',
      field: 'orgNumber',
      rule: 'org-number-check-digit',
      message: 'orgNumber fails the mod-11 check digit',
      seenAt: '2026-11-24T10:00:00Z',
    };
    await state.recordError(error);
    await state.recordError({
      ...error,
      seenAt: '2026-11-24T11:00:00Z',
      related: 'visma-nxt 7',
      fixIn: 'either',
    });
    expect(await state.errors()).toEqual([
      {
        ...error,
        seenAt: '2026-11-24T11:00:00Z',
        related: 'visma-nxt 7',
        fixIn: 'either',
        firstSeenAt: '2026-11-24T10:00:00Z',
        lastSeenAt: '2026-11-24T11:00:00Z',
      },
    ]);
    // Only errors last seen before the instant are stale.
    await state.clearErrors('customer', 'hubspot', '104', '2026-11-24T11:00:00Z');
    expect(await state.errors()).toHaveLength(1);
    await state.clearErrors('customer', 'hubspot', '104', '2026-11-24T11:00:01Z');
    expect(await state.errors()).toEqual([]);
    await state.recordError(error);
    await state.clearErrors('customer', 'hubspot', '104');
    expect(await state.errors()).toEqual([]);
  });

  it('records runs with counts and API calls, newest first', async () => {
    const state = await store();
    await state.startRun({ id: 'r1', startedAt: '2026-11-24T10:00:00Z', mode: 'full' });
    await state.finishRun({
      id: 'r1',
      finishedAt: '2026-11-24T10:01:00Z',
      exitCode: 0,
      counts: { 'create-erp': 2 },
      apiCalls: { hubspot: 4, 'visma-nxt': 3 },
    });
    await state.startRun({ id: 'r2', startedAt: '2026-11-24T11:00:00Z', mode: 'incremental' });
    expect(await state.runs(5)).toEqual([
      {
        id: 'r2',
        mode: 'incremental',
        startedAt: '2026-11-24T11:00:00Z',
        finishedAt: null,
        exitCode: null,
        counts: {},
        apiCalls: {},
      },
      {
        id: 'r1',
        mode: 'full',
        startedAt: '2026-11-24T10:00:00Z',
        finishedAt: '2026-11-24T10:01:00Z',
        exitCode: 0,
        counts: { 'create-erp': 2 },
        apiCalls: { hubspot: 4, 'visma-nxt': 3 },
      },
    ]);
    expect(await state.runs(1)).toHaveLength(1);
  });

  it('records the binding once, keeps the first one, and adds its table to a state made before it', async () => {
    const first = await store();
    expect(await first.binding()).toBeNull();
    const binding = { hubspotPortalId: 111, vismaCompanyNo: 9112233, boundAt: '2026-11-24T10:00:00.000Z' };
    expect(await first.bind(binding)).toEqual(binding);
    const two = await store();
    expect(
      await two.bind({ hubspotPortalId: 222, vismaCompanyNo: 2, boundAt: '2026-11-25T10:00:00.000Z' }),
    ).toEqual(binding);
    expect(await two.binding()).toEqual(binding);

    // A state from before version 2: the next migrate adds the table, and nothing is bound yet.
    await state.closeAll();
    await backend.execute(state.location, 'DROP TABLE bindings');
    await backend.execute(state.location, 'DELETE FROM schema_migrations WHERE version = 2');
    expect(await (await store()).binding()).toBeNull();
  });

  it('binds once when two instances bind at the same moment', async () => {
    const [one, two] = [await store(), await store()];
    const a = { hubspotPortalId: 111, vismaCompanyNo: 1, boundAt: '2026-11-24T10:00:00.000Z' };
    const b = { hubspotPortalId: 222, vismaCompanyNo: 2, boundAt: '2026-11-24T10:00:00.000Z' };
    const [answerOne, answerTwo] = await Promise.all([one.bind(a), two.bind(b)]);
    expect(answerOne).toEqual(answerTwo);
    expect(await one.binding()).toEqual(answerOne);
  });

  it('lets one holder take the cycle lock at a time, across connections, until it is released or expires', async () => {
    const one = await store();
    const two = await store();
    expect(await one.acquireLock({ id: 'a', description: 'host-a pid 1' }, 60_000)).toEqual({ ok: true });
    expect(await two.acquireLock({ id: 'b', description: 'host-b pid 2' }, 60_000)).toEqual({
      ok: false,
      holder: { id: 'a', description: 'host-a pid 1' },
    });
    // The holder takes it again (renews it); another holder's release does nothing.
    expect(await one.acquireLock({ id: 'a', description: 'host-a pid 1' }, 60_000)).toEqual({ ok: true });
    await two.releaseLock('b');
    expect((await two.acquireLock({ id: 'b', description: 'host-b pid 2' }, 60_000)).ok).toBe(false);
    await one.releaseLock('a');
    expect(await two.acquireLock({ id: 'b', description: 'host-b pid 2' }, 60_000)).toEqual({ ok: true });
    now += 61_000;
    expect(await one.acquireLock({ id: 'a', description: 'host-a pid 1' }, 60_000)).toEqual({ ok: true });
  });

  it('gives the cycle lock to exactly one of two instances asking at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const [one, two] = [await store(), await store()];
      const answers = await Promise.all([
        one.acquireLock({ id: `a${round}`, description: 'host-a' }, 60_000),
        two.acquireLock({ id: `b${round}`, description: 'host-b' }, 60_000),
      ]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      const refused = answers.find((answer) => !answer.ok);
      const winner = answers[0]?.ok ? `a${round}` : `b${round}`;
      expect(refused).toMatchObject({ ok: false, holder: { id: winner } });
      await one.releaseLock(winner);
      await two.releaseLock(winner);
    }
  });

  it('moves watermarks with their context, and answers null for none', async () => {
    const state = await store();
    expect(await state.getWatermark('hubspot:contacts')).toBeNull();
    expect(await state.watermarkContext('hubspot:contacts')).toBeNull();
    await state.setWatermark('hubspot:contacts', '2026-11-24T09:00:00.000Z', {
      probedAt: '2026-11-24T10:00:00.000Z',
      seen: { '201': '2026-11-24T08:59:00.000Z' },
    });
    expect(await state.watermarkContext('hubspot:contacts')).toEqual({
      probedAt: '2026-11-24T10:00:00.000Z',
      seen: { '201': '2026-11-24T08:59:00.000Z' },
    });
    await state.setWatermark('hubspot:contacts', '2026-11-24T09:30:00.000Z');
    expect(await state.getWatermark('hubspot:contacts')).toBe('2026-11-24T09:30:00.000Z');
    expect(await state.watermarkContext('hubspot:contacts')).toBeNull();
  });

  it('keeps contacts owed to linked customers, oldest first, until settled', async () => {
    const state = await store();
    await state.oweContacts({ crmId: '101', associateNo: 7 });
    now += 1_000;
    await state.oweContacts({ crmId: '100', associateNo: 6 });
    await state.oweContacts({ crmId: '102', associateNo: 8 });
    now += 1_000;
    await state.oweContacts({ crmId: '101', associateNo: 7 });
    expect(await state.owedContacts()).toEqual([
      { crmId: '100', associateNo: 6 },
      { crmId: '102', associateNo: 8 },
      { crmId: '101', associateNo: 7 },
    ]);
    await state.settleOwedContacts([
      { crmId: '100', associateNo: 6 },
      { crmId: '101', associateNo: 99 },
    ]);
    await state.settleOwedContacts([]);
    expect(await state.owedContacts()).toEqual([
      { crmId: '102', associateNo: 8 },
      { crmId: '101', associateNo: 7 },
    ]);
  });
});

describeStateBackends('state store transactions', (backend) => {
  const state = useStateLocation(backend);
  let store: StateStore;
  beforeEach(async () => {
    store = await state.open();
  });
  const link = (crmId: string, associateNo: number) =>
    store.insertLink('customer', { crmId, associateNo, fingerprints: {} });

  it('commits every call made inside, and answers what the work answered', async () => {
    const answer = await store.transaction(async () => {
      await link('101', 7);
      await store.oweContacts({ crmId: '101', associateNo: 7 });
      await store.mergeFingerprints('customer', '101', { name: 'a' });
      return 'done';
    });
    expect(answer).toBe('done');
    expect((await store.linksByCrmIds('customer', ['101']))[0]?.fingerprints).toEqual({ name: 'a' });
    expect(await store.owedContacts()).toEqual([{ crmId: '101', associateNo: 7 }]);
  });

  it('leaves nothing behind when the work throws, including what nested calls and methods of several statements did', async () => {
    await link('100', 6);
    await expect(
      store.transaction(async () => {
        await link('101', 7);
        await store.markOrphaned('customer', { crmId: '100', associateNo: 6 }, 'archived-in-hubspot');
        await store.moveLink('customer', '101', '102');
        await store.transaction(async () => {
          await store.setWatermark('hubspot:companies', 'x');
          await store.excludeRecord({
            entity: 'customer',
            system: 'hubspot',
            recordId: '100',
            reason: null,
            excludedBy: 'cli:kari',
            excludedAt: '2026-11-24T10:00:00.000Z',
          });
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await store.allLinks('customer', null, 10)).map((found) => [found.crmId, found.status])).toEqual([
      ['100', 'active'],
    ]);
    expect(await store.getWatermark('hubspot:companies')).toBeNull();
    expect(await store.exclusions()).toEqual([]);
  });

  it('rolls back when a statement inside fails, and the store works on afterwards', async () => {
    await link('100', 6);
    await expect(
      store.transaction(async () => {
        await link('101', 7);
        await link('102', 6);
      }),
    ).rejects.toThrow();
    expect((await store.allLinks('customer', null, 10)).map((found) => found.crmId)).toEqual(['100']);
    await link('101', 7);
    expect(await store.allLinks('customer', null, 10)).toHaveLength(2);
  });

  it('keeps another instance from seeing the work until it commits', async () => {
    const other = await state.open();
    let seenInside: number | undefined;
    await store.transaction(async () => {
      await link('101', 7);
      seenInside = (await other.allLinks('customer', null, 10)).length;
    });
    // SQLite's writer holds the file; PostgreSQL's readers see the last commit: neither sees the uncommitted link.
    expect(seenInside).toBe(0);
    expect(await other.allLinks('customer', null, 10)).toHaveLength(1);
  });
});
