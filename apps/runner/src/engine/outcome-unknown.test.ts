import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { orgNumber, seededRandom } from '@port-service/simulators';
import { afterEach, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../commands/runtime.js';
import { startWorld, type World } from '../e2e/cli-harness.js';
import { createLogger } from '../logging/logger.js';
import { runCycle } from './cycle.js';

// A create whose answer was lost (docs/DESIGN.md §5): the simulator stores it, then resets the connection instead of
// answering. The real client reports `outcome-unknown`; the cycle keeps the intent, and the next one finds the
// record and links it instead of creating it a second time.
const logger = createLogger({ level: 'silent' });
const random = seededRandom(7);
let world: World | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  await world?.close();
  runtime = undefined;
  world = undefined;
});

async function emptyWorld(policy?: Record<string, unknown>) {
  world = await startWorld({ seed: 5, ...(policy === undefined ? {} : { policy }) });
  const w = world;
  runtime = await openRuntime({ logLevel: 'silent' }, w.env);
  const rt = runtime;
  for (const type of ['companies', 'contacts'] as const)
    await rt.clients.hubspot.properties.ensureProperties(type, syncPropertyGroup, syncPropertySpecs()[type]);
  return {
    w,
    rt,
    cycle: () => runCycle({ ...rt, logger }, { full: true, dryRun: false }),
    /** Live HubSpot companies and Business NXT rows with this name. */
    named: (name: string) => ({
      hubspot: [...w.crm.store.records.companies.values()].filter(
        (record) => !record.archived && record.properties.get('name') === name,
      ),
      erp: [...w.erp.store.rows.values()].filter((row) => row.name === name),
    }),
  };
}

it('keeps the intent of a HubSpot create whose answer was lost, and links the company the next cycle', async () => {
  const { w, rt, cycle, named } = await emptyWorld();
  const associateNo = w.erp.store.nextAssociateNo();
  w.erp.store.insert({
    associateNo,
    customerNo: w.erp.store.nextCustomerNo(),
    name: 'Tapt Svar Havn AS',
    companyNo: orgNumber(random),
    countryNo: 47,
  });
  w.crm.setFaults({ rate: 1, kinds: ['reset-after-write'] });

  const first = await cycle();
  expect(w.crm.stats.faults['reset-after-write']).toBe(1);
  expect(first.items).toContainEqual(
    expect.objectContaining({
      entity: 'customer',
      outcome: 'pending',
      system: 'visma-nxt',
      associateNo,
      reason: 'outcome-unknown',
      message: expect.stringMatching(/no clear answer .*may or may not have been applied/),
    }),
  );
  expect(first.entities.customer.applied['create-crm']).toBeUndefined();
  const pending = await rt.store.pendingIntents();
  expect(pending).toEqual([
    expect.objectContaining({ entity: 'customer', target: 'hubspot', sourceId: String(associateNo) }),
  ]);
  // HubSpot did store it.
  const [company] = named('Tapt Svar Havn AS').hubspot;
  expect(company?.properties.get('visma_actor_no')).toBe(String(associateNo));

  w.crm.setFaults({ rate: 0 });
  const second = await cycle();
  expect(second.failure).toBeNull();
  expect(second.intents).toMatchObject({ resolvedCreated: 1, resolvedAbandoned: 0 });
  expect(second.entities.customer.applied['create-crm']).toBeUndefined();
  expect(await rt.store.pendingIntents()).toEqual([]);
  expect((await rt.store.linksByAssociateNos('customer', [associateNo])).map((link) => link.crmId)).toEqual([
    company?.id,
  ]);
  const after = named('Tapt Svar Havn AS');
  expect([after.hubspot.length, after.erp.length]).toEqual([1, 1]);
  expect(w.crm.store.records.companies.size).toBe(1);
  expect(w.erp.store.rows.size).toBe(1);
});

