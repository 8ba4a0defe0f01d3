import { expect, it } from 'vitest';
import { actionWorldPerTest, hubspotCustomer } from './action-world.js';
import { excludeRecord } from './exclude-record.js';
import { previewConflictAction, resolveConflictAction } from './resolve-conflict-action.js';

// "Take HubSpot's" / "take Business NXT's" for a conflict, as `crm-sync conflicts resolve` does it
// (resolve-conflict.ts), said before it writes and audited. Checked on both simulators' stores.
const worlds = actionWorldPerTest();

it("previews taking HubSpot's value, then writes it to Business NXT and audits the resolution", async () => {
  const { w, pair, conflict } = await worlds.withPhoneConflict();
  const preview = await previewConflictAction(w.dependencies, conflict.id, { take: 'crm' });
  expect(preview.refusal).toBeUndefined();
  expect(preview.title).toContain("phone takes HubSpot's value");
  expect(preview.lines).toContainEqual(
    `Business NXT customer ${pair.row.associateNo}: phone: +********22 → +********11`,
  );
  expect(w.world.erp.store.rows.get(pair.row.associateNo)?.phone).toBe('33222222');

  const resolved = await resolveConflictAction(w.dependencies, 'operator-kari', conflict.id, { take: 'crm' });
  expect(resolved.kind).toBe('done');
  expect(w.world.erp.store.rows.get(pair.row.associateNo)?.phone).toBe('+4733111111');
  expect(await w.runtime.store.conflicts('open')).toEqual([]);
  const [entry] = await w.runtime.store.auditLog({ action: 'conflict.resolve', limit: 5 });
  expect(entry).toMatchObject({
    actor: 'operator-kari',
    target: conflict.id,
    before: { status: 'open', field: 'phone', hubspot: { value: '+********11' } },
    after: { status: 'resolved', resolution: 'crm', choice: { take: 'crm' } },
  });
  expect(JSON.stringify(entry)).not.toContain('33 11 11 11');
});

it('refuses a conflict of an excluded pair, and one that is not open', async () => {
  const { w, pair, conflict } = await worlds.withPhoneConflict();
  expect(
    (await excludeRecord(w.dependencies, 'cli:tester', hubspotCustomer(pair.company.id), null)).kind,
  ).toBe('done');
  const refused = await resolveConflictAction(w.dependencies, 'cli:tester', conflict.id, { take: 'erp' });
  expect(refused).toEqual({ kind: 'refused', message: expect.stringContaining('include it first') });
  expect(pair.company.properties.get('phone')).toBe('+47 33 11 11 11');
  expect(w.world.erp.store.rows.get(pair.row.associateNo)?.phone).toBe('33222222');
  expect(await resolveConflictAction(w.dependencies, 'cli:tester', 'no-such-id', { take: 'erp' })).toEqual({
    kind: 'refused',
    message: expect.stringContaining('there is no open conflict no-such-id'),
  });
  expect((await w.runtime.store.auditLog({ limit: 5 })).map((entry) => entry.action)).toEqual([
    'record.exclude',
  ]);
});
