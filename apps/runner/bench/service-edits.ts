import type { World } from '../src/e2e/cli-harness.js';
import { erpAdmin } from '../src/e2e/serve-harness.js';
import type { LinkedPair } from './service-world.js';

/** The system a person edited in; the edit is carried to the other one. */
export type EditedIn = 'hubspot' | 'visma-nxt';

/** One edit of a customer's street address, and when its value showed in the other system's store. */
export interface Edit {
  readonly editedIn: EditedIn;
  readonly pair: LinkedPair;
  readonly value: string;
  /** Epoch ms just before the edit was sent. */
  readonly editedAt: number;
  /** Epoch ms of the first poll that saw the value in the other system; null while it has not. */
  arrivedAt: number | null;
}

/**
 * Edits "as a person" through the simulators' admin surface (not part of either API; packages/simulators), which
 * fires each system's webhooks as a person's edit would, and watches the other simulator's store every `pollMs`
 * for each edit's value: the address is `erp-wins` and only one side of a pair changes, so the value must arrive
 * unchanged.
 */
export function createEditTracker(world: World, pollMs = 20) {
  const pending = new Set<Edit>();
  const arrived = (edit: Edit): boolean =>
    edit.editedIn === 'hubspot'
      ? world.erp.store.rows.get(edit.pair.associateNo)?.addressLine1 === edit.value
      : world.crm.store.records.companies.get(edit.pair.companyId)?.properties.get('address') === edit.value;
  const timer = setInterval(() => {
    const at = Date.now();
    for (const edit of pending) {
      if (!arrived(edit)) continue;
      edit.arrivedAt = at;
      pending.delete(edit);
    }
  }, pollMs);

  return {
    /** Makes one edit; rejects naming the record when the simulator refused it. */
    async edit(editedIn: EditedIn, pair: LinkedPair, value: string): Promise<Edit> {
      const edit: Edit = { editedIn, pair, value, editedAt: Date.now(), arrivedAt: null };
      pending.add(edit);
      const [url, body] =
        editedIn === 'hubspot'
          ? [`${world.crm.baseUrl}/admin/companies/${pair.companyId}`, { address: value }]
          : [`${erpAdmin(world)}/associates/${pair.associateNo}`, { addressLine1: value }];
      const response = await fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (!response.ok) {
        pending.delete(edit);
        throw new Error(
          `editing the address of ${editedIn === 'hubspot' ? `HubSpot company ${pair.companyId}` : `Business NXT associate ${pair.associateNo}`}: the simulator answered ${response.status}`,
        );
      }
      return edit;
    },
    /** Resolves once every edit made so far arrived, or after `timeoutMs`: the caller checks which did not. */
    async settled(timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) await pause(pollMs);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type EditTracker = ReturnType<typeof createEditTracker>;

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
