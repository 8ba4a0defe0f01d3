import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { orgNumber, seededRandom } from '@port-service/simulators';
import { afterAll, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../commands/runtime.js';
import { startWorld, type World } from '../e2e/cli-harness.js';
import { runCycle } from '../engine/cycle.js';
import {
  acceptedCompanies,
  acceptedCustomers,
  refusedCompanies,
  refusedContactPersons,
  refusedCustomers,
} from './bad-input-corpus.js';
import { recordFigure } from './figures.js';

// Bad input (issue 6): every refused record gets its own error naming field and rule; every other record of the
// same batch syncs, the odd-but-valid ones intact.
let world: World | undefined;
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.close();
  await world?.close();
});

it('refuses each bad record alone, naming field and rule, and syncs everything else', async () => {
  const random = seededRandom(77);
  world = await startWorld({});
  const w = world;
  runtime = await openRuntime({ logLevel: 'silent' }, w.env);
  const rt = runtime;
  for (const type of ['companies', 'contacts'] as const)
    await rt.clients.hubspot.properties.ensureProperties(type, syncPropertyGroup, syncPropertySpecs()[type]);

  const text = (values: Readonly<Record<string, string | number>>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
  const crmRefused = refusedCompanies().map((testCase) => ({
    testCase,
    id: w.crm.store.create('companies', text(testCase.values)).id,
  }));
  const crmAccepted = acceptedCompanies().map((testCase) => ({
    testCase,
    id: w.crm.store.create('companies', text(testCase.values)).id,
  }));
  const crmGood = Array.from(
    { length: 5 },
    (_, index) =>
      w.crm.store.create('companies', {
        name: `God ${index} AS`,
        org_number: orgNumber(random),
        lifecyclestage: 'customer',
      }).id,
  );
  const insert = (values: Readonly<Record<string, string | number>>, customer = true) => {
    const associateNo = w.erp.store.nextAssociateNo();
    w.erp.store.insert({
      ...(values as Record<string, never>),
      associateNo,
      ...(customer ? { customerNo: w.erp.store.nextCustomerNo() } : {}),
    });
    return associateNo;
  };
  const erpRefused = refusedCustomers().map((testCase) => ({ testCase, no: insert(testCase.values) }));
  const erpAccepted = acceptedCustomers().map((testCase) => ({ testCase, no: insert(testCase.values) }));
  const erpGood = Array.from({ length: 5 }, (_, index) =>
    insert({ name: `God ERP ${index} AS`, companyNo: orgNumber(random), countryNo: 47 }),
  );
  const owner = erpGood[0] ?? 0;
  const personRefused = refusedContactPersons().map((testCase) => ({
    testCase,
    no: insert({ ...testCase.values, contactPersonForAssociateNo: owner }, false),
  }));

  const report = await runCycle(rt, { full: false, dryRun: false });
  expect(report.failure).toBeNull();
  expect(report.exitCode).toBe(3);

  const missed: string[] = [];
  const skipOf = (system: string, id: string) =>
    report.items.find(
      (item) =>
        item.outcome === 'skipped' &&
        item.system === system &&
        (item.crmId === id || String(item.associateNo) === id),
    );
  const check = (
    side: string,
    system: string,
    id: string,
    testCase: { label: string; field: string; rule: string },
  ) => {
    const skip = skipOf(system, id);
    const named = skip?.issues?.some(
      (issue) => issue.field === testCase.field && issue.rule === testCase.rule,
    );
    if (!named)
      missed.push(
        `${side} "${testCase.label}": got ${JSON.stringify(skip?.issues?.map((issue) => `${issue.field}/${issue.rule}`) ?? 'no error')}`,
      );
  };
  for (const { testCase, id } of crmRefused) check('HubSpot company', 'hubspot', id, testCase);
  for (const { testCase, no } of erpRefused)
    check('Business NXT customer', 'visma-nxt', String(no), testCase);
  for (const { testCase, no } of personRefused)
    check('Business NXT contact person', 'visma-nxt', String(no), testCase);

  // Everything else synced, the odd-but-valid records intact.
  const companyOf = (no: number) =>
    [...w.crm.store.records.companies.values()].find(
      (record) => record.properties.get('visma_actor_no') === String(no),
    );
  for (const id of crmGood)
    if (!w.crm.store.records.companies.get(id)?.properties.get('visma_actor_no'))
      missed.push(`good company ${id} not synced`);
  for (const no of erpGood) if (!companyOf(no)) missed.push(`good customer ${no} not synced`);
  for (const { testCase, id } of crmAccepted) {
    const row = w.erp.store.rows.get(
      Number(w.crm.store.records.companies.get(id)?.properties.get('visma_actor_no')),
    );
    for (const [column, value] of Object.entries(testCase.expect))
      if ((row as Record<string, unknown> | undefined)?.[column] !== value)
        missed.push(
          `HubSpot "${testCase.label}": ${column} is ${String((row as Record<string, unknown> | undefined)?.[column])}`,
        );
  }
  for (const { testCase, no } of erpAccepted) {
    const company = companyOf(no);
    for (const [property, value] of Object.entries(testCase.expect))
      if (company?.properties.get(property) !== value)
        missed.push(`Business NXT "${testCase.label}": ${property} is ${company?.properties.get(property)}`);
  }
  const hubspotCases = crmRefused.length + crmAccepted.length;
  const erpCases = erpRefused.length + personRefused.length + erpAccepted.length;
  recordFigure(
    'bad-input',
    `${hubspotCases} HubSpot and ${erpCases} Business NXT cases (${crmRefused.length} + ${erpRefused.length + personRefused.length} to refuse, ${crmAccepted.length} + ${erpAccepted.length} odd but valid) with ${crmGood.length + erpGood.length} good records in the same batches: ${missed.length} mismatches`,
  );
  expect(missed).toEqual([]);
  expect(hubspotCases).toBeGreaterThanOrEqual(50);
  expect(erpCases).toBeGreaterThanOrEqual(50);
});
