import { orgNumber } from '@port-service/simulators';
import { admin, pause, type World } from '../e2e/cli-harness.js';
import { erpAdmin } from '../e2e/serve-harness.js';
import { linkedPairs, liveContacts, recordsWithOrg } from './webhook-records.js';

/** What the people made while the leaders were being killed. */
export interface EditCounts {
  companyEdits: number;
  contactEdits: number;
  customerEdits: number;
  creates: number;
}

/** People editing both systems the whole time, each edit's latest value remembered to be checked on both sides. */
export interface EditStream {
  readonly counts: EditCounts;
  /** The latest edit of each field and every create that is not yet on both sides, each named. */
  missing(): string[];
  /** Stops after the edit under way; throws what stopped it early, if anything did. */
  stop(): Promise<void>;
}

interface Expectation {
  readonly what: string;
  arrived(): boolean;
}

const digits = (value: string | null | undefined) => String(value ?? '').replace(/\D/gu, '');

/** HubSpot contacts linked to a Business NXT contact person, by the actor number the contact carries. */
function linkedContacts(world: World) {
  const persons = new Map(
    [...world.erp.store.rows.values()]
      .filter((row) => row.contactPersonForAssociateNo > 0)
      .map((row) => [String(row.associateNo), row.associateNo]),
  );
  return liveContacts(world).flatMap((contact) => {
    const person = persons.get(contact.properties.get('visma_actor_no') ?? '');
    return person === undefined ? [] : [{ contactId: contact.id, personNo: person }];
  });
}

/**
 * Starts the edits through the simulators' admin surface ("as a person in that system": their webhooks fire),
 * one every `pauseMs` drawn from the range: addresses of linked customers (even associate numbers edited in
 * HubSpot, odd ones in Business NXT, so each field's last edit is what must remain, whatever the conflict policy),
 * phone numbers of linked contacts in HubSpot, and now and then a new customer on either side.
 */
export function startEditStream(
  world: World,
  random: () => number,
  pauseMs: readonly [number, number],
): EditStream {
  const pairs = linkedPairs(world).map(({ row, company }) => ({
    associateNo: row.associateNo,
    id: company.id,
  }));
  const contacts = linkedContacts(world);
  if (pairs.length === 0 || contacts.length === 0) throw new Error('the world has no linked pairs to edit');
  const counts: EditCounts = { companyEdits: 0, contactEdits: 0, customerEdits: 0, creates: 0 };
  const latest = new Map<string, Expectation>();
  const creates: Expectation[] = [];
  const orgs = new Set<string>();
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  let serial = 0;
  let stopped = false;

  const editPair = async () => {
    const pair = pick(pairs);
    const value = `Failoverveien ${serial}`;
    const erpValue = () => world.erp.store.rows.get(pair.associateNo)?.addressLine1;
    const crmValue = () => world.crm.store.records.companies.get(pair.id)?.properties.get('address');
    const viaHubSpot = pair.associateNo % 2 === 0;
    if (viaHubSpot) {
      await admin(`${world.crm.baseUrl}/admin/companies/${pair.id}`, 'PATCH', { address: value });
      counts.companyEdits += 1;
    } else {
      await admin(`${erpAdmin(world)}/associates/${pair.associateNo}`, 'PATCH', { addressLine1: value });
      counts.customerEdits += 1;
    }
    latest.set(`customer ${pair.associateNo} address`, {
      what: `the address "${value}" of customer ${pair.associateNo} / company ${pair.id}, edited in ${viaHubSpot ? 'HubSpot' : 'Business NXT'}`,
      arrived: () => erpValue() === value && crmValue() === value,
    });
  };

  const editContact = async () => {
    const contact = pick(contacts);
    const phone = `4${String(serial).padStart(7, '0')}`;
    await admin(`${world.crm.baseUrl}/admin/contacts/${contact.contactId}`, 'PATCH', {
      phone: `+47 ${phone}`,
    });
    counts.contactEdits += 1;
    latest.set(`contact ${contact.personNo} phone`, {
      what: `the phone ${phone} of contact ${contact.contactId} / contact person ${contact.personNo}, edited in HubSpot`,
      arrived: () => digits(world.erp.store.rows.get(contact.personNo)?.phone).endsWith(phone),
    });
  };

  const create = async () => {
    let org = orgNumber(random);
    while (orgs.has(org) || recordsWithOrg(world, org).hubspot + recordsWithOrg(world, org).vismaNxt > 0)
      org = orgNumber(random);
    orgs.add(org);
    const inHubSpot = counts.creates % 2 === 0;
    if (inHubSpot)
      await admin(`${world.crm.baseUrl}/admin/companies`, 'POST', {
        name: `Failover ${serial} AS`,
        org_number: org,
        lifecyclestage: 'customer',
      });
    else
      await admin(`${erpAdmin(world)}/associates`, 'POST', {
        customerNo: world.erp.store.nextCustomerNo(),
        name: `Failover ERP ${serial} AS`,
        companyNo: org,
        countryNo: 47,
      });
    counts.creates += 1;
    creates.push({
      what: `the customer with org number ${org}, created in ${inHubSpot ? 'HubSpot' : 'Business NXT'}`,
      arrived: () => {
        const found = recordsWithOrg(world, org);
        return found.hubspot > 0 && found.vismaNxt > 0;
      },
    });
  };

  const running = (async () => {
    while (!stopped) {
      serial += 1;
      const draw = random();
      if (draw < 0.55) await editPair();
      else if (draw < 0.88) await editContact();
      else await create();
      await pause(pauseMs[0] + random() * (pauseMs[1] - pauseMs[0]));
    }
  })();
  // A failed edit ends the stream; `stop` reports it.
  running.catch(() => undefined);

  return {
    counts,
    missing: () =>
      [...latest.values(), ...creates].filter((edit) => !edit.arrived()).map((edit) => edit.what),
    async stop() {
      stopped = true;
      await running;
    },
  };
}
