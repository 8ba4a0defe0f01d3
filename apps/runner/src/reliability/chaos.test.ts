import { type FaultKind, faultKinds, orgNumber, seededRandom } from '@port-service/simulators';
import { afterAll, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../commands/runtime.js';
import { startWorld, type World } from '../e2e/cli-harness.js';
import { runCycle } from '../engine/cycle.js';
import { createLogger } from '../logging/logger.js';
import { convergenceProblems } from './convergence.js';
import { recordFigure } from './figures.js';

// Chaos convergence (issue 6): 10 % injected faults on both simulators, random edits on both sides between 20
// cycles, then one clean cycle. Both systems must then hold exactly the expected records, field by field.
// Planning slices of 8 records make many small requests, so the faults land everywhere in the cycle.
// Besides each API's own faults, `reset-after-write` carries writes out and loses their answers: a create the
// client cannot confirm must be looked up, never made twice. Drawn for a read it does nothing, and writes are few,
// so in the 10 % mix it seldom meets one: every even cycle instead loses the answers to half of all writes (reads
// untouched), so that lost creates happen on both sides.
const cycles = 20;
const faultRate = 0.1;
const lostAnswerRate = 0.5;
// HubSpot's simulator injects every kind; Business NXT answers neither 423 nor 477.
const hubspotFaultKinds: readonly FaultKind[] = faultKinds;
const vismaFaultKinds: readonly FaultKind[] = [
  '429',
  '500',
  '502',
  '503',
  'timeout',
  'reset',
  'malformed-json',
  'reset-after-write',
];

let world: World | undefined;
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.close();
  await world?.close();
});

