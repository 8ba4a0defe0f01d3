import {
  type AssociateInput,
  createFingerprinter,
  defaultSyncPolicy,
  type Entity,
  planSync,
  type SyncOperation,
} from '@port-service/mapping';
import { describe, expect, it } from 'vitest';
import type { StoredLink } from '../state/state-store.js';
import { isOwnErpEcho, type OwnEchoContext, setOwnEchoesApart } from './own-echoes.js';

// The links here get their fingerprints from the planner itself (a create's), so the check is held to the
// planner's own prints, not to a copy of how they are made.
const policy = defaultSyncPolicy();
const hashKey = 'a-test-fingerprint-key-0123456789';
const clientId = 'port-service-sync';

function context(entity: Entity, openErrors: string[] = []): OwnEchoContext {
  return {
    entity,
    clientId,
    policy,
    fingerprint: createFingerprinter(hashKey),
    openErrors: new Set(openErrors),
  };
}

const customer: AssociateInput = {
  associateNo: 1,
  customerNo: 10001,
  name: 'Brønnøy Båt AS',
  companyNo: '974760673',
  addressLine1: 'Havnegata 3',
  postCode: '8900',
  postalArea: 'BRØNNØYSUND',
  countryNo: 47,
  phone: '+4775007500',
  emailAddress: 'post@bronnoybat.no',
  changedByUser: clientId,
};
const person: AssociateInput = {
  associateNo: 2,
  name: 'Ola Nordmann',
  emailAddress: 'ola@bronnoybat.no',
  phone: '+4741234567',
  contactPersonForAssociateNo: 1,
  changedByUser: clientId,
};

function link(crmId: string, associateNo: number, fingerprints: Record<string, string>): StoredLink {
  return {
    crmId,
    associateNo,
    fingerprints,
    status: 'active',
    statusReason: null,
    updatedAt: '2026-11-24T10:00:00.000Z',
  };
}

/** The link the planner's create of this row in HubSpot stores (fingerprints and, for a contact, its customer). */
function createdLink(row: AssociateInput, entity: Entity, customerLinks: StoredLink[] = []): StoredLink {
  const plan = planSync({
    hubspot: { companies: [], contacts: [] },
    erp:
      entity === 'customer'
        ? { customers: [row], contactPersons: [] }
        : { customers: [], contactPersons: [row] },
    links: { customers: customerLinks, contacts: [] },
    policy,
    fingerprintKey: hashKey,
  });
  const create = plan.operations.find(
    (operation): operation is Extract<SyncOperation, { kind: 'create-crm' }> =>
      operation.kind === 'create-crm' && operation.entity === entity,
  );
  if (create === undefined) throw new Error(`no create-crm planned for ${entity} ${row.associateNo}`);
  return link('901', row.associateNo, { ...create.fingerprints, ...create.relationFingerprints });
}

describe('a customer row the sync wrote itself', () => {
  const stored = createdLink(customer, 'customer');

  it('is an echo when every synced field has the recorded value (a city compares without case, as planned)', () => {
    expect(isOwnErpEcho(customer, stored, context('customer'))).toBe(true);
    expect(isOwnErpEcho({ ...customer, postalArea: 'Brønnøysund' }, stored, context('customer'))).toBe(true);
    // Who changed it is compared without regard to letter case.
    expect(
      isOwnErpEcho({ ...customer, changedByUser: 'PORT-SERVICE-SYNC' }, stored, context('customer')),
    ).toBe(true);
  });

  it('is no echo once a value differs from the recorded one, or the mapping rejects one', () => {
    expect(isOwnErpEcho({ ...customer, phone: '+4775007501' }, stored, context('customer'))).toBe(false);
    expect(isOwnErpEcho({ ...customer, addressLine2: 'Postboks 9' }, stored, context('customer'))).toBe(
      false,
    );
    expect(isOwnErpEcho({ ...customer, companyNo: '974760674' }, stored, context('customer'))).toBe(false);
  });

  it('is no echo when someone else changed it last, even with the same values', () => {
    for (const changedByUser of ['ERP-USER', '', null, undefined])
      expect(isOwnErpEcho({ ...customer, changedByUser }, stored, context('customer'))).toBe(false);
  });

  it('is no echo without an active link, or with an open error on either record', () => {
    expect(isOwnErpEcho(customer, undefined, context('customer'))).toBe(false);
    expect(isOwnErpEcho(customer, { ...stored, status: 'orphaned' }, context('customer'))).toBe(false);
    expect(isOwnErpEcho(customer, stored, context('customer', ['hubspot:901']))).toBe(false);
    expect(isOwnErpEcho(customer, stored, context('customer', ['visma-nxt:1']))).toBe(false);
    // A field the link has no print for (never synced) is not "the recorded value".
    const { phone: _phone, ...partial } = stored.fingerprints;
    expect(isOwnErpEcho(customer, { ...stored, fingerprints: partial }, context('customer'))).toBe(false);
  });
});

describe('a contact person the sync wrote itself', () => {
  const customerLink = createdLink(customer, 'customer');
  const stored = createdLink(person, 'contact', [customerLink]);

  it('is an echo with its recorded fields and customer; moved to another customer, it is not', () => {
    expect(stored.fingerprints.customer).toBeDefined();
    expect(isOwnErpEcho(person, stored, context('contact'))).toBe(true);
    expect(isOwnErpEcho({ ...person, contactPersonForAssociateNo: 3 }, stored, context('contact'))).toBe(
      false,
    );
    expect(isOwnErpEcho({ ...person, mobilePhone: '+4791234567' }, stored, context('contact'))).toBe(false);
  });
});

it('sets echoes apart from the rows and links of a slice, and nothing without a context', () => {
  const stored = createdLink(customer, 'customer');
  const other = { ...customer, associateNo: 5, changedByUser: 'ERP-USER' };
  const otherLink = link('905', 5, stored.fingerprints);
  const apart = setOwnEchoesApart([customer, other], [stored, otherLink], context('customer'));
  expect(apart.echoes).toEqual([1]);
  expect(apart.rows.map((row) => row.associateNo)).toEqual([5]);
  expect(apart.links.map((kept) => kept.crmId)).toEqual(['905']);
  expect(setOwnEchoesApart([customer], [stored], undefined).echoes).toEqual([]);
  // A row with two links (an orphaned one beside the active one) goes the normal way.
  const twice = setOwnEchoesApart(
    [customer],
    [{ ...stored, crmId: '900', status: 'orphaned' }, stored],
    context('customer'),
  );
  expect(twice.echoes).toEqual([]);
});
