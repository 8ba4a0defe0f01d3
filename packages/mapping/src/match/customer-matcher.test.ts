import { describe, expect, it } from 'vitest';
import type { CanonicalCustomer } from '../model/customer.js';
import {
  createCustomerMatcher,
  customerCandidateKey,
  type MatchableCompany,
  type MatchableCustomer,
} from './customer-matcher.js';

const blank: CanonicalCustomer = {
  orgNumber: null,
  name: null,
  addressLine1: null,
  addressLine2: null,
  postalCode: null,
  city: null,
  country: null,
  phone: null,
  email: null,
  erpCustomerNo: null,
  erpActorNo: null,
};
const company = (crmId: string, fields: Partial<CanonicalCustomer>): MatchableCompany => ({
  crmId,
  record: { ...blank, ...fields },
});
const customer = (associateNo: number, fields: Partial<CanonicalCustomer>): MatchableCustomer => ({
  associateNo,
  record: { ...blank, erpActorNo: associateNo, ...fields },
});

function matcher(
  companies: MatchableCompany[],
  customers: MatchableCustomer[],
  links: Record<number, string | true> = {},
  autoLinkCandidates = false,
) {
  return createCustomerMatcher({
    companies,
    customers,
    linkOf: (associateNo) => links[associateNo],
    autoLinkCandidates,
  });
}

describe('createCustomerMatcher', () => {
  it('links by the actor number stored in HubSpot, before anything else', () => {
    const a = company('1', { erpActorNo: 7, orgNumber: '923609016' });
    const match = matcher([a], [customer(7, {}), customer(8, { orgNumber: '923609016' })]);
    expect(match.strong(a)).toEqual({ kind: 'linked', target: 7, reason: 'erp-number' });
    expect(match.isClaimed(7)).toBe(true);
  });

  it('reports a stored actor number that another company is linked to', () => {
    const a = company('2', { erpActorNo: 7 });
    expect(matcher([a], [customer(7, {})], { 7: '1' }).strong(a)).toMatchObject({
      kind: 'candidates',
      candidates: [{ system: 'hubspot', recordId: '1', reason: 'erp-number' }],
    });
  });

  it('links by an unambiguous organization number', () => {
    const a = company('1', { orgNumber: '923609016' });
    expect(matcher([a], [customer(7, { orgNumber: '923609016' })]).strong(a)).toEqual({
      kind: 'linked',
      target: 7,
      reason: 'org-number',
    });
  });

  it.each([
    [
      'two customers share it',
      [company('1', { orgNumber: '923609016' })],
      [customer(7, { orgNumber: '923609016' }), customer(8, { orgNumber: '923609016' })],
      {},
      /2 Business NXT customers/,
    ],
    [
      'two companies share it',
      [company('1', { orgNumber: '923609016' }), company('2', { orgNumber: '923609016' })],
      [customer(7, { orgNumber: '923609016' })],
      {},
      /2 HubSpot companies/,
    ],
    [
      'its customer is linked elsewhere',
      [company('1', { orgNumber: '923609016' })],
      [customer(7, { orgNumber: '923609016' })],
      { 7: '9' },
      /linked to another HubSpot company/,
    ],
  ] as const)(
    'never links an ambiguous organization number: %s',
    (_, companies, customers, links, reason) => {
      const [first] = companies;
      if (first === undefined) throw new Error('no company');
      const result = matcher([...companies], [...customers], links).strong(first);
      expect(result.kind).toBe('candidates');
      if (result.kind === 'candidates') expect(result.reason).toMatch(reason);
    },
  );

  it('reports name + postal code matches as candidates, ignoring case and legal form', () => {
    const a = company('1', { name: 'Larvik Havn AS', postalCode: '3263' });
    const customers = [
      customer(7, { name: 'LARVIK HAVN', postalCode: '3263' }),
      customer(8, { name: 'Larvik Havn AS', postalCode: '3264' }),
    ];
    expect(matcher([a], customers).weak(a)).toEqual({
      kind: 'candidates',
      candidates: [{ system: 'visma-nxt', recordId: '7', score: 0.8, reason: 'name-and-postal-code' }],
      reason: 'a Business NXT customer has the same name and postal code',
    });
    expect(matcher([a], customers, {}, true).weak(a)).toEqual({
      kind: 'linked',
      target: 7,
      reason: 'name-and-postal-code',
    });
  });

  it('does not offer a same-name customer whose organization number differs', () => {
    const a = company('1', { name: 'Fjord AS', postalCode: '3270', orgNumber: '923609016' });
    expect(
      matcher([a], [customer(7, { name: 'Fjord AS', postalCode: '3270', orgNumber: '974760673' })]).weak(a),
    ).toEqual({
      kind: 'none',
    });
  });

  it('finds nothing for a company without matches', () => {
    const a = company('1', { name: 'Ny AS', postalCode: '3270', orgNumber: '923609016' });
    const match = matcher([a], [customer(7, { name: 'Gammel AS', postalCode: '3270' })]);
    expect(match.strong(a)).toEqual({ kind: 'none' });
    expect(match.weak(a)).toEqual({ kind: 'none' });
  });

  it('holds Business NXT customers that share an organization number', () => {
    const match = matcher(
      [],
      [customer(7, { orgNumber: '923609016' }), customer(8, { orgNumber: '923609016' })],
    );
    expect(match.forCustomer(customer(7, { orgNumber: '923609016' }))).toMatchObject({
      kind: 'candidates',
      candidates: [{ system: 'visma-nxt', recordId: '8' }],
    });
    expect(match.isHeld(8)).toBe(true);
  });
});

describe('customerCandidateKey', () => {
  it('is the same for one company written two ways in one postal code, and null without name or postal code', () => {
    const key = (fields: Partial<CanonicalCustomer>) => customerCandidateKey({ ...blank, ...fields });
    expect(key({ name: 'Port-Service Øst AS', postalCode: '0150' })).toBe(
      key({ name: 'PORT SERVICE ØST', postalCode: '0150' }),
    );
    expect(key({ name: 'Port-Service Øst AS', postalCode: '0150' })).not.toBe(
      key({ name: 'Port-Service Øst AS', postalCode: '0151' }),
    );
    expect(key({ name: 'Port-Service Øst AS', postalCode: null })).toBeNull();
    expect(key({ name: null, postalCode: '0150' })).toBeNull();
  });
});
