import { describe, expect, it } from 'vitest';
import { defaultSyncPolicy, parseSyncPolicy, type SyncPolicy } from '../config/policy.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import type { SyncOperation } from './operations.js';
import { planSync } from './plan.js';

// Pairs a person said are two different records (the runner's `crm-sync candidates separate`): neither is matched
// with the other nor reported as its candidate, so each is planned as unmatched; other records still match them.
const policy = defaultSyncPolicy();
const kinds = (operations: readonly SyncOperation[]) => operations.map((operation) => operation.kind);

function policyWith(input: unknown): SyncPolicy {
  const result = parseSyncPolicy(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.policy;
}

function sameNameCustomers(): InMemorySystems {
  const systems = new InMemorySystems();
  systems.addCompany('1', { name: 'Larvik Havn AS', zip: '3263', lifecyclestage: 'customer' });
  systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'LARVIK HAVN', postCode: '3263' });
  return systems;
}

describe('planSync: separated pairs', () => {
  it('plans a separated name + postal code pair as two unmatched customers: each created on the other side', () => {
    const systems = sameNameCustomers();
    expect(kinds(planSync(systems.input(policy)).operations)).toEqual(['candidates']);
    const plan = planSync(
      systems.input(policy, { separated: { customers: [{ crmId: '1', associateNo: 7 }] } }),
    );
    expect(plan.operations).toEqual([
      expect.objectContaining({ kind: 'create-erp', crmId: '1' }),
      expect.objectContaining({ kind: 'create-crm', associateNo: 7 }),
    ]);
  });

  it('never auto-links a separated pair, and keeps the pairs of one entity apart from the other', () => {
    const systems = sameNameCustomers();
    const auto = policyWith({ matching: { autoLinkCandidates: true } });
    expect(kinds(planSync(systems.input(auto)).operations)).toContain('link');
    const asContacts = planSync(
      systems.input(auto, { separated: { contacts: [{ crmId: '1', associateNo: 7 }] } }),
    );
    expect(kinds(asContacts.operations)).toContain('link');
    const apart = planSync(
      systems.input(auto, { separated: { customers: [{ crmId: '1', associateNo: 7 }] } }),
    );
    expect(kinds(apart.operations)).not.toContain('link');
  });

  it('leaves the other candidates of a record: one separated from two same-org customers links to the other', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'Dobbel AS', org_number: '923609016', lifecyclestage: 'customer' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'Dobbel AS', companyNo: '923609016' });
    systems.addAssociate({ associateNo: 8, customerNo: 2, name: 'Dobbel AS Larvik', companyNo: '923609016' });
    const plan = planSync(
      systems.input(policy, { separated: { customers: [{ crmId: '1', associateNo: 8 }] } }),
    );
    expect(plan.operations[0]).toMatchObject({
      kind: 'link',
      crmId: '1',
      associateNo: 7,
      reason: 'org-number',
    });
    expect(
      plan.operations.some((operation) => operation.kind === 'candidates' && operation.recordId === '1'),
    ).toBe(false);
  });

  it('still links a separated pair by the actor number a person set on the HubSpot record', () => {
    const systems = sameNameCustomers();
    systems.addCompany('1', {
      name: 'Larvik Havn AS',
      zip: '3263',
      lifecyclestage: 'customer',
      visma_actor_no: '7',
    });
    const plan = planSync(
      systems.input(policy, { separated: { customers: [{ crmId: '1', associateNo: 7 }] } }),
    );
    expect(plan.operations[0]).toMatchObject({ kind: 'link', reason: 'erp-number', associateNo: 7 });
  });

  it('plans a separated same-name contact pair as unmatched: the contact created in Business NXT, the person in HubSpot', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'Larvik Havn AS', lifecyclestage: 'customer' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'Larvik Havn AS' });
    systems.customerLinks.set('1', { crmId: '1', associateNo: 7, fingerprints: {} });
    systems.addContact('20', { firstname: 'Kari', lastname: 'Nordmann' }, ['1']);
    systems.addAssociate({ associateNo: 30, name: 'Kari Nordmann', contactPersonForAssociateNo: 7 });
    const held = planSync(systems.input(policy)).operations.filter(
      (operation) => operation.entity === 'contact',
    );
    expect(held).toEqual([expect.objectContaining({ kind: 'candidates', recordId: '20' })]);
    const apart = planSync(
      systems.input(policy, { separated: { contacts: [{ crmId: '20', associateNo: 30 }] } }),
    ).operations.filter((operation) => operation.entity === 'contact');
    expect(apart).toEqual([
      expect.objectContaining({ kind: 'create-erp', crmId: '20' }),
      expect.objectContaining({ kind: 'create-crm', associateNo: 30 }),
    ]);
  });
});
