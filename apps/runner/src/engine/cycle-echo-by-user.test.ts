import { afterEach, describe, expect, it } from 'vitest';
import { admin } from '../e2e/cli-harness.js';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';
import type { CycleReport } from './report.js';

// Business NXT names who changed a row last (`changedByUser`); for the sync's writes, its client id. A row read as
// changed whose last change was the sync's own, with the values it recorded, is its echo: set apart without asking
// HubSpot. Anything else goes the normal way: a row changed by a person (even to the same values), or by the sync
// to values it did not record. Checked on both simulators' stores and on HubSpot's request count.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

/** Synced, then a quiet incremental cycle (it reads back the first cycle's creates in HubSpot). */
async function synced() {
  scheduled = await startScheduledWorld({ customers: 6, companies: 0, seed: 41 });
  expect((await scheduled.cycle(true)).exitCode).toBe(0);
  scheduled.later();
  expect((await scheduled.cycle(false)).exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

/** Linked customers' rows and companies, found by the ERP number HubSpot stores. */
function linkedCustomers(world: ScheduledWorld['world'], count: number) {
  const rows = [...world.erp.store.rows.values()].filter((row) => row.customerNo > 0).slice(0, count);
  return rows.map((row) => {
    const company = [...world.crm.store.records.companies.values()].find(
      (record) => record.properties.get('visma_customer_no') === String(row.customerNo),
    );
    if (company === undefined) throw new Error(`customer ${row.customerNo} has no company`);
    return { row, company };
  });
}

/** An edit through the simulator's admin API: as a person in the ERP (`ERP-USER`), unless another user is named. */
async function editInErp(
  w: ScheduledWorld,
  associateNo: number,
  values: Record<string, unknown>,
  user?: string,
) {
  await admin(`${w.world.erp.adminUrl}/associates/${associateNo}`, 'PATCH', {
    ...values,
    ...(user === undefined ? {} : { user }),
  });
}

/** An incremental cycle, with the requests HubSpot's simulator answered during it. */
async function measuredCycle(w: ScheduledWorld) {
  const before = w.world.crm.stats.requests;
  const report = await w.cycle(false);
  expect(report.mode).toBe('incremental');
  expect(report.exitCode).toBe(0);
  return { report, hubspotRequests: w.world.crm.stats.requests - before };
}

const plannedCount = (report: CycleReport) =>
  (['customer', 'contact'] as const)
    .flatMap((entity) => Object.values(report.entities[entity].planned))
    .reduce((total: number, count) => total + (count ?? 0), 0);

function erpRow(w: ScheduledWorld, associateNo: number) {
  const row = w.world.erp.store.rows.get(associateNo);
  if (row === undefined) throw new Error(`associate ${associateNo} is gone`);
  return row;
}

describe("the sync's own Business NXT writes coming back", () => {
  it('cost HubSpot nothing and plan nothing; the same rows changed by a person to the same values are checked', async () => {
    const w = await synced();
    const quiet = await measuredCycle(w);
    expect(plannedCount(quiet.report)).toBe(0);
    const pairs = linkedCustomers(w.world, 2);
    // A person empties two customers' phone in Business NXT; an empty value never replaces a non-empty one, so the
    // sync writes HubSpot's phone back into Business NXT (as the application: its client id).
    for (const { row } of pairs) await editInErp(w, row.associateNo, { phone: '' });
    w.later();
    const restore = await measuredCycle(w);
    expect(restore.report.entities.customer.applied['update-erp']).toBe(2);
    const restored = pairs.map(({ row, company }) => {
      const now = erpRow(w, row.associateNo);
      expect(now.phone).toBe(company.properties.get('phone'));
      expect(now.changedByUser).toBe(w.world.erp.clientId);
      return { ...now };
    });
    const companiesBefore = pairs.map(({ company }) => company.updatedAt);

    // The next cycle reads those writes back as changes: its own echoes, set apart before HubSpot is asked.
    w.later();
    const echo = await measuredCycle(w);
    expect(echo.report.entities.customer.read.vismaNxt).toBe(2);
    expect(echo.hubspotRequests).toBe(quiet.hubspotRequests);
    expect(plannedCount(echo.report)).toBe(0);
    expect(echo.report.entities.customer.echoesSkipped).toBe(2);
    // Nothing was written to either system.
    for (const [index, { row }] of pairs.entries())
      expect(erpRow(w, row.associateNo)).toEqual(restored[index]);
    expect(pairs.map(({ company }) => company.updatedAt)).toEqual(companiesBefore);

    // The same rows, changed by a person to the values they already hold: not the sync's, so planned against
    // HubSpot (which the echoes were not), and it plans nothing either.
    for (const { row } of pairs)
      await editInErp(w, row.associateNo, { phone: erpRow(w, row.associateNo).phone });
    for (const { row } of pairs) expect(erpRow(w, row.associateNo).changedByUser).toBe('ERP-USER');
    w.later();
    const person = await measuredCycle(w);
    expect(person.report.entities.customer.read.vismaNxt).toBe(2);
    expect(person.report.entities.customer.echoesSkipped).toBe(0);
    expect(plannedCount(person.report)).toBe(0);
    expect(person.hubspotRequests).toBeGreaterThan(quiet.hubspotRequests);
    expect(echo.hubspotRequests).toBeLessThan(person.hubspotRequests);
    expect(pairs.map(({ company }) => company.updatedAt)).toEqual(companiesBefore);
  });

  it("a row the sync's user changed to values it did not record is synced to HubSpot", async () => {
    const w = await synced();
    const [pair] = linkedCustomers(w.world, 1);
    if (pair === undefined) throw new Error('the seed has no customer');
    // As an ERP trigger (or a write half applied) would leave it: Business NXT names the application as the last
    // writer, but the city is not one the sync wrote.
    await editInErp(w, pair.row.associateNo, { postalArea: 'Drøbak' }, w.world.erp.clientId);
    expect(erpRow(w, pair.row.associateNo).changedByUser).toBe(w.world.erp.clientId);
    w.later();
    const { report } = await measuredCycle(w);
    expect(report.entities.customer.echoesSkipped).toBe(0);
    expect(report.entities.customer.applied['update-crm']).toBe(1);
    expect(pair.company.properties.get('city')).toBe('Drøbak');
    expect(erpRow(w, pair.row.associateNo).postalArea).toBe('Drøbak');
  });
});

describe("a person's edit next to the sync's write is never lost", () => {
  it('an edit right after the sync wrote the row reaches HubSpot, and the write stays', async () => {
    const w = await synced();
    const [pair] = linkedCustomers(w.world, 1);
    if (pair === undefined) throw new Error('the seed has no customer');
    w.world.crm.store.update(pair.company, { city: 'Son' });
    w.later();
    const write = await measuredCycle(w);
    expect(write.report.entities.customer.applied['update-erp']).toBe(1);
    expect(erpRow(w, pair.row.associateNo).changedByUser).toBe(w.world.erp.clientId);
    // Right after the write, before any time passes, a person edits the phone.
    await editInErp(w, pair.row.associateNo, { phone: '+47 22 33 44 55' });
    w.later();
    const { report } = await measuredCycle(w);
    expect(report.entities.customer.echoesSkipped).toBe(0);
    expect(pair.company.properties.get('phone')).toBe('+4722334455');
    expect(pair.company.properties.get('city')).toBe('Son');
    const row = erpRow(w, pair.row.associateNo);
    expect(row.phone).toBe('+47 22 33 44 55');
    expect(row.postalArea).toBe('Son');
  });

  it("an edit between the sync's read and its write, which leaves the sync named as the last writer, reaches HubSpot", async () => {
    const w = await synced();
    const [pair] = linkedCustomers(w.world, 1);
    if (pair === undefined) throw new Error('the seed has no customer');
    const { associateNo } = pair.row;
    const phone = pair.company.properties.get('phone');
    // A person empties the phone: the sync will write HubSpot's phone back.
    await editInErp(w, associateNo, { phone: '' });
    w.later();
    let edited = false;
    const write = await w.cycle(false, {
      onPlan: (_entity, plan) => {
        const restores = plan.operations.some(
          (operation) => operation.kind === 'update-erp' && operation.associateNo === associateNo,
        );
        if (!restores || edited) return;
        // Planned, not yet written: a person changes the city. The sync's write (the phone only) then names the
        // application as the row's last writer.
        w.world.erp.store.update(associateNo, { postalArea: 'Son', changedByUser: 'ERP-USER' });
        edited = true;
      },
    });
    expect(write.exitCode).toBe(0);
    expect(edited).toBe(true);
    const written = erpRow(w, associateNo);
    expect(written.changedByUser).toBe(w.world.erp.clientId);
    expect(written.phone).toBe(phone);
    expect(written.postalArea).toBe('Son');

    // Changed by the sync, but not to the values it recorded: planned the normal way, and the city reaches HubSpot.
    w.later();
    const { report } = await measuredCycle(w);
    expect(report.entities.customer.echoesSkipped).toBe(0);
    expect(pair.company.properties.get('city')).toBe('Son');
    expect(pair.company.properties.get('phone')).toBe(phone);
    expect(erpRow(w, associateNo).postalArea).toBe('Son');
  });

  it('an edit between the read and the write of a HubSpot change reaches HubSpot with the next incremental cycle', async () => {
    const w = await synced();
    const [pair, other] = linkedCustomers(w.world, 2);
    if (pair === undefined || other === undefined) throw new Error('the seed has too few customers');
    const { associateNo } = pair.row;
    // Two HubSpot edits: one whose write a person's edit races, one whose write comes back alone.
    w.world.crm.store.update(pair.company, { city: 'Son' });
    w.world.crm.store.update(other.company, { city: 'Hvitsten' });
    w.later();
    let edited = false;
    const write = await w.cycle(false, {
      onPlan: (_entity, plan) => {
        const writes = plan.operations.some(
          (operation) => operation.kind === 'update-erp' && operation.associateNo === associateNo,
        );
        if (!writes || edited) return;
        // HubSpot's change is planned from a read of the row; before it is written, a person edits the phone.
        w.world.erp.store.update(associateNo, { phone: '+47 22 33 44 55', changedByUser: 'ERP-USER' });
        edited = true;
      },
    });
    expect(write.exitCode).toBe(0);
    expect(edited).toBe(true);
    expect(erpRow(w, associateNo).changedByUser).toBe(w.world.erp.clientId);
    expect(erpRow(w, associateNo).phone).toBe('+47 22 33 44 55');

    w.later();
    const { report } = await measuredCycle(w);
    expect(pair.company.properties.get('phone')).toBe('+4722334455');
    expect(pair.company.properties.get('city')).toBe('Son');
    expect(erpRow(w, associateNo).phone).toBe('+47 22 33 44 55');
    // The other write came back as it was written: its echo, no HubSpot read.
    expect(report.entities.customer.echoesSkipped).toBe(1);
    expect(erpRow(w, other.row.associateNo).postalArea).toBe('Hvitsten');
    expect(other.company.properties.get('city')).toBe('Hvitsten');
  });
});
