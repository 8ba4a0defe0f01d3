import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, parseSyncPolicy, type SyncPolicy } from '../config/policy.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import { type SyncOperation, writeKinds } from './operations.js';
import { planSync } from './plan.js';

// A linked contact moved to another company in one system: the other system follows, as `contacts.customer` of
// the policy allows; a move to a company that is not a synced customer is held, never followed or reverted.
const policy = defaultSyncPolicy();
const writes = (operations: readonly SyncOperation[]) =>
  operations.filter((operation) => writeKinds.has(operation.kind));
/** What a plan does for contacts, and any write at all (the lead company's `not-eligible` skip is left out). */
const planned = (systems: InMemorySystems, using = policy) =>
  planSync(systems.input(using)).operations.filter(
    (operation) => operation.entity === 'contact' || writeKinds.has(operation.kind),
  );

function policyWith(input: unknown): SyncPolicy {
  const result = parseSyncPolicy(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.policy;
}

/** Two linked customers (101 ⇄ 1, 102 ⇄ 3), a lead company (103), a supplier (6), one linked contact (201 ⇄ 2). */
function seeded(): InMemorySystems {
  const systems = new InMemorySystems();
  systems.addCompany('101', { name: 'Brønnøy Båt AS', org_number: '974760673', lifecyclestage: 'customer' });
  systems.addCompany('102', {
    name: 'Statistikk Øst AS',
    org_number: '971526920',
    lifecyclestage: 'customer',
  });
  systems.addCompany('103', {
    name: 'Fjordkraft Larvik AS',
    org_number: '923609016',
    lifecyclestage: 'lead',
  });
  systems.addAssociate({ associateNo: 1, customerNo: 10001, name: 'Brønnøy Båt AS', companyNo: '974760673' });
  systems.addAssociate({
    associateNo: 3,
    customerNo: 10002,
    name: 'Statistikk Øst AS',
    companyNo: '971526920',
  });
  systems.addAssociate({ associateNo: 6, name: 'Leverandør AS' });
  systems.addContact(
    '201',
    { firstname: 'Ola', lastname: 'Nordmann', email: 'ola@bronnoybat.no', phone: '+4741234567' },
    ['101'],
  );
  systems.addAssociate({
    associateNo: 2,
    name: 'Ola Nordmann',
    emailAddress: 'ola@bronnoybat.no',
    phone: '+4741234567',
    contactPersonForAssociateNo: 1,
  });
  return systems;
}

function converged(systems: InMemorySystems, using = policy): void {
  for (let cycle = 0; cycle < 3; cycle += 1) systems.apply(planSync(systems.input(using)));
  expect(planned(systems, using)).toEqual([]);
}

function moveInHubSpot(systems: InMemorySystems, companyId: string): void {
  const contact = systems.contacts.get('201');
  if (contact === undefined) throw new Error('contact 201 is missing');
  // HubSpot keeps the old company associated; the primary association (type 1) moves.
  contact.companyIds = [...new Set([...(contact.companyIds ?? []), companyId])];
  contact.primaryCompanyId = companyId;
}

function moveInErp(systems: InMemorySystems, parent: number): void {
  const row = systems.associates.get(2);
  if (row === undefined) throw new Error('contact person 2 is missing');
  row.contactPersonForAssociateNo = parent;
}

describe('planSync: a linked contact moved to another company', () => {
  let systems: InMemorySystems;
  beforeEach(() => {
    systems = seeded();
    converged(systems);
    expect(systems.contactLinks.get('201')?.fingerprints.customer).toBeDefined();
  });

  it('moves the Business NXT contact person to the new customer when HubSpot moved the contact', () => {
    moveInHubSpot(systems, '102');
    const plan = planSync(systems.input(policy));
    expect(plan.operations.filter((operation) => operation.entity === 'contact')).toEqual([
      expect.objectContaining({
        kind: 'update-erp',
        entity: 'contact',
        crmId: '201',
        associateNo: 2,
        values: { contactPersonForAssociateNo: 3 },
        changes: [{ field: 'customer', before: '1', after: '3', reason: 'crm-changed' }],
      }),
    ]);
    systems.apply(plan);
    expect(systems.associates.get(2)?.contactPersonForAssociateNo).toBe(3);
    expect(planned(systems)).toEqual([]);
  });

  it('moves the HubSpot primary company when Business NXT moved the contact person', () => {
    moveInErp(systems, 3);
    const plan = planSync(systems.input(policy));
    expect(plan.operations.filter((operation) => operation.entity === 'contact')).toEqual([
      expect.objectContaining({
        kind: 'update-crm',
        entity: 'contact',
        crmId: '201',
        associateNo: 2,
        properties: {},
        primaryCompany: { crmId: '102', previousCrmId: '101' },
        changes: [{ field: 'customer', before: '101', after: '102', reason: 'erp-changed' }],
      }),
    ]);
    systems.apply(plan);
    expect(systems.contacts.get('201')?.primaryCompanyId).toBe('102');
    expect(planned(systems)).toEqual([]);
  });

  it('folds the move into the field update of the same record: one write per side', () => {
    moveInHubSpot(systems, '102');
    const contact = systems.contacts.get('201');
    if (contact) contact.properties.phone = '+47 33 12 34 56';
    expect(planned(systems)).toEqual([
      expect.objectContaining({
        kind: 'update-erp',
        values: { phone: '+4733123456', contactPersonForAssociateNo: 3 },
        changes: [
          expect.objectContaining({ field: 'phone', reason: 'crm-changed' }),
          expect.objectContaining({ field: 'customer', reason: 'crm-changed' }),
        ],
      }),
    ]);
  });

  it('holds a contact moved to a HubSpot company that is not a synced customer, naming the field, rule and company', () => {
    moveInHubSpot(systems, '103');
    const contact = systems.contacts.get('201');
    if (contact) contact.properties.phone = '+47 33 12 34 56';
    const plan = planSync(systems.input(policy));
    // Its fields still sync; the contact person stays with its customer.
    expect(writes(plan.operations)).toEqual([
      expect.objectContaining({ kind: 'update-erp', values: { phone: '+4733123456' } }),
    ]);
    const held = plan.operations.filter(
      (operation) => operation.kind === 'skip' && operation.entity === 'contact',
    );
    expect(held).toEqual([
      expect.objectContaining({
        entity: 'contact',
        system: 'hubspot',
        recordId: '201',
        reason: 'customer-not-synced',
        issues: [
          expect.objectContaining({
            system: 'hubspot',
            recordId: '201',
            field: 'customer',
            rule: 'customer-not-synced',
          }),
        ],
        related: expect.arrayContaining([{ system: 'hubspot', recordId: '103' }]),
      }),
    ]);
    systems.apply(plan);
    expect(systems.associates.get(2)?.contactPersonForAssociateNo).toBe(1);
    // Held every plan until resolved; moved back, it plans nothing again.
    expect(planned(systems)).toEqual([
      expect.objectContaining({ kind: 'skip', reason: 'customer-not-synced', recordId: '201' }),
    ]);
    moveInHubSpot(systems, '101');
    expect(planned(systems)).toEqual([]);
  });

  it('follows the move once the company becomes a synced customer', () => {
    moveInHubSpot(systems, '103');
    systems.apply(planSync(systems.input(policy)));
    const company = systems.companies.get('103');
    if (company) company.properties.lifecyclestage = 'customer';
    // The customer is created in Business NXT first; the contact follows it in the same plan or the next.
    for (let cycle = 0; cycle < 3; cycle += 1) systems.apply(planSync(systems.input(policy)));
    const created = systems.customerLinks.get('103')?.associateNo;
    expect(created).toBeDefined();
    expect(systems.associates.get(2)?.contactPersonForAssociateNo).toBe(created);
    expect(planned(systems)).toEqual([]);
  });

  it('holds a contact person moved to a Business NXT associate that is not a synced customer', () => {
    moveInErp(systems, 6);
    const plan = planSync(systems.input(policy));
    expect(writes(plan.operations)).toEqual([]);
    expect(plan.operations.filter((operation) => operation.entity === 'contact')).toEqual([
      expect.objectContaining({
        kind: 'skip',
        system: 'visma-nxt',
        recordId: '2',
        reason: 'customer-not-synced',
        issues: [expect.objectContaining({ field: 'customer', rule: 'customer-not-synced' })],
        related: expect.arrayContaining([{ system: 'visma-nxt', recordId: '6' }]),
      }),
    ]);
  });

  it('holds a contact moved differently on both sides under the default policy, and lets a side win when told', () => {
    systems.addCompany('104', { name: 'Fjerde AS', org_number: '982463718', lifecyclestage: 'customer' });
    converged(systems);
    const fourth = systems.customerLinks.get('104');
    if (fourth === undefined) throw new Error('company 104 was not linked');
    moveInHubSpot(systems, '102');
    moveInErp(systems, fourth.associateNo);
    const plan = planSync(systems.input(policy));
    expect(writes(plan.operations)).toEqual([]);
    expect(plan.operations.filter((operation) => operation.entity === 'contact')).toEqual([
      expect.objectContaining({
        kind: 'skip',
        system: 'hubspot',
        recordId: '201',
        reason: 'contact-customer-differs',
        issues: [expect.objectContaining({ field: 'customer', rule: 'contact-customer-differs' })],
      }),
    ]);
    const erpWins = policyWith({ contacts: { customer: { policy: 'erp-wins' } } });
    expect(planned(systems, erpWins)).toEqual([
      expect.objectContaining({
        kind: 'update-crm',
        primaryCompany: { crmId: '104', previousCrmId: '102' },
        changes: [expect.objectContaining({ reason: 'erp-wins' })],
      }),
    ]);
  });

  it('moves nothing when the policy does not let the relation flow that way', () => {
    moveInErp(systems, 3);
    const none = policyWith({ contacts: { customer: { direction: 'none' } } });
    expect(planned(systems, none)).toEqual([]);
    // HubSpot is the master of the relation: it does not follow, Business NXT is set back.
    const crmToErp = policyWith({ contacts: { customer: { direction: 'crm-to-erp' } } });
    expect(planned(systems, crmToErp)).toEqual([
      expect.objectContaining({
        kind: 'update-erp',
        values: { contactPersonForAssociateNo: 1 },
        changes: [expect.objectContaining({ reason: 'crm-to-erp' })],
      }),
    ]);
  });
});

describe('planSync: a contact linked before the relation was tracked', () => {
  it('stores the customer it agrees on without writing, and never guesses which side moved', () => {
    const systems = seeded();
    converged(systems);
    const link = systems.contactLinks.get('201');
    if (link === undefined) throw new Error('contact 201 was not linked');
    delete link.fingerprints.customer;
    expect(planned(systems)).toEqual([
      expect.objectContaining({
        kind: 'baseline',
        crmId: '201',
        fingerprints: { customer: expect.any(String) },
      }),
    ]);
    moveInErp(systems, 3);
    expect(planned(systems)).toEqual([
      expect.objectContaining({ kind: 'skip', reason: 'contact-customer-differs', recordId: '201' }),
    ]);
  });
});
