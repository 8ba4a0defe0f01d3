import { afterEach, expect, it } from 'vitest';
import type { StoredLink } from '../state/state-store.js';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';
import {
  conflictsListCommand,
  conflictsResolveCommand,
  type ListedConflict,
  type ResolveOptions,
} from './conflicts.js';

// `crm-sync conflicts list` shows both values and who changed each when; `conflicts resolve` says what it will
// write on which system (and what happens to the link) before it writes. Through the command functions, against
// both simulators and their own stores.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

async function synced(policy?: Record<string, unknown>) {
  scheduled = await startScheduledWorld({
    customers: 6,
    companies: 0,
    seed: 33,
    ...(policy === undefined ? {} : { policy }),
  });
  expect((await scheduled.cycle(true)).exitCode).toBe(0);
  scheduled.later();
  expect((await scheduled.cycle(false)).exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

async function activeContactLinks(world: ScheduledWorld): Promise<StoredLink[]> {
  return (await world.runtime.store.allLinks('contact', null, 1000)).filter(
    (link) => link.status === 'active',
  );
}

function output() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text), text: () => lines.join('\n') };
}

async function list(world: ScheduledWorld) {
  const table = output();
  expect(await conflictsListCommand(world.runtime, { json: false }, table.write)).toBe(0);
  const json = output();
  expect(await conflictsListCommand(world.runtime, { json: true }, json.write)).toBe(0);
  return { table: table.text(), json: JSON.parse(json.text()) as ListedConflict[] };
}

async function resolve(world: ScheduledWorld, id: string, options: ResolveOptions, answer?: string) {
  const out = output();
  const asked: string[] = [];
  const code = await conflictsResolveCommand(world.runtime, id, options, {
    write: out.write,
    interactive: answer !== undefined,
    ask: async (question) => {
      asked.push(question);
      return answer ?? '';
    },
    actor: 'cli:tester',
  });
  return { code, text: out.text(), asked };
}

it('a manual field: list shows both values masked, who changed each and when; resolve previews, asks, then writes', async () => {
  const world = await synced({ contacts: { fields: { email: { policy: 'manual' } } } });
  const [link] = await activeContactLinks(world);
  if (link === undefined) throw new Error('no linked contact');
  const record = world.world.crm.store.records.contacts.get(link.crmId);
  if (record === undefined) throw new Error('no contact');
  world.world.crm.store.update(record, { email: 'hubspot.side@example.no' });
  const hubspotAt = new Date(record.updatedAt).toISOString();
  world.later();
  world.world.erp.store.update(link.associateNo, { emailAddress: 'erp.side@example.no' });
  const erpAt = world.world.erp.store.rows.get(link.associateNo)?.changedTimestamp;
  world.later();
  expect((await world.cycle(false)).exitCode).toBe(0);

  const { table, json } = await list(world);
  expect(json).toEqual([
    {
      id: expect.any(String),
      entity: 'contact',
      crmId: link.crmId,
      associateNo: link.associateNo,
      field: 'email',
      reason: 'both-changed',
      createdAt: expect.any(String),
      hubspot: { value: 'h***@e***.no', changedAt: hubspotAt, changedBy: 'CRM_UI' },
      businessNxt: {
        value: 'e***@e***.no',
        changedAt: erpAt,
        changedBy: null,
      },
      resolveWith: '--take crm|erp',
    },
  ]);
  const id = json[0]?.id ?? '';
  expect(table).toContain(`${id}  contact  email  HubSpot       ${link.crmId}`);
  expect(table).toMatch(
    new RegExp(`HubSpot +${link.crmId} +h\\*\\*\\*@e\\*\\*\\*\\.no +${hubspotAt} +CRM_UI +both-changed`),
  );
  expect(table).toMatch(
    // Business NXT's time as it wrote it (local time without a zone, with a space in it).
    new RegExp(`Business NXT +${link.associateNo} +e\\*\\*\\*@e\\*\\*\\*\\.no +${erpAt} +unknown`),
  );
  expect(table).not.toContain('hubspot.side@example.no');

  // --dry-run: says what it would write where, writes nothing.
  const dry = await resolve(world, id, { take: 'erp', dryRun: true });
  expect(dry.code).toBe(0);
  expect(dry.text).toContain(`Business NXT contact person ${link.associateNo}: nothing`);
  expect(dry.text).toContain(`HubSpot contact ${link.crmId}: email: h***@e***.no → e***@e***.no`);
  expect(dry.text).toContain(`Then conflict ${id} is closed; the link stays as it is.`);
  expect(dry.text).toContain('Dry run: nothing written.');
  expect(record.properties.get('email')).toBe('hubspot.side@example.no');
  // With --log-personal-data, the values as they are.
  const revealed = await resolve(world, id, { take: 'erp', dryRun: true, logPersonalData: true });
  expect(revealed.text).toContain('email: hubspot.side@example.no → erp.side@example.no');

  // On a terminal it asks first; "no" writes nothing.
  const declined = await resolve(world, id, { take: 'erp' }, 'n');
  expect(declined.asked).toEqual(['Write this? [y/N] ']);
  expect(declined.text).toContain('Nothing written.');
  expect(record.properties.get('email')).toBe('hubspot.side@example.no');
  expect((await world.runtime.store.conflicts('open')).map((open) => open.id)).toEqual([id]);

  const done = await resolve(world, id, { take: 'erp' }, 'y');
  expect(done.code, done.text).toBe(0);
  expect(done.text).toContain(`Resolved ${id}.`);
  expect(record.properties.get('email')).toBe('erp.side@example.no');
  expect(world.world.erp.store.rows.get(link.associateNo)?.emailAddress).toBe('erp.side@example.no');
  expect(await world.runtime.store.conflicts('open')).toEqual([]);
  // Through the console's engine action: audited under the person running the command, before and after.
  expect(await world.runtime.store.auditLog({ action: 'conflict.resolve', limit: 5 })).toMatchObject([
    {
      actor: 'cli:tester',
      target: id,
      before: { status: 'open', field: 'email', hubspot: { value: 'h***@e***.no' } },
      after: { status: 'resolved', resolution: 'erp', choice: { take: 'erp' } },
    },
  ]);
});

