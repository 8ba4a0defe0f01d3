import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from './sqlite-state-store.js';
import type { StateStore } from './state-store.js';

let directory: string;
let path: string;
const open: StateStore[] = [];
let now = Date.parse('2026-11-24T10:00:00Z');
const store = async () => {
  const opened = openSqliteStateStore(path, () => new Date(now));
  await opened.migrate();
  open.push(opened);
  return opened;
};

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-state-'));
  path = join(directory, 'nested', 'state.db');
  now = Date.parse('2026-11-24T10:00:00Z');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((opened) => opened.close()));
  rmSync(directory, { recursive: true, force: true });
});

describe('SQLite state store', () => {
  it('migrates once, creating the file and its folder, and keeps what it stored after reopening', async () => {
    const first = await store();
    await first.migrate();
    await first.insertLink('customer', { crmId: '101', associateNo: 7, fingerprints: { name: 'abc' } });
    await first.setWatermark('hubspot:companies', '2026-11-24T09:00:00.000Z');
    await first.close();
    open.splice(0);
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
    expect(await state.pendingIntents()).toMatchObject([
      { id: 'i2', target: 'hubspot', correlationKey: 'email:kari@a.no', status: 'pending' },
    ]);
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
    await state.recordError({ ...error, seenAt: '2026-11-24T11:00:00Z' });
    expect(await state.errors()).toMatchObject([
      { recordId: '104', firstSeenAt: '2026-11-24T10:00:00Z', lastSeenAt: '2026-11-24T11:00:00Z' },
    ]);
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
    expect(await state.runs(5)).toMatchObject([
      { id: 'r2', finishedAt: null },
      { id: 'r1', exitCode: 0, counts: { 'create-erp': 2 }, apiCalls: { hubspot: 4, 'visma-nxt': 3 } },
    ]);
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
    await Promise.all(open.splice(0).map((opened) => opened.close()));
    const raw = new Database(path);
    raw.exec('DROP TABLE bindings');
    raw.exec('DELETE FROM schema_migrations WHERE version = 2');
    raw.close();
    expect(await (await store()).binding()).toBeNull();
  });

  it('lets one holder take the cycle lock at a time, across connections, until it is released or expires', async () => {
    const one = await store();
    const two = await store();
    expect(await one.acquireLock({ id: 'a', description: 'host-a pid 1' }, 60_000)).toEqual({ ok: true });
    expect(await two.acquireLock({ id: 'b', description: 'host-b pid 2' }, 60_000)).toEqual({
      ok: false,
      holder: { id: 'a', description: 'host-a pid 1' },
    });
    await one.releaseLock('a');
    expect(await two.acquireLock({ id: 'b', description: 'host-b pid 2' }, 60_000)).toEqual({ ok: true });
    now += 61_000;
    expect(await one.acquireLock({ id: 'a', description: 'host-a pid 1' }, 60_000)).toEqual({ ok: true });
  });
});
