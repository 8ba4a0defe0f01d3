import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../config/policy.js';
import { mayNeedFieldTimes, newestWinsProperties } from '../merge/field-times.js';
import { createTimestampReader } from '../merge/timestamps.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import { planSync } from './plan.js';

// `newest-wins` compares the time each side set the field: HubSpot keeps one per property value (its history),
// Business NXT one per row (`changedTimestamp`, local time in the ERP's zone, Europe/Oslo by default).
const policy = defaultSyncPolicy();

function synced(): InMemorySystems {
  const systems = new InMemorySystems();
  systems.addCompany('102', { name: 'Brønnøy Båt AS', org_number: '974760673', zip: '8900' });
  systems.addAssociate({
    associateNo: 1,
    customerNo: 10001,
    name: 'Brønnøy Båt AS',
    companyNo: '974760673',
    postCode: '8900',
    countryNo: 47,
  });
  systems.addContact('202', { firstname: 'Ola', lastname: 'Nordmann', email: 'ola@bronnoybat.no' }, ['102']);
  systems.addAssociate({
    associateNo: 2,
    name: 'Ola Nordmann',
    emailAddress: 'ola@bronnoybat.no',
    contactPersonForAssociateNo: 1,
  });
  for (let cycle = 0; cycle < 2; cycle += 1) systems.apply(planSync(systems.input(policy)));
  expect(planSync(systems.input(policy)).operations).toEqual([]);
  return systems;
}

describe('newest-wins, per field', () => {
  let systems: InMemorySystems;
  beforeEach(() => {
    systems = synced();
    const contact = systems.contacts.get('202');
    const row = systems.associates.get(2);
    if (contact === undefined || row === undefined) throw new Error('seed');
    // HubSpot: email edited at 10:00, then the phone at 10:30 (the record's updatedAt).
    contact.properties.email = 'ola.n@bronnoybat.no';
    contact.properties.phone = '+47 41 23 45 67';
    contact.updatedAt = '2026-11-24T10:30:00.000Z';
    // Business NXT: the email edited at 10:15 UTC (11:15 in Oslo, as Business NXT writes it, without a zone).
    row.emailAddress = 'ola@bronnoy.no';
    row.changedTimestamp = '2026-11-24T11:15:00';
  });

  it("takes Business NXT's email when HubSpot's email is older, however late HubSpot's phone was edited", () => {
    const contact = systems.contacts.get('202');
    if (contact === undefined) throw new Error('seed');
    contact.latestChanges = {
      email: { timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'CRM_UI' },
      phone: { timestamp: '2026-11-24T10:30:00.000Z', sourceType: 'CRM_UI' },
    };
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      {
        kind: 'update-erp',
        values: { phone: '+4741234567' },
        changes: [{ field: 'phone', reason: 'kept-non-empty' }],
      },
      {
        kind: 'update-crm',
        properties: { email: 'ola@bronnoy.no' },
        changes: [
          { field: 'email', before: 'ola.n@bronnoybat.no', after: 'ola@bronnoy.no', reason: 'erp-newer' },
        ],
      },
    ]);
  });

  it("takes HubSpot's email when its own time is later than the row's", () => {
    const contact = systems.contacts.get('202');
    if (contact === undefined) throw new Error('seed');
    contact.latestChanges = { email: { timestamp: '2026-11-24T10:20:00.000Z' } };
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      {
        kind: 'update-erp',
        values: { emailAddress: 'ola.n@bronnoybat.no', phone: '+4741234567' },
        changes: [
          { field: 'email', reason: 'crm-newer' },
          { field: 'phone', reason: 'kept-non-empty' },
        ],
      },
    ]);
  });

  it("falls back to the record's updatedAt without history (the old rule: HubSpot's 10:30 wins)", () => {
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      { kind: 'update-erp', values: { emailAddress: 'ola.n@bronnoybat.no' } },
    ]);
  });

  it('the pre-check picks this pair for a history read, and not a pair changed on one side only', () => {
    const read = createTimestampReader();
    const contact = systems.contacts.get('202');
    const row = systems.associates.get(2);
    if (contact === undefined || row === undefined) throw new Error('seed');
    const pair = { crm: contact, erp: row, lastSyncedAt: '2026-11-24T09:00:00.000Z' };
    expect(newestWinsProperties(policy, 'contact')).toEqual(['email', 'phone', 'mobilephone']);
    expect(mayNeedFieldTimes('contact', policy, pair, read)).toBe(true);
    // Business NXT's row not changed since the last sync: a one-sided change, no times needed.
    expect(
      mayNeedFieldTimes('contact', policy, { ...pair, lastSyncedAt: '2026-11-24T10:20:00.000Z' }, read),
    ).toBe(false);
    // Already read with history: not again.
    expect(
      mayNeedFieldTimes('contact', policy, { ...pair, crm: { ...contact, latestChanges: {} } }, read),
    ).toBe(false);
    // Both changed, but the newest-wins fields agree.
    expect(
      mayNeedFieldTimes(
        'contact',
        policy,
        { ...pair, erp: { ...row, emailAddress: 'ola.n@bronnoybat.no', phone: '+4741234567' } },
        read,
      ),
    ).toBe(false);
  });
});