it('keeps the intent of a Business NXT insert whose answer was lost, and links the row the next cycle', async () => {
  const { w, rt, cycle, named } = await emptyWorld();
  const company = w.crm.store.create('companies', {
    name: 'Borte Svar Bakeri AS',
    org_number: orgNumber(random),
    lifecyclestage: 'customer',
  });
  w.erp.setFaults({ rate: 1, kinds: ['reset-after-write'] });

  const first = await cycle();
  expect(w.erp.stats.faults['reset-after-write']).toBe(1);
  expect(first.items).toContainEqual(
    expect.objectContaining({
      entity: 'customer',
      outcome: 'pending',
      system: 'hubspot',
      crmId: company.id,
      reason: 'outcome-unknown',
      message: expect.stringMatching(/no clear answer .*may or may not have been applied/),
    }),
  );
  expect(first.entities.customer.applied['create-erp']).toBeUndefined();
  // Business NXT did store it, and the same cycle settled the intent before its Business NXT pass read the row.
  const [row] = named('Borte Svar Bakeri AS').erp;
  expect(row).toBeDefined();
  expect(first.intents).toMatchObject({ resolvedCreated: 1, resolvedAbandoned: 0 });
  expect(await rt.store.pendingIntents()).toEqual([]);

  w.erp.setFaults({ rate: 0 });
  const second = await cycle();
  expect(second.failure).toBeNull();
  expect(second.entities.customer.applied['create-erp']).toBeUndefined();
  expect((await rt.store.linksByCrmIds('customer', [company.id])).map((link) => link.associateNo)).toEqual([
    row?.associateNo,
  ]);
  const after = named('Borte Svar Bakeri AS');
  expect([after.hubspot.length, after.erp.length]).toEqual([1, 1]);
  expect(w.crm.store.records.companies.size).toBe(1);
  expect(w.erp.store.rows.size).toBe(1);
});

it('finds a Business NXT row whose insert answer was lost by the intent alone, and links it', async () => {
  // No organization number, and Business NXT customers stay out of HubSpot: nothing but the intent's
  // fingerprints can tell that the stored row is this company's.
  const { w, rt, cycle, named } = await emptyWorld({ customers: { createInCrm: false } });
  const company = w.crm.store.create('companies', {
    name: 'Stille Linje Verft AS',
    lifecyclestage: 'customer',
  });
  w.erp.setFaults({ rate: 1, kinds: ['reset-after-write'] });
  const first = await cycle();
  expect(first.items).toContainEqual(
    expect.objectContaining({ outcome: 'pending', crmId: company.id, reason: 'outcome-unknown' }),
  );
  expect(first.intents).toMatchObject({ resolvedCreated: 1, resolvedAbandoned: 0 });

  w.erp.setFaults({ rate: 0 });
  const second = await cycle();
  expect(second.failure).toBeNull();
  expect(second.entities.customer.applied['create-erp']).toBeUndefined();
  const [row] = named('Stille Linje Verft AS').erp;
  expect((await rt.store.linksByCrmIds('customer', [company.id])).map((link) => link.associateNo)).toEqual([
    row?.associateNo,
  ]);
  expect(w.crm.store.records.companies.size).toBe(1);
  expect(w.erp.store.rows.size).toBe(1);
});

it('never creates a HubSpot twin of a row whose insert answer was lost, even without an org number', async () => {
  // The default policy: Business NXT customers go to HubSpot. The row the lost insert stored must be settled as
  // this company's before the Business NXT pass reads it as a new, unlinked customer.
  const { w, cycle, named } = await emptyWorld();
  w.crm.store.create('companies', { name: 'Uten Orgnr Rederi AS', lifecyclestage: 'customer' });
  w.erp.setFaults({ rate: 1, kinds: ['reset-after-write'] });
  await cycle();
  w.erp.setFaults({ rate: 0 });
  await cycle();
  await cycle();
  const after = named('Uten Orgnr Rederi AS');
  expect([after.hubspot.length, after.erp.length]).toEqual([1, 1]);
  expect(w.crm.store.records.companies.size).toBe(1);
  expect(w.erp.store.rows.size).toBe(1);
});
