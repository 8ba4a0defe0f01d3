import { describe, expect, it } from 'vitest';
import * as mapping from './index.js';

describe('public surface', () => {
  it('exports exactly these values (types are checked by the compiler)', () => {
    expect(Object.keys(mapping).sort()).toMatchInlineSnapshot(`
      [
        "associateToContact",
        "associateToCustomer",
        "canonicalContactSchema",
        "canonicalCustomerSchema",
        "cityKey",
        "companyNameKey",
        "companyPropertyNames",
        "compareKey",
        "conflictPolicies",
        "contactCompanyId",
        "contactSyncFields",
        "contactToAssociateValues",
        "contactToHubSpotProperties",
        "countryDisplayName",
        "createContactMatcher",
        "createCustomerMatcher",
        "createFingerprinter",
        "createTimestampReader",
        "customerCandidateKey",
        "customerSyncFields",
        "customerToAssociateValues",
        "customerToHubSpotProperties",
        "defaultContactFieldRules",
        "defaultCustomerFieldRules",
        "defaultSyncPolicy",
        "directions",
        "erpColumnLimits",
        "erpNumbersToHubSpotProperties",
        "hubSpotCompanyToCustomer",
        "hubSpotContactToContact",
        "hubSpotFieldProperties",
        "joinPersonName",
        "mayNeedFieldTimes",
        "mergeField",
        "mergedActorNumbers",
        "newestWinsProperties",
        "normalizeCity",
        "normalizeCountryName",
        "normalizeEmail",
        "normalizeOrgNumber",
        "normalizePersonName",
        "normalizePhone",
        "normalizePostalCode",
        "normalizeText",
        "normalizeVismaCountryNo",
        "parseSyncPolicy",
        "personNameKey",
        "planSync",
        "recordFingerprintField",
        "splitPersonName",
        "syncPolicySchema",
        "vismaCountryNoFor",
        "writeKinds",
      ]
    `);
  });
});

describe('README examples', () => {
  it('plans the example sync', () => {
    const plan = mapping.planSync({
      hubspot: {
        companies: [
          {
            id: '101',
            properties: {
              name: 'Port-Service Øst AS',
              org_number: '923 609 016',
              lifecyclestage: 'customer',
            },
          },
        ],
        contacts: [
          {
            id: '201',
            properties: { firstname: 'Iselin', lastname: 'Fox', email: 'Iselin@port-service.no' },
            companyIds: ['101'],
          },
        ],
      },
      erp: { customers: [], contactPersons: [] },
      links: { customers: [], contacts: [] },
      policy: mapping.defaultSyncPolicy(),
      fingerprintKey: 'readme-example-key-0123',
    });
    expect(plan.operations).toMatchObject([
      {
        kind: 'create-erp',
        entity: 'customer',
        crmId: '101',
        values: { name: 'Port-Service Øst AS', companyNo: '923609016' },
      },
      {
        kind: 'create-erp',
        entity: 'contact',
        crmId: '201',
        customer: { kind: 'planned', operationId: 'customer:create-erp:101' },
        values: { name: 'Iselin Fox', emailAddress: 'iselin@port-service.no' },
      },
    ]);
    expect(plan.operations.filter((operation) => mapping.writeKinds.has(operation.kind))).toHaveLength(2);
  });

  it('gives the documented normalizer results', () => {
    expect(mapping.normalizeOrgNumber('NO 923 609 016 MVA')).toEqual({ ok: true, value: '923609016' });
    expect(mapping.normalizeOrgNumber('923609017')).toMatchObject({
      ok: false,
      rule: 'org-number-check-digit',
    });
    expect(mapping.normalizePhone('0047 920 99 720')).toEqual({ ok: true, value: '+4792099720' });
    expect(mapping.normalizePhone('+47 99 58 22 44 ext. 12')).toEqual({
      ok: true,
      value: '+4799582244;ext=12',
    });
    expect(mapping.normalizeEmail(' Iselin@Port-Service.NO')).toEqual({
      ok: true,
      value: 'iselin@port-service.no',
    });
    expect(mapping.normalizePostalCode('3270', 'NO')).toEqual({ ok: true, value: '3270' });
    expect(mapping.normalizeCountryName('Norge')).toEqual({ ok: true, value: 'NO' });
    expect(mapping.normalizeVismaCountryNo(47)).toEqual({ ok: true, value: 'NO' });
    expect(mapping.splitPersonName('Ola van der Berg')).toEqual({
      firstName: 'Ola',
      lastName: 'van der Berg',
    });
    expect(mapping.normalizeText('Ro\u0338dbølveien\u0007')).toMatchObject({
      ok: false,
      rule: 'control-character',
    });
  });

  it('validates the documented policy and names the key of a bad one', () => {
    expect(
      mapping.parseSyncPolicy({
        customers: {
          fields: { phone: { policy: 'crm-wins' } },
          createInErp: { property: 'lifecyclestage', values: ['customer'] },
        },
        contacts: { fields: { email: { policy: 'manual' } } },
        matching: { autoLinkCandidates: false },
        hubspotProperties: {
          erpCustomerNo: 'visma_customer_no',
          erpActorNo: 'visma_actor_no',
          orgNumber: 'org_number',
        },
      }).ok,
    ).toBe(true);
    const bad = mapping.parseSyncPolicy({ customers: { fields: { phone: { policy: 'loudest-wins' } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^customers\.fields\.phone\.policy: /);
  });
});
