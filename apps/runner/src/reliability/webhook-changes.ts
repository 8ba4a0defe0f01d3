import { orgNumber } from '@port-service/simulators';
import { admin } from '../e2e/cli-harness.js';
import { erpAdmin } from '../e2e/serve-harness.js';
import { type LinkedPair, linkedPairs, recordsWithOrg } from './webhook-records.js';
import type { Delivery, WebhookSystem } from './webhook-signing.js';
import { type WebhookWorld, waitUntil } from './webhook-world.js';

/** The changes people make that the duplicated and reordered cases deliver: an edit or a create, on either side. */
export type ChangeKind = 'hubspot-edit' | 'visma-edit' | 'hubspot-create' | 'visma-create';
export const changeKinds: readonly ChangeKind[] = [
  'hubspot-edit',
  'visma-edit',
  'hubspot-create',
  'visma-create',
];

export interface Change extends MadeChange {
  readonly kind: ChangeKind;
  /** The system the person changed: its delivery announces it. */
  readonly source: WebhookSystem;
  /** The simulator's delivery of the change, withheld by the relay for the test to post. */
  readonly delivery: Delivery;
}

export const sourceOf = (kind: ChangeKind): WebhookSystem =>
  kind.startsWith('hubspot') ? 'hubspot' : 'visma-nxt';

/** Picks a linked pair, preferring ones `used` does not hold yet (each round its own record). */
export function pickPair(context: WebhookWorld, random: () => number, used: Set<number>): LinkedPair {
  const pairs = linkedPairs(context.world);
  const fresh = pairs.filter((pair) => !used.has(pair.row.associateNo));
  const from = fresh.length > 0 ? fresh : pairs;
  const pair = from[Math.floor(random() * from.length)];
  if (pair === undefined) throw new Error('the world has no linked customer pair');
  used.add(pair.row.associateNo);
  return pair;
}

/** A change a person made, and how to see it arrived on the other side. */
export interface MadeChange {
  arrived(): boolean;
  /** The org number of a created record. */
  readonly org: string | null;
  readonly what: string;
}

/**
 * Makes one change through the simulator's admin surface, "as a person in that system": its webhook fires. Edits
 * set a customer's address; creates add a customer with a new org number.
 */
export async function changeRecord(
  context: WebhookWorld,
  kind: ChangeKind,
  random: () => number,
  used: Set<number>,
  serial: number,
): Promise<MadeChange> {
  const w = context.world;
  if (kind === 'hubspot-edit' || kind === 'visma-edit') {
    const { row, company } = pickPair(context, random, used);
    const value = `Leveringsveien ${serial}`;
    const what = `${kind} of customer ${row.associateNo} / company ${company.id} (address "${value}")`;
    if (kind === 'hubspot-edit') {
      await admin(`${w.crm.baseUrl}/admin/companies/${company.id}`, 'PATCH', { address: value });
      return {
        what,
        org: null,
        arrived: () => w.erp.store.rows.get(row.associateNo)?.addressLine1 === value,
      };
    }
    await admin(`${erpAdmin(w)}/associates/${row.associateNo}`, 'PATCH', { addressLine1: value });
    return { what, org: null, arrived: () => company.properties.get('address') === value };
  }
  const org = orgNumber(random);
  const what = `${kind} with org number ${org}`;
  if (kind === 'hubspot-create') {
    await admin(`${w.crm.baseUrl}/admin/companies`, 'POST', {
      name: `Levering ${serial} AS`,
      org_number: org,
      lifecyclestage: 'customer',
    });
    return { what, org, arrived: () => recordsWithOrg(w, org).vismaNxt > 0 };
  }
  await admin(`${erpAdmin(w)}/associates`, 'POST', {
    customerNo: w.erp.store.nextCustomerNo(),
    name: `Levering ERP ${serial} AS`,
    companyNo: org,
    countryNo: 47,
  });
  return { what, org, arrived: () => recordsWithOrg(w, org).hubspot > 0 };
}

/** `changeRecord` with the relay holding that system's deliveries: the change and the delivery it made. */
export async function makeChange(
  context: WebhookWorld,
  kind: ChangeKind,
  random: () => number,
  used: Set<number>,
  serial: number,
): Promise<Change> {
  const { relay } = context;
  const source = sourceOf(kind);
  relay.mode[source] = 'hold';
  relay.take();
  const made = await changeRecord(context, kind, random, used, serial);
  await waitUntil(`the simulator's delivery of the ${made.what}`, () => relay.held.length > 0);
  const [delivery] = relay.take();
  relay.mode[source] = 'forward';
  if (delivery === undefined) throw new Error(`no delivery of the ${made.what}`);
  return { kind, source, delivery, ...made, arrived: made.arrived };
}
