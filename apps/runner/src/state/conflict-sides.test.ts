import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { openSqliteStateStore } from './sqlite-state-store.js';

// Migration 5: a conflict records both values and who changed each when; conflicts from before read as unknown.
let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'crm-sync-conflicts-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const base = {
  entity: 'contact' as const,
  crmId: '201',
  associateNo: 7,
  field: 'email',
  reason: 'both-changed',
  baseFingerprint: null,
  createdAt: '2026-11-24T10:00:00.000Z',
};

it('stores both sides of a conflict; one opened before version 5 reads as not recorded', async () => {
  const path = join(directory, 'state.db');
  // A store as it was before version 5, with a conflict in it.
  const old = new Database(path);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const migration of migrations.filter((candidate) => candidate.version < 5)) {
    for (const statement of migration.statements) old.exec(statement);
    old
      .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
      .run(migration.version, 'then');
  }
  old
    .prepare(
      "INSERT INTO conflicts (id, entity, crm_id, associate_no, field, reason, base_fingerprint, status, resolution, created_at) VALUES ('old', 'contact', '200', 6, 'email', 'both-changed', NULL, 'open', NULL, '2026-01-01T00:00:00.000Z')",
    )
    .run();
  old.close();

  const store = openSqliteStateStore(path);
  try {
    await store.migrate();
    await store.openConflict({
      ...base,
      id: 'new',
      hubspot: { value: 'o***@e***.no', changedAt: '2026-11-24T09:00:00.000Z', changedBy: 'CRM_UI' },
      businessNxt: { value: '', changedAt: '2026-11-24 10:15:00', changedBy: null },
    });
    const [before, after] = await store.conflicts('open');
    expect(before).toMatchObject({
      id: 'old',
      hubspot: { value: null, changedAt: null, changedBy: null },
      businessNxt: { value: null, changedAt: null, changedBy: null },
    });
    expect(after).toMatchObject({
      id: 'new',
      hubspot: { value: 'o***@e***.no', changedAt: '2026-11-24T09:00:00.000Z', changedBy: 'CRM_UI' },
      businessNxt: { value: '', changedAt: '2026-11-24 10:15:00', changedBy: null },
    });
    expect(await store.resolveConflict('new', 'link')).toMatchObject({
      status: 'resolved',
      resolution: 'link',
    });
  } finally {
    await store.close();
  }
});
