import type { World } from '../src/e2e/cli-harness.js';

/** The system a person edited in; the edit is carried to the other one. */
export type EditedIn = 'hubspot' | 'visma-nxt';

/** A customer linked on both sides by the first cycle. */
export interface LinkedPair {
  readonly associateNo: number;
  readonly companyId: string;
}

/** One edit of a customer's street address to a value of its own (the value names the edit). */
export interface EditRequest {
  readonly editedIn: EditedIn;
  readonly pair: LinkedPair;
  readonly value: string;
}

export interface Limit {
  readonly requests: number;
  readonly windowMs: number;
}

/** What the simulator process starts with: the seeded data, both simulators' limits, the watch's poll. */
export interface SimulatorStart {
  readonly seed: number;
  readonly customers: number;
  readonly perCustomer: number;
  readonly limits: { readonly hubspot: Limit; readonly visma: Limit };
  readonly pollMs: number;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
export async function inParallel<Item, Value>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Value>,
): Promise<Value[]> {
  const results: Value[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as Item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The customers the first cycle linked: a Business NXT customer and the company carrying its customer number. */
export function linkedPairs(world: World): LinkedPair[] {
  const companyOf = new Map<string, string>();
  for (const company of world.crm.store.records.companies.values()) {
    const customerNo = company.properties.get('visma_customer_no');
    if (!company.archived && customerNo) companyOf.set(customerNo, company.id);
  }
  const pairs: LinkedPair[] = [];
  for (const row of world.erp.store.rows.values()) {
    const companyId = row.customerNo > 0 ? companyOf.get(String(row.customerNo)) : undefined;
    if (companyId !== undefined) pairs.push({ associateNo: row.associateNo, companyId });
  }
  return pairs;
}
