import type { OperationKind } from '@port-service/mapping';
import { afterEach, expect, it, vi } from 'vitest';
import { formatPlan, type PlannedOperation } from '../output/format-plan.js';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';
import type { CycleReport } from './report.js';

// `crm-sync plan` before a first sync predicts the run (issue 11): the same creates on each side, links, updates
// and held records, and the same exit code. A dry run writes nothing: the simulators' stores and the state store
// are compared before and after it.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
  vi.unstubAllGlobals();
});

/** Every request the clients send (URL and body), from now on: the dry run's placeholders must never be in one. */
function recordRequests(): string[] {
  const sent: string[] = [];
  const send = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(`${request.url} ${await request.clone().text()}`);
    return send(request);
  });
  return sent;
}
const placeholders = /new-(company|contact)-\d|[[,:]-\d/u;

const kinds: OperationKind[] = [
  'create-erp',
  'create-crm',
  'link',
  'update-erp',
  'update-crm',
  'skip',
  'candidates',
  'conflict',
  'orphan',
  'relink',
];

/** What a report says a cycle plans, per entity and operation kind, and the records it holds or failed. */
function prediction(report: CycleReport) {
  const counts = Object.fromEntries(
    (['customer', 'contact'] as const).map((entity) => [
      entity,
      Object.fromEntries(kinds.map((kind) => [kind, report.entities[entity].planned[kind] ?? 0])),
    ]),
  );
  const held = report.items
    .map(
      (item) =>
        `${item.entity} ${item.outcome} ${item.reason} ${item.system} ${item.crmId} ${item.associateNo}`,
    )
    .sort();
  return { counts, held, failed: report.entities.customer.failed + report.entities.contact.failed };
}

/** Everything both simulators and the state store hold, to compare before and after a dry run. */
async function everything({ world, runtime }: ScheduledWorld) {
  const records = (type: 'companies' | 'contacts') =>
    [...world.crm.store.records[type].values()].map((record) =>
      JSON.stringify([record.id, record.updatedAt, record.archived, [...record.properties]]),
    );
  const { store } = runtime;
  return {
    companies: records('companies'),
    contacts: records('contacts'),
    rows: [...world.erp.store.rows.values()].map((row) => JSON.stringify(row)),
    links: [
      ...(await store.allLinks('customer', null, 10_000)),
      ...(await store.allLinks('contact', null, 10_000)),
    ],
    errors: await store.errors(),
    owed: await store.owedContacts(),
    intents: await store.pendingIntents(),
    conflicts: await store.conflicts('all'),
    runs: await store.runs(100),
    watermark: await store.getWatermark('customer.hubspot'),
  };
}

/**
 * A first sync: customers with contact persons only in Business NXT, companies with contacts only in HubSpot,
 * and some of each matching: companies with a customer's org number (link), a contact with a contact person's
 * email (link), one named like a contact person but without email (candidates), two Business NXT customers
 * sharing an org number no company has and two companies sharing one no customer has (one of each pair is
 * created, the other held).
 */
async function firstSyncWorld(): Promise<ScheduledWorld & { sent: string[] }> {
  const sent = recordRequests();
  scheduled = await startScheduledWorld({ customers: 6, companies: 5, seed: 11 });
  const { crm, erp } = scheduled.world;
  const rows = [...erp.store.rows.values()];
  const customers = rows.filter((row) => row.customerNo > 0);
  const personsOf = (associateNo: number) =>
    rows.filter((row) => row.contactPersonForAssociateNo === associateNo);
  const [withPeople, other] = [
    customers.find((row) => personsOf(row.associateNo).length >= 2),
    customers.find((row) => personsOf(row.associateNo).length === 0),
  ];
  if (withPeople === undefined || other === undefined) throw new Error('the seed has no customers to match');
  for (const customer of [withPeople, other]) {
    const company = crm.store.create('companies', {
      name: customer.name,
      org_number: customer.companyNo,
      lifecyclestage: 'customer',
    });
    if (customer !== withPeople) continue;
    const [byEmail, byName] = personsOf(customer.associateNo);
    if (byEmail === undefined || byName === undefined)
      throw new Error('the seed has too few contact persons');
    const [first, ...last] = byEmail.name.split(' ');
    const matched = crm.store.create('contacts', {
      firstname: first ?? '',
      lastname: last.join(' '),
      email: byEmail.emailAddress,
    });
    const [firstName, ...lastName] = byName.name.split(' ');
    const named = crm.store.create('contacts', { firstname: firstName ?? '', lastname: lastName.join(' ') });
    for (const contact of [matched, named])
      crm.store.associate('contacts', contact.id, 'companies', company.id, 1);
  }
  for (let twin = 0; twin < 2; twin += 1) {
    erp.store.insert({
      associateNo: erp.store.nextAssociateNo(),
      customerNo: erp.store.nextCustomerNo(),
      name: 'Delt Orgnummer AS',
      companyNo: '923609016',
      countryNo: 47,
    });
    crm.store.create('companies', {
      name: 'Samme Orgnummer AS',
      org_number: '914778271',
      lifecyclestage: 'customer',
    });
  }
  return { ...scheduled, sent };
}

async function planThenRun(world: ScheduledWorld & { sent: string[] }) {
  const before = await everything(world);
  world.sent.length = 0;
  const planned: PlannedOperation[] = [];
  // One record per slice: what a slice plans must be seen by the slices after it (the twins above).
  const plan = await world.cycle(true, {
    dryRun: true,
    chunkSize: 1,
    onPlan: (entity, { operations }) =>
      planned.push(...operations.map((operation) => ({ entity, operation }))),
  });
  expect(await everything(world)).toEqual(before);
  expect(world.sent.length).toBeGreaterThan(0);
  expect(world.sent.filter((request) => placeholders.test(request))).toEqual([]);
  const run = await world.cycle(true, { chunkSize: 1 });
  return { plan, run, shown: formatPlan(planned, false) };
}

it('plan before a first sync shows the creates, links and holds the run then makes, with its exit code', async () => {
  const { plan, run, shown } = await planThenRun(await firstSyncWorld());
  expect(run.failure).toBeNull();
  expect(run.entities.contact.applied['create-erp'] ?? 0).toBeGreaterThan(0);
  expect(run.entities.contact.applied['create-crm'] ?? 0).toBeGreaterThan(0);
  expect(run.entities.customer.applied.link ?? 0).toBe(2);
  expect(run.entities.contact.applied.link ?? 0).toBe(1);
  expect(run.entities.contact.applied.candidates ?? 0).toBe(1);
  expect(run.entities.customer.applied.candidates ?? 0).toBe(2);
  expect(prediction(plan)).toEqual(prediction(run));
  for (const entity of ['customer', 'contact'] as const)
    for (const kind of ['create-erp', 'create-crm', 'link'] as const)
      expect(plan.entities[entity].planned[kind] ?? 0).toBe(run.entities[entity].applied[kind] ?? 0);
  expect(plan.exitCode).toBe(run.exitCode);
  expect(plan.entities.contact.applied).toEqual({});
  // Contacts of customers the run creates first say so; the placeholders behind that are never shown.
  expect(shown).toContain('new customer (the run creates it first)');
  expect(shown).not.toMatch(/new-(company|contact)-|\s-\d+\s/u);
});

it('plan ends with exit 3 when the run would hold an invalid record, as the run does', async () => {
  const world = await firstSyncWorld();
  const company = world.world.crm.store.create('companies', {
    name: 'Ugyldig Orgnummer AS',
    org_number: '12345',
    lifecyclestage: 'customer',
  });
  const contact = world.world.crm.store.create('contacts', {
    firstname: 'Ola',
    lastname: 'Ugyldig',
    email: 'ola.ugyldig@example.no',
  });
  world.world.crm.store.associate('contacts', contact.id, 'companies', company.id, 1);
  const { plan, run } = await planThenRun(world);
  expect(run.exitCode).toBe(3);
  expect(run.items).toContainEqual(
    expect.objectContaining({
      entity: 'customer',
      outcome: 'skipped',
      reason: 'invalid-data',
      crmId: company.id,
    }),
  );
  expect(plan.exitCode).toBe(3);
  expect(prediction(plan)).toEqual(prediction(run));
});

it('an incremental plan shows the contacts the run syncs because their company became a customer', async () => {
  scheduled = await startScheduledWorld({ customers: 2, companies: 8, seed: 11 });
  const { world, cycle, later } = scheduled;
  expect((await cycle(true)).exitCode).toBe(0);
  later();
  const lead = [...world.crm.store.records.companies.values()].find(
    (company) =>
      company.properties.get('lifecyclestage') === 'lead' &&
      world.crm.store.associationsOf('companies', company.id, 'contacts').length > 0,
  );
  if (lead === undefined) throw new Error('the seed has no lead with contacts');
  world.crm.store.update(lead, { lifecyclestage: 'customer' });
  const plan = await cycle(false, { dryRun: true });
  const run = await cycle(false);
  expect(run.mode).toBe('incremental');
  expect(run.entities.contact.applied['create-erp'] ?? 0).toBeGreaterThan(0);
  expect(prediction(plan)).toEqual(prediction(run));
  expect(plan.exitCode).toBe(run.exitCode);
});
