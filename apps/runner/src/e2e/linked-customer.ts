import type { World } from './cli-harness.js';

/**
 * The first Business NXT customer a cycle linked, with its HubSpot company (the one whose `visma_actor_no` is its
 * actor number), read from both simulators' stores.
 */
export function firstLinkedCustomer(world: World) {
  for (const row of world.erp.store.rows.values()) {
    if (row.customerNo <= 0) continue;
    for (const company of world.crm.store.records.companies.values())
      if (company.properties.get('visma_actor_no') === String(row.associateNo)) return { row, company };
  }
  throw new Error('no linked customer: run a cycle first');
}
