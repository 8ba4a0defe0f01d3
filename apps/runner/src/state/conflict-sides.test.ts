import { expect, it } from 'vitest';
import { describeStateBackends, useStateLocation } from '../test-support/state-backends.js';
import { migrations, schemaMigrationsTable } from './migrations.js';

// Migration 5: a conflict records both values and who changed each when; conflicts from before read as unknown.
const base = {
  entity: 'contact' as const,
  crmId: '201',
  associateNo: 7,
  field: 'email',
  reason: 'both-changed',
  baseFingerprint: null,
  createdAt: '2026-11-24T10:00:00.000Z',
};

describeStateBackends('conflict sides', (backend) => {
  const state = useStateLocation(backend, { empty: true });

  it('stores both sides of a conflict; one opened before version 5 reads as not recorded', async () => {
    // A store as it was before version 5, with a conflict in it.
    const { location } = state;
    await backend.execute(location, schemaMigrationsTable[backend.dialect]);
    for (const migration of migrations.filter((candidate) => candidate.version < 5)) {
      for (const statement of migration[backend.dialect]) await backend.execute(location, statement);
      await backend.execute(
        location,
        `INSERT INTO schema_migrations (version, applied_at) VALUES (${migration.version}, 'then')`,
      );
    }
    await backend.execute(
      location,
      "INSERT INTO conflicts (id, entity, crm_id, associate_no, field, reason, base_fingerprint, status, resolution, created_at) VALUES ('old', 'contact', '200', 6, 'email', 'both-changed', NULL, 'open', NULL, '2026-01-01T00:00:00.000Z')",
    );

    const store = await state.open();
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
  });
});
