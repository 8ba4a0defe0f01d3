import { describe, expect, it } from 'vitest';
import type { CanonicalContact } from '../model/contact.js';
import { createContactMatcher, type MatchableContact, type MatchablePerson } from './contact-matcher.js';

const blank: CanonicalContact = {
  name: null,
  email: null,
  phone: null,
  mobile: null,
  erpActorNo: null,
  customerActorNo: null,
};
const contact = (
  crmId: string,
  customerKey: string | null,
  fields: Partial<CanonicalContact>,
): MatchableContact => ({
  crmId,
  customerKey,
  record: { ...blank, ...fields },
});
const person = (
  associateNo: number,
  customerKey: string | null,
  fields: Partial<CanonicalContact>,
): MatchablePerson => ({
  associateNo,
  customerKey,
  record: { ...blank, erpActorNo: associateNo, ...fields },
});
const matcher = (persons: MatchablePerson[], linked: number[] = [], autoLinkCandidates = false) =>
  createContactMatcher({
    persons,
    isLinked: (associateNo) => linked.includes(associateNo),
    autoLinkCandidates,
  });

describe('createContactMatcher', () => {
  it('links by email within the same customer only', () => {
    const k = contact('1', 'c7', { email: 'per@a.no' });
    expect(matcher([person(8, 'c7', { email: 'per@a.no' })]).strong(k)).toEqual({
      kind: 'linked',
      target: 8,
      reason: 'email',
    });
    expect(matcher([person(8, 'c9', { email: 'per@a.no' })]).strong(k)).toEqual({ kind: 'none' });
  });

  it('links by the stored actor number, whatever the customer', () => {
    const k = contact('1', null, { erpActorNo: 8 });
    expect(matcher([person(8, 'c9', {})]).strong(k)).toEqual({
      kind: 'linked',
      target: 8,
      reason: 'erp-number',
    });
    expect(matcher([person(8, 'c9', {})], [8]).strong(k)).toEqual({ kind: 'none' });
  });

  it('reports several persons with one email as candidates', () => {
    const k = contact('1', 'c7', { email: 'post@a.no' });
    const match = matcher([person(8, 'c7', { email: 'post@a.no' }), person(9, 'c7', { email: 'post@a.no' })]);
    expect(match.strong(k)).toEqual({ kind: 'none' });
    expect(match.weak(k)).toMatchObject({
      kind: 'candidates',
      candidates: [{ recordId: '8' }, { recordId: '9' }],
    });
    expect(match.isHeld(9)).toBe(true);
  });

  it('offers a same-name person as a candidate unless both have different emails', () => {
    const k = contact('1', 'c7', { name: 'Kari Nordmann', email: 'kari@a.no' });
    expect(matcher([person(8, 'c7', { name: 'KARI NORDMANN' })]).weak(k)).toMatchObject({
      kind: 'candidates',
      candidates: [{ recordId: '8', reason: 'name' }],
    });
    expect(matcher([person(8, 'c7', { name: 'Kari Nordmann' })], [], true).weak(k)).toEqual({
      kind: 'linked',
      target: 8,
      reason: 'name',
    });
    expect(matcher([person(8, 'c7', { name: 'Kari Nordmann', email: 'kari.n@b.no' })]).weak(k)).toEqual({
      kind: 'none',
    });
  });
});