it('--take always makes the chosen side win, even when only the other side changed since', async () => {
  const world = await synced({ contacts: { fields: { email: { policy: 'manual' } } } });
  const [link] = await activeContactLinks(world);
  if (link === undefined) throw new Error('no linked contact');
  const record = world.world.crm.store.records.contacts.get(link.crmId);
  if (record === undefined) throw new Error('no contact');
  const original = record.properties.get('email') ?? '';
  world.world.crm.store.update(record, { email: 'hubspot.side@example.no' });
  world.world.erp.store.update(link.associateNo, { emailAddress: 'erp.side@example.no' });
  world.later();
  await world.cycle(false);
  const [conflict] = (await list(world)).json;
  // Business NXT goes back to the synced value: only HubSpot changed now; --take erp still takes Business NXT's.
  world.world.erp.store.update(link.associateNo, { emailAddress: original });
  const done = await resolve(world, conflict?.id ?? '', { take: 'erp', yes: true });
  expect(done.code, done.text).toBe(0);
  expect(record.properties.get('email')).toBe(original);
});

it('a HubSpot merge of contacts linked to different persons: --take is refused with the choices, --link settles the link', async () => {
  const world = await synced();
  const links = await activeContactLinks(world);
  const [first, second] = links;
  if (first === undefined || second === undefined) throw new Error('two linked contacts needed');
  const store = world.world.crm.store;
  const a = store.records.contacts.get(first.crmId);
  const b = store.records.contacts.get(second.crmId);
  if (a === undefined || b === undefined) throw new Error('no contacts');
  const survivor = store.merge(a, b).record.id;
  world.later();
  expect((await world.cycle(false)).exitCode).toBe(0);
  const contactsBefore = [...store.records.contacts.values()].filter((record) => !record.archived).length;

  const { json, table } = await list(world);
  const [merged] = json;
  const [low, high] = [first.associateNo, second.associateNo].sort((x, y) => x - y);
  expect(merged).toMatchObject({
    field: 'link',
    reason: 'merged-records-linked-differently',
    crmId: survivor,
    hubspot: { value: survivor, changedBy: 'CRM_UI' },
    businessNxt: { value: `${low} / ${high}`, changedAt: null, changedBy: null },
    resolveWith: '--link <associateNo>',
  });
  expect(merged?.hubspot.changedAt).toEqual(expect.any(String));
  expect(table).toContain(`${low} / ${high}`);
  const id = merged?.id ?? '';

  const refused = await resolve(world, id, { take: 'crm', yes: true });
  expect(refused.code).toBe(1);
  expect(refused.text).toContain('--take does not apply');
  expect(refused.text).toContain(`--link ${low} or --link ${high}`);

  const dry = await resolve(world, id, { link: first.associateNo, dryRun: true });
  expect(dry.code, dry.text).toBe(0);
  expect(dry.text).toContain(
    `Link: HubSpot contact ${survivor} ↔ Business NXT contact person ${first.associateNo} (the link of merged-away ${first.crmId} moves to ${survivor}).`,
  );
  expect(dry.text).toContain(
    `Orphaned: Business NXT contact person ${second.associateNo} (linked to HubSpot ${second.crmId}); it stays in Business NXT`,
  );
  expect(dry.text).toContain('HubSpot now: nothing; Business NXT now: nothing.');
  expect((await world.runtime.store.linksByCrmIds('contact', [survivor])).length).toBe(0);

  const done = await resolve(world, id, { link: first.associateNo, yes: true });
  expect(done.code, done.text).toBe(0);
  const [kept] = await world.runtime.store.linksByCrmIds('contact', [survivor]);
  expect(kept).toMatchObject({ associateNo: first.associateNo, status: 'active' });
  const [dropped] = await world.runtime.store.linksByAssociateNos('contact', [second.associateNo]);
  expect(dropped).toMatchObject({ crmId: second.crmId, status: 'orphaned' });
  expect(await world.runtime.store.conflicts('open')).toEqual([]);

  // The next cycles sync the survivor with the kept person, open no conflict again and create nothing.
  world.later();
  expect((await world.cycle(true)).exitCode).toBe(0);
  world.later();
  const after = await world.cycle(false);
  expect(await world.runtime.store.conflicts('open')).toEqual([]);
  expect(after.entities.contact.applied['create-crm'] ?? 0).toBe(0);
  expect([...store.records.contacts.values()].filter((record) => !record.archived).length).toBe(
    contactsBefore,
  );
  expect(store.records.contacts.get(survivor)?.properties.get('visma_actor_no')).toBe(
    String(first.associateNo),
  );
});
