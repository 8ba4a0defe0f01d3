import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../config/policy.js';
import type { CanonicalContact } from '../model/contact.js';
import type { CanonicalCustomer } from '../model/customer.js';
import { countries } from '../normalize/country-names.js';
import { vismaCountryNumbers } from '../normalize/visma-country-numbers.js';
import {
  associateToContact,
  associateToCustomer,
  contactToAssociateValues,
  customerToAssociateValues,
} from './associate.js';
import {
  contactToHubSpotProperties,
  customerToHubSpotProperties,
  erpNumbersToHubSpotProperties,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
} from './hubspot.js';

const names = defaultSyncPolicy().hubspotProperties;
const word = fc.stringMatching(/^[A-Za-zÆØÅæøåÉé0-9&'-]{1,12}$/);
const text = (maxWords: number) =>
  fc.array(word, { minLength: 1, maxLength: maxWords }).map((words) => words.join(' '));
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const orgNumber = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).map((digits) => {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const remainder = digits.reduce((sum, digit, index) => sum + digit * (weights[index] ?? 0), 0) % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return check === 10 ? null : [...digits, check].join('');
});
const phone = fc.integer({ min: 0, max: 9_999_999 }).map((n) => `+479${String(n).padStart(7, '0')}`);
const email = fc
  .tuple(word, word)
  .map(
    ([local, domain]) =>
      `${local.toLowerCase().replace(/[^a-z0-9]/g, 'x')}@${domain.toLowerCase().replace(/[^a-z0-9]/g, 'x')}.no`,
  );
const mappedCountries = countries
  .map((country) => country.alpha2)
  .filter((alpha2) => vismaCountryNumbers.some(([, code]) => code === alpha2));
const customer: fc.Arbitrary<CanonicalCustomer> = fc.record({
  orgNumber,
  name: nullable(text(5)),
  addressLine1: nullable(text(4)),
  addressLine2: nullable(text(4)),
  postalCode: nullable(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'))),
  city: nullable(text(3)),
  country: fc.constantFrom(null, 'NO'),
  phone: nullable(phone),
  email: nullable(email),
  erpCustomerNo: nullable(fc.integer({ min: 1, max: 999_999 })),
  erpActorNo: fc.integer({ min: 1, max: 999_999 }),
});
const contact: fc.Arbitrary<CanonicalContact> = fc.record({
  name: nullable(text(4)),
  email: nullable(email),
  phone: nullable(phone),
  mobile: nullable(phone),
  erpActorNo: fc.integer({ min: 1, max: 999_999 }),
  customerActorNo: nullable(fc.integer({ min: 1, max: 999_999 })),
});

describe('map → canonical → map is stable', () => {
  it('through HubSpot company properties', () => {
    fc.assert(
      fc.property(customer, (record) => {
        const { erpCustomerNo, erpActorNo, ...fields } = record;
        const properties = {
          ...customerToHubSpotProperties(fields, names),
          ...erpNumbersToHubSpotProperties({ erpCustomerNo, erpActorNo: erpActorNo ?? 1 }, names),
        };
        const back = hubSpotCompanyToCustomer({ id: '1', properties }, names);
        expect(back.issues).toEqual([]);
        expect(back.record).toEqual(record);
      }),
    );
  });

  it('through a Business NXT associate', () => {
    fc.assert(
      fc.property(customer, (record) => {
        const { erpCustomerNo, erpActorNo, ...fields } = record;
        const written = customerToAssociateValues(fields, null);
        if (written.issues.length > 0) return; // a value too long for Business NXT is reported, not round-tripped
        const back = associateToCustomer({
          associateNo: erpActorNo ?? 1,
          customerNo: erpCustomerNo ?? 0,
          ...written.values,
        });
        expect(back.issues).toEqual([]);
        expect(back.record).toEqual(record);
      }),
    );
  });

  it('for contacts, both ways (the full name split and joined again)', () => {
    fc.assert(
      fc.property(contact, (record) => {
        const { erpActorNo, customerActorNo, ...fields } = record;
        const viaHubSpot = hubSpotContactToContact(
          {
            id: '1',
            properties: {
              ...contactToHubSpotProperties(fields),
              ...erpNumbersToHubSpotProperties({ erpActorNo: erpActorNo ?? 1 }, names),
            },
          },
          names,
        );
        expect(viaHubSpot.record).toEqual({ ...record, customerActorNo: null });
        const written = contactToAssociateValues(fields, null);
        if (written.issues.length > 0) return;
        const viaErp = associateToContact({
          associateNo: erpActorNo ?? 1,
          contactPersonForAssociateNo: customerActorNo ?? 0,
          ...written.values,
        });
        expect(viaErp.record).toEqual(record);
      }),
    );
  });

  it('covers every country the Business NXT number table knows', () => {
    for (const alpha2 of mappedCountries) {
      const properties = customerToHubSpotProperties({ country: alpha2, postalCode: null }, names);
      expect(hubSpotCompanyToCustomer({ id: '1', properties }, names).record.country).toBe(alpha2);
      const values = customerToAssociateValues({ country: alpha2 }, null).values;
      expect(associateToCustomer({ associateNo: 1, ...values }).record.country).toBe(alpha2);
    }
  });
});
