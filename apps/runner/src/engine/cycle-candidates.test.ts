import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { afterEach, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../commands/runtime.js';
import { startWorld, type World } from '../e2e/cli-harness.js';
import { createLogger } from '../logging/logger.js';
import { runCycle } from './cycle.js';

// Name + postal code candidates found from Business NXT's side: a new ERP customer whose HubSpot twin has not
// changed (so only the Business NXT pass reads it) is held as a candidate, not created in HubSpot a second time.
// The clock moves as a schedule's would, so HubSpot's search look-back does not read the company again.
const logger = createLogger({ level: 'silent' });
let world: World | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  await world?.close();
});

it('holds a new ERP customer whose name and postal code a HubSpot company has, instead of creating it there', async () => {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const later = () => {
    offset += 10 * 60_000;
  };
  world = await startWorld({
    customers: 5,
    companies: 3,
    seed: 12,
    crm: { now: clock },
    erp: { now: () => new Date(clock()) },
  });
  const w = world;
  runtime = await openRuntime({ logLevel: 'silent' }, w.env);
  const rt = runtime;
  for (const type of ['companies', 'contacts'] as const)
    await rt.clients.hubspot.properties.ensureProperties(type, syncPropertyGroup, syncPropertySpecs()[type]);
  const cycle = (full: boolean) =>
    runCycle({ ...rt, logger, now: () => new Date(clock()) }, { full, dryRun: false });
  const fjordbris = (name: string | null | undefined) => /fjordbris/iu.test(name ?? '');
  const twins = () => ({
    hubspot: [...w.crm.store.records.companies.values()].filter((record) =>
      fjordbris(record.properties.get('name')),
    ).length,
    erp: [...w.erp.store.rows.values()].filter((row) => fjordbris(row.name)).length,
  });

  // A lead: not a customer by the filter, so the first cycle leaves it in HubSpot only.
  const company = w.crm.store.create('companies', {
    name: 'FJORDBRIS BAKERI',
    zip: '0150',
    country: 'Norway',
    lifecyclestage: 'lead',
  });
  later();
  expect((await cycle(true)).exitCode).toBe(0);
  later();
  const associateNo = w.erp.store.nextAssociateNo();
  w.erp.store.insert({
    associateNo,
    customerNo: w.erp.store.nextCustomerNo(),
    name: 'Fjordbris Bakeri AS',
    postCode: '0150',
    countryNo: 47,
  });
  const report = await cycle(false);
  expect(report.mode).toBe('incremental');
  expect(twins()).toEqual({ hubspot: 1, erp: 1 });
  expect(report.items).toContainEqual(
    expect.objectContaining({ outcome: 'candidates', crmId: company.id, reason: 'name-and-postal-code' }),
  );
  expect(report.items.find((item) => item.crmId === company.id)?.message).toContain(
    `visma-nxt ${associateNo}`,
  );
});