it('converges through 10 % faults and edits on both sides, losing and duplicating nothing', async () => {
  const random = seededRandom(2026);
  const faults = { rate: faultRate, timeoutMs: 600 };
  world = await startWorld({ customers: 40, companies: 30, seed: 21 });
  const w = world;
  runtime = await openRuntime({ logLevel: 'silent' }, w.env, {
    hubspot: { retry: { retries: 4, minDelayMs: 5, maxDelayMs: 40 }, timeoutMs: 400 },
    visma: { retry: { retries: 4, minDelayMs: 5, maxDelayMs: 40 }, timeoutMs: 400 },
  });
  const rt = runtime;
  const properties = await rt.clients.hubspot.properties.ensureProperties(
    'companies',
    { name: 'visma_nxt', label: 'Visma Business NXT' },
    (await import('@port-service/hubspot')).syncPropertySpecs().companies,
  );
  expect(properties.isOk()).toBe(true);
  await rt.clients.hubspot.properties.ensureProperties(
    'contacts',
    { name: 'visma_nxt', label: 'Visma Business NXT' },
    (await import('@port-service/hubspot')).syncPropertySpecs().contacts,
  );
  const lostAnswers = { rate: lostAnswerRate, kinds: ['reset-after-write'] as const };

  // Each linked pair is edited on one side only (even: HubSpot, odd: Business NXT), so what each field must end
  // as is the last edit made to it, whatever the field's conflict policy.
  const expected = new Map<string, { associateNo: number; field: 'phone' | 'address'; value: string }>();
  let reportedFailures = 0;
  let failedCycles = 0;
  let edits = 0;
  let creates = 0;
  // Creates that got no clear answer (reported `pending`, their intents kept), by the side they were sent to.
  const unconfirmed = { hubspot: 0, vismaNxt: 0 };
  let createsFoundAgain = 0;
  let createsNotMade = 0;
  const logger = createLogger({ level: 'silent' });
  for (let cycle = 1; cycle <= cycles; cycle += 1) {
    w.crm.setFaults(cycle % 2 === 0 ? lostAnswers : { ...faults, kinds: hubspotFaultKinds });
    w.erp.setFaults(cycle % 2 === 0 ? lostAnswers : { ...faults, kinds: vismaFaultKinds });
    const report = await runCycle({ ...rt, logger }, { full: cycle % 7 === 0, dryRun: false, chunkSize: 8 });
    if (report.exitCode === 1) failedCycles += 1;
    createsFoundAgain += report.intents.resolvedCreated;
    createsNotMade += report.intents.resolvedAbandoned;
    for (const item of report.items) {
      // A pending item names the system the record came from: the create went to the other one.
      if (item.outcome === 'pending' && item.system === 'hubspot') unconfirmed.vismaNxt += 1;
      if (item.outcome === 'pending' && item.system === 'visma-nxt') unconfirmed.hubspot += 1;
    }
    reportedFailures += report.items.filter(
      (item) => item.outcome === 'failed' || item.outcome === 'pending',
    ).length;

    const links = await rt.store.allLinks('customer', null, 10_000);
    for (let edit = 0; edit < 4 && links.length > 0; edit += 1) {
      const link = links[Math.floor(random() * links.length)];
      if (link === undefined || link.status !== 'active') continue;
      const viaCrm = link.associateNo % 2 === 0;
      const phone = `33${String(Math.floor(random() * 1e6)).padStart(6, '0')}`;
      const address = `Testveien ${1 + Math.floor(random() * 200)}`;
      const field = random() < 0.5 ? 'phone' : 'address';
      if (viaCrm) {
        const company = w.crm.store.records.companies.get(link.crmId);
        if (company === undefined || company.archived) continue;
        w.crm.store.update(company, field === 'phone' ? { phone: `+47 ${phone}` } : { address });
      } else {
        w.erp.store.update(link.associateNo, field === 'phone' ? { phone } : { addressLine1: address });
      }
      expected.set(`${link.associateNo}:${field}`, {
        associateNo: link.associateNo,
        field,
        value: field === 'phone' ? `+47${phone}` : address,
      });
      edits += 1;
    }
    // New customers on both sides.
    w.crm.store.create('companies', {
      name: `Ny Kunde ${cycle} AS`,
      org_number: orgNumber(random),
      lifecyclestage: 'customer',
    });
    w.erp.store.insert({
      associateNo: w.erp.store.nextAssociateNo(),
      customerNo: w.erp.store.nextCustomerNo(),
      name: `Ny ERP-kunde ${cycle} AS`,
      companyNo: orgNumber(random),
      countryNo: 47,
    });
    creates += 2;
  }

  w.crm.setFaults({ rate: 0 });
  w.erp.setFaults({ rate: 0 });
  // The clean cycle runs with the default timeouts: the 400 ms ones above exist to meet injected hangs quickly,
  // and a loaded CI machine can be that slow on a healthy request.
  await rt.close();
  const settled = await openRuntime({ logLevel: 'silent' }, w.env);
  runtime = settled;
  const clean = await runCycle({ ...settled, logger }, { full: true, dryRun: false });
  expect(clean.failure).toBeNull();
  expect(clean.items.filter((item) => item.outcome === 'failed' || item.outcome === 'pending')).toEqual([]);

  const problems = convergenceProblems(w);
  for (const edit of expected.values()) {
    const row = w.erp.store.rows.get(edit.associateNo);
    const actual = edit.field === 'phone' ? String(row?.phone ?? '').replace(/\s/gu, '') : row?.addressLine1;
    const normalized = edit.field === 'phone' && actual && !actual.startsWith('+') ? `+47${actual}` : actual;
    if (normalized !== edit.value) problems.push(`lost update: ${edit.field} of ${edit.associateNo}`);
  }
  const leftovers = (await settled.store.errors()).filter(
    (error) => error.rule === 'write-failed' || error.rule === 'read-failed',
  );
  const pending = await settled.store.pendingIntents();
  const injected = (faults: Partial<Record<string, number>>) =>
    Object.values(faults).reduce((sum: number, count) => sum + (count ?? 0), 0);
  // Answers to writes the simulators carried out and then dropped (`reset-after-write`).
  const lost = {
    crm: w.crm.stats.faults['reset-after-write'] ?? 0,
    erp: w.erp.stats.faults['reset-after-write'] ?? 0,
  };
  recordFigure(
    'chaos',
    `${cycles} cycles, odd ones at ${faultRate * 100} % faults, even ones losing the answers to ${lostAnswerRate * 100} % of writes (${w.crm.stats.requests} HubSpot and ${w.erp.stats.requests} Business NXT requests; ${injected(w.crm.stats.faults)} faults injected into HubSpot requests, ${injected(w.erp.stats.faults)} into Business NXT's, of them ${lost.crm} and ${lost.erp} answers to writes lost; ${unconfirmed.hubspot} HubSpot and ${unconfirmed.vismaNxt} Business NXT creates left unconfirmed, ${createsFoundAgain} found made by the lookup and ${createsNotMade} not), ${edits} field edits and ${creates} new customers: ${reportedFailures} record failures and ${failedCycles} failed cycles reported, ${leftovers.length} unhealed after one clean cycle, ${pending.length} pending intents, ${problems.length} differences or duplicates`,
  );
  expect(problems).toEqual([]);
  expect(leftovers).toEqual([]);
  expect(pending).toEqual([]);
  expect(reportedFailures + failedCycles).toBeGreaterThan(0);
  // The lost answers did happen, on both sides, and some were to creates that the next cycle had to look up.
  expect(lost.crm).toBeGreaterThan(0);
  expect(lost.erp).toBeGreaterThan(0);
  expect(unconfirmed.hubspot).toBeGreaterThan(0);
  expect(unconfirmed.vismaNxt).toBeGreaterThan(0);
  expect(createsFoundAgain).toBeGreaterThan(0);
  // The check itself can fail: one changed phone in Business NXT is a difference.
  const [someCustomer] = [...w.erp.store.rows.values()].filter((row) => (row.customerNo ?? 0) > 0);
  w.erp.store.update(someCustomer?.associateNo ?? 0, { phone: '33999999' });
  expect(convergenceProblems(w)).toEqual([
    expect.stringMatching(new RegExp(`^customer ${someCustomer?.associateNo} / \\d+: phone differs$`, 'u')),
  ]);
  // About 60 s on an idle developer's machine (20 cycles through injected hangs); 60 s plus 15 s a cycle (360 s)
  // leaves room for a loaded two-core CI machine several times slower.
}, 360_000);
