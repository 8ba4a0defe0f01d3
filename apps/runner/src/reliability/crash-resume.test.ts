import { orgNumber, seededRandom } from '@port-service/simulators';
import { afterAll, expect, it } from 'vitest';
import { cli, finished, pause, run, spawnCli, startWorld, type World } from '../e2e/cli-harness.js';
import { waitFor, within } from '../e2e/deadline.js';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { convergenceProblems } from './convergence.js';
import { recordFigure } from './figures.js';

// Crash and resume (issue 6): 20 trials of SIGKILL at a random moment of a cycle with work to do, each followed
// by a normal run. Zero duplicates, zero lost updates, consistent state.
const trials = 20;
// Time limits. A trial is two CLI runs, about 4 s on a developer's machine (the suite about 80 s). Each step gets a
// budget many times what it takes, so a hung step fails at once, naming itself; the test's own timeout (60 s plus
// 20 s per trial) leaves room for a loaded two-core CI machine several times slower.
const startUpMs = 60_000;
const runMs = 120_000;

let world: World | undefined;
afterAll(async () => {
  await world?.close();
});

/** Something to write on both sides: new customers, a new contact each side, field edits. */
function makeWork(w: World, random: () => number, expected: Map<string, string>): void {
  for (let index = 0; index < 3; index += 1) {
    w.crm.store.create('companies', {
      name: `Krasj ${index} ${random()} AS`,
      org_number: orgNumber(random),
      lifecyclestage: 'customer',
    });
    w.erp.store.insert({
      associateNo: w.erp.store.nextAssociateNo(),
      customerNo: w.erp.store.nextCustomerNo(),
      name: `Krasj ERP ${index} ${random()} AS`,
      companyNo: orgNumber(random),
      countryNo: 47,
    });
  }
  const linked = [...w.crm.store.records.companies.values()].filter(
    (record) => !record.archived && record.properties.get('visma_actor_no'),
  );
  for (let index = 0; index < 4 && linked.length > 0; index += 1) {
    const company = linked[Math.floor(random() * linked.length)];
    if (company === undefined) continue;
    const actor = Number(company.properties.get('visma_actor_no'));
    const address = `Krasjveien ${Math.floor(random() * 1000)}`;
    // Even actor numbers are edited in HubSpot, odd ones in Business NXT: the last edit is what must remain.
    if (actor % 2 === 0) w.crm.store.update(company, { address });
    else w.erp.store.update(actor, { addressLine1: address });
    expected.set(String(actor), address);
  }
  const customer = linked[Math.floor(random() * linked.length)];
  if (customer) {
    const contact = w.crm.store.create('contacts', {
      firstname: 'Krasj',
      lastname: `Test${Math.floor(random() * 1e6)}`,
      email: `krasj${Math.floor(random() * 1e9)}@example.no`,
    });
    w.crm.store.associate('contacts', contact.id, 'companies', customer.id, 1);
    w.erp.store.insert({
      associateNo: w.erp.store.nextAssociateNo(),
      name: `Person Krasj${Math.floor(random() * 1e6)}`,
      emailAddress: `person${Math.floor(random() * 1e9)}@example.no`,
      contactPersonForAssociateNo: Number(customer.properties.get('visma_actor_no')),
    });
  }
}

it('reruns after a SIGKILL at a random point without duplicates, lost updates or broken state', async () => {
  const random = seededRandom(4242);
  world = await startWorld({
    customers: 30,
    companies: 20,
    seed: 31,
    crm: { responseDelayMs: 6 },
    erp: { responseDelayMs: 6 },
  });
  const w = world;
  expect((await within(cli(w, ['setup']), 'crm-sync setup', runMs)).code).toBe(0);
  expect([0, 3]).toContain((await within(run(w), 'the first run', runMs)).code);
  const expected = new Map<string, string>();
  let killedMidway = 0;
  let resolvedIntents = 0;
  const problems: string[] = [];
  for (let trial = 1; trial <= trials; trial += 1) {
    makeWork(w, random, expected);
    const before = w.crm.stats.requests + w.erp.stats.operations;
    const child = spawnCli(w, ['run']);
    const done = finished(child);
    // Wait for the cycle's first API request (process start-up varies by machine), then a random moment more.
    await waitFor(
      () => w.crm.stats.requests + w.erp.stats.operations !== before || child.exitCode !== null,
      `trial ${trial}: the run's first API request`,
      startUpMs,
    );
    // The moment of the kill: random on purpose (a slower machine only makes more of them land mid-cycle).
    await pause(Math.floor(random() * 500));
    const wrote = w.crm.stats.requests + w.erp.stats.operations > before;
    const alive = child.exitCode === null;
    child.kill('SIGKILL');
    await within(done, `trial ${trial}: the killed run`, runMs, child);
    if (alive && wrote) killedMidway += 1;
    const rerun = await within(run(w), `trial ${trial}: the rerun`, runMs);
    if (rerun.code !== 0 && rerun.code !== 3)
      problems.push(`trial ${trial}: rerun exited ${rerun.code}: ${rerun.report.failure}`);
    resolvedIntents += rerun.report.intents.resolvedCreated + rerun.report.intents.resolvedAbandoned;
    for (const problem of convergenceProblems(w)) problems.push(`trial ${trial}: ${problem}`);
    for (const [actor, address] of expected) {
      const row = w.erp.store.rows.get(Number(actor));
      const company = [...w.crm.store.records.companies.values()].find(
        (record) => !record.archived && record.properties.get('visma_actor_no') === actor,
      );
      if (row?.addressLine1 !== address || company?.properties.get('address') !== address)
        problems.push(`trial ${trial}: lost update of actor ${actor}`);
    }
  }
  const store = openSqliteStateStore(w.env.CRM_SYNC_STATE ?? '');
  const pending = await store.pendingIntents();
  const links = await store.allLinks('customer', null, 100_000);
  await store.close();
  const linkedNos = new Set(links.map((link) => link.associateNo));
  if (linkedNos.size !== links.length) problems.push('an associate number is linked twice');
  for (const link of links)
    if (link.status === 'active' && !w.erp.store.rows.has(link.associateNo))
      problems.push(`link to missing ${link.associateNo}`);
  recordFigure(
    'crash',
    `${trials} SIGKILLs at random points (${killedMidway} landed mid-cycle, after its first API requests), each followed by a normal run: ${resolvedIntents} leftover intents settled, ${pending.length} pending at the end, ${problems.length} duplicates, lost updates or state problems`,
  );
  expect(problems).toEqual([]);
  expect(pending).toEqual([]);
  expect(killedMidway).toBeGreaterThan(trials / 2);
  // 60 s plus 20 s a trial (see the time limits above).
}, 460_000);
