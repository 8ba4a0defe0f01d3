import { describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../config/policy.js';
import type { AssociateInput } from '../sources/associate.js';
import type { HubSpotObjectInput } from '../sources/hubspot.js';
import type { LinkState } from './context.js';
import { planSync } from './plan.js';

// The decisions people made in the systems, read back from them (what a lost state store cannot take away).
const policy = defaultSyncPolicy();
const fingerprintKey = 'a-test-key-of-sixteen-or-more';

const company = (id: string, properties: Record<string, string>, archived = false): HubSpotObjectInput => ({
  id,
  properties: { name: 'Larvik Havn AS', org_number: '923609016', lifecyclestage: 'customer', ...properties },
  archived,
});
const customer: AssociateInput = {
  associateNo: 7,
  customerNo: 10007,
  name: 'Larvik Havn AS',
  companyNo: '923609016',
};

function plan(input: {
  companies?: HubSpotObjectInput[];
  customers?: AssociateInput[];
  links?: LinkState[];
  missing?: number[];
}) {
  return planSync({
    hubspot: { companies: input.companies ?? [], contacts: [] },
    erp: { customers: input.customers ?? [], contactPersons: [], missingAssociateNos: input.missing ?? [] },
    links: { customers: input.links ?? [], contacts: [] },
    policy,
    fingerprintKey,
  }).operations;
}

describe('decisions read back from the systems', () => {
  it('an archived company that carries a customer’s actor number keeps that customer out of HubSpot', () => {
    const operations = plan({
      companies: [company('301', { visma_actor_no: '7' }, true)],
      customers: [customer],
    });
    expect(operations.map((operation) => operation.kind)).toEqual(['orphan']);
    expect(operations[0]).toMatchObject({
      crmId: '301',
      associateNo: 7,
      side: 'crm',
      reason: 'archived-in-hubspot',
    });
  });

  it('a company whose actor number Business NXT no longer has is not created there again', () => {
    const operations = plan({ companies: [company('302', { visma_actor_no: '8' })], missing: [8] });
    expect(operations.map((operation) => operation.kind)).toEqual(['orphan']);
    expect(operations[0]).toMatchObject({
      crmId: '302',
      associateNo: 8,
      side: 'erp',
      reason: 'deleted-in-business-nxt',
    });
  });

  it('a customer created again with the org number of the deleted one is held, not linked to the company', () => {
    const operations = plan({
      companies: [company('302', { visma_actor_no: '8' })],
      customers: [{ ...customer, associateNo: 9, customerNo: 10009 }],
      missing: [8],
    });
    expect(operations.map((operation) => operation.kind)).toEqual(['orphan', 'candidates']);
  });

  it('a restored company makes its orphaned link active again, and the pair syncs', () => {
    const orphaned: LinkState = {
      crmId: '303',
      associateNo: 7,
      fingerprints: {},
      status: 'orphaned',
      statusReason: 'archived-in-hubspot',
    };
    const operations = plan({
      companies: [company('303', { visma_actor_no: '7', name: 'Larvik Havn AS (restaurert)' })],
      customers: [customer],
      links: [orphaned],
    });
    expect(operations[0]).toMatchObject({ kind: 'restore', crmId: '303', associateNo: 7 });
    expect(
      operations.some((operation) => operation.kind === 'create-crm' || operation.kind === 'create-erp'),
    ).toBe(false);
    expect(operations.length).toBeGreaterThan(1);
  });

  it('a link orphaned by a deletion in Business NXT is never restored, even if a row has its number again', () => {
    const orphaned: LinkState = {
      crmId: '304',
      associateNo: 7,
      fingerprints: {},
      status: 'orphaned',
      statusReason: 'deleted-in-business-nxt',
    };
    const operations = plan({
      companies: [company('304', { visma_actor_no: '7' })],
      customers: [customer],
      links: [orphaned],
    });
    expect(operations.map((operation) => operation.kind)).not.toContain('restore');
    expect(operations.some((operation) => operation.kind.startsWith('create'))).toBe(false);
  });

  it('a customer whose company HubSpot merged away is held naming the survivor, not created again', () => {
    const survivor: HubSpotObjectInput = {
      ...company('305', { visma_actor_no: '7', hs_merged_object_ids: '301;302' }),
      propertyHistory: { visma_actor_no: ['7', '8'] },
    };
    const operations = plan({
      companies: [survivor],
      customers: [customer, { ...customer, associateNo: 8, customerNo: 10008, name: 'Larvik Havn Drift AS' }],
    });
    expect(operations).toContainEqual(
      expect.objectContaining({ kind: 'skip', recordId: '8', reason: 'merged-in-hubspot' }),
    );
    expect(operations).toContainEqual(
      expect.objectContaining({ kind: 'link', crmId: '305', associateNo: 7 }),
    );
    expect(operations.some((operation) => operation.kind === 'create-crm')).toBe(false);
  });

  it('an actor number in the history of a record that was never merged holds nothing', () => {
    const record: HubSpotObjectInput = {
      ...company('306', { visma_actor_no: '7' }),
      propertyHistory: { visma_actor_no: ['7', '8'] },
    };
    const operations = plan({
      companies: [record],
      customers: [customer, { ...customer, associateNo: 8, customerNo: 10008, companyNo: '' }],
    });
    expect(operations.map((operation) => operation.kind)).not.toContain('skip');
  });
});
