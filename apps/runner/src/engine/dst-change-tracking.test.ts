import { afterEach, expect, it } from 'vitest';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';

// Business NXT stamps `changedTimestamp` in the server's local time without a zone
// (https://docs.vismasoftware.no/businessnxtapi/apireference/schema/datetime/), and compares filter values as such
// wall times: the nights Europe/Oslo changes its clocks, an ERP edit must still reach HubSpot the next cycle.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  await scheduled?.close();
  scheduled = undefined;
});

const minutes = 60_000;

/** A linked customer's row and company, found by the ERP number HubSpot stores (`nth` customer). */
function linkedCustomer(world: ScheduledWorld['world'], nth = 0) {
  const row = [...world.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0)[nth];
  if (row === undefined) throw new Error('the seed has no customer');
  const company = [...world.crm.store.records.companies.values()].find(
    (record) => record.properties.get('visma_customer_no') === String(row.customerNo),
  );
  if (company === undefined) throw new Error(`customer ${row.customerNo} has no company`);
  return { row, company };
}

/** A world synced at `startAt`, with a quiet incremental cycle after; the clock then `later` on. */
async function syncedAt(startAt: string) {
  scheduled = await startScheduledWorld({
    customers: 6,
    companies: 0,
    seed: 31,
    startAt: Date.parse(startAt),
  });
  const w = scheduled;
  // An ERP user's edit first: seeded rows carry no changedTimestamp, and the watermark follows Business NXT's own
  // time only once a row has one.
  const last = [...w.world.erp.store.rows.values()].filter((row) => row.customerNo > 0).at(-1);
  w.world.erp.store.update(last?.associateNo ?? 0, { phone: '+47 22 00 00 00' });
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  expect((await w.cycle(false)).exitCode).toBe(0);
  return w;
}

it('autumn (2026-10-25): an edit in the second 02:30, after the clocks went back, is found by the next cycle', async () => {
  // 02:05 summer time (00:05Z); the cycles at 02:15 and 02:40, still before the clocks go back at 03:00.
  const w = await syncedAt('2026-10-25T00:05:00Z');
  w.later(25 * minutes);
  expect((await w.cycle(false)).exitCode).toBe(0);
  // 02:30 again, winter time (01:30Z): a wall time before the last cycle's 02:40.
  w.later(50 * minutes);
  const { row, company } = linkedCustomer(w.world, 0);
  const edited = w.world.erp.store.update(row.associateNo, { phone: '+47 22 33 44 55' });
  // (The clock is the real one moved on: seconds pass while the test runs.)
  expect(edited?.changedTimestamp).toMatch(/^2026-10-25 02:3\d:/u);
  w.later(5 * minutes);
  const next = await w.cycle(false);
  expect(next.mode).toBe('incremental');
  expect(next.exitCode).toBe(0);
  expect(company.properties.get('phone')).toBe('+4722334455');
  // And the cycle after still reads incrementally, past the repeated hour.
  const again = linkedCustomer(w.world, 1);
  w.later(30 * minutes);
  w.world.erp.store.update(again.row.associateNo, { phone: '+47 22 44 55 66' });
  w.later(5 * minutes);
  expect((await w.cycle(false)).exitCode).toBe(0);
  expect(again.company.properties.get('phone')).toBe('+4722445566');
});

it('spring (2026-03-29): edits either side of the hour that does not exist are found by the next cycle', async () => {
  // 01:30 winter time (00:30Z); cycles at 01:30, 01:40 and 01:55.
  const w = await syncedAt('2026-03-29T00:30:00Z');
  w.later(15 * minutes);
  expect((await w.cycle(false)).exitCode).toBe(0);
  // 01:58, then 03:02 summer time (01:02Z) after the clocks skipped 02:00–03:00.
  w.later(3 * minutes);
  const before = linkedCustomer(w.world, 0);
  expect(
    w.world.erp.store.update(before.row.associateNo, { phone: '+47 22 33 44 55' })?.changedTimestamp,
  ).toMatch(/^2026-03-29 01:5\d:/u);
  w.later(4 * minutes);
  const after = linkedCustomer(w.world, 1);
  expect(
    w.world.erp.store.update(after.row.associateNo, { phone: '+47 22 44 55 66' })?.changedTimestamp,
  ).toMatch(/^2026-03-29 03:0\d:/u);
  w.later(5 * minutes);
  const next = await w.cycle(false);
  expect(next.mode).toBe('incremental');
  expect(next.exitCode).toBe(0);
  expect(before.company.properties.get('phone')).toBe('+4722334455');
  expect(after.company.properties.get('phone')).toBe('+4722445566');
  // The watermark was read in the right zone: an edit 10 minutes on is found too (a watermark read as UTC would
  // sit two hours ahead and hide it).
  const third = linkedCustomer(w.world, 2);
  w.later(10 * minutes);
  w.world.erp.store.update(third.row.associateNo, { phone: '+47 22 55 66 77' });
  w.later(5 * minutes);
  expect((await w.cycle(false)).exitCode).toBe(0);
  expect(third.company.properties.get('phone')).toBe('+4722556677');
});
