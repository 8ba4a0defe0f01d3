import { afterEach, expect } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { type ScheduledWorld, startScheduledWorld } from '../../test-support/scheduled-world.js';
import type { ActionDependencies, RecordRef } from './action-types.js';

// For the operator actions' tests: both simulators and the in-process runtime of scheduled-world.ts, with the
// engine dependencies an action takes on the same clock as the world's cycles (which moves 10 minutes a step), so
// held records, runs and audit entries of actions and cycles come in the order they happened.

const logger = createLogger({ level: 'silent' });
const step = 10 * 60_000;

export async function startActionWorld(options: Parameters<typeof startScheduledWorld>[0]) {
  const scheduled: ScheduledWorld = await startScheduledWorld(options);
  let offset = options.startAt === undefined ? 0 : options.startAt - Date.now();
  const now = () => new Date(Date.now() + offset);
  const dependencies: ActionDependencies = { ...scheduled.runtime, logger, now };
  return {
    ...scheduled,
    dependencies,
    now,
    later: (ms = step) => {
      offset += ms;
      scheduled.later(ms);
    },
  };
}

export type ActionWorld = Awaited<ReturnType<typeof startActionWorld>>;

/**
 * A linked customer whose phone both systems changed differently, with the manual policy for phone: the cycle
 * after the edits opened one conflict for it.
 */
async function openPhoneConflict(w: ActionWorld) {
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const pair = linkedCustomer(w.world, 0);
  w.world.crm.store.update(pair.company, { phone: '+47 33 11 11 11' });
  w.world.erp.store.update(pair.row.associateNo, { phone: '33222222' });
  expect((await w.cycle(false)).exitCode).toBe(0);
  w.later();
  const [conflict] = await w.runtime.store.conflicts('open');
  if (conflict === undefined) throw new Error('no conflict opened');
  return { pair, conflict };
}

/**
 * The action worlds of a test file, each closed after its test: `start` one, or `withPhoneConflict` for one with
 * an open conflict on a linked customer's phone (HubSpot's `+47 33 11 11 11`, Business NXT's `33222222`).
 */
export function actionWorldPerTest() {
  let open: ActionWorld | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  const start = async (options: Parameters<typeof startActionWorld>[0]) => {
    open = await startActionWorld(options);
    return open;
  };
  return {
    start,
    withPhoneConflict: async () => {
      const w = await start({
        customers: 4,
        companies: 0,
        seed: 5,
        policy: { customers: { fields: { phone: { policy: 'manual' } } } },
      });
      return { w, ...(await openPhoneConflict(w)) };
    },
  };
}

/** A customer linked by the first cycle: its Business NXT row and HubSpot company. */
export function linkedCustomer(world: ActionWorld['world'], nth: number) {
  const row = [...world.erp.store.rows.values()].filter((candidate) => candidate.customerNo > 0)[nth];
  if (row === undefined) throw new Error('the seed has no such customer');
  const company = [...world.crm.store.records.companies.values()].find(
    (record) => !record.archived && record.properties.get('visma_actor_no') === String(row.associateNo),
  );
  if (company === undefined) throw new Error(`customer ${row.associateNo} has no company`);
  return { row, company };
}

export const hubspotCustomer = (id: string): RecordRef => ({ entity: 'customer', system: 'hubspot', id });
export const erpCustomer = (associateNo: number): RecordRef => ({
  entity: 'customer',
  system: 'visma-nxt',
  id: String(associateNo),
});

/**
 * A HubSpot lead and a Business NXT customer of the same name and postal code, which the last cycle reported as
 * candidates (the lead is not a customer by the filter, so nothing created it in Business NXT before).
 */
export async function reportCandidateCustomers(w: ActionWorld) {
  const company = w.world.crm.store.create('companies', {
    name: 'FJORDBRIS BAKERI',
    zip: '0150',
    country: 'Norway',
    lifecyclestage: 'lead',
  });
  w.later();
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const associateNo = w.world.erp.store.nextAssociateNo();
  w.world.erp.store.insert({
    associateNo,
    customerNo: w.world.erp.store.nextCustomerNo(),
    name: 'Fjordbris Bakeri AS',
    postCode: '0150',
    countryNo: 47,
  });
  const report = await w.cycle(false);
  expect(report.items).toContainEqual(
    expect.objectContaining({ outcome: 'candidates', crmId: company.id, reason: 'name-and-postal-code' }),
  );
  w.later();
  return { company, associateNo };
}
