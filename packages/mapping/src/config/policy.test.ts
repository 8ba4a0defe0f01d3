import { describe, expect, it } from 'vitest';
import { defaultSyncPolicy, parseSyncPolicy } from './policy.js';

describe('customers.createDefaults', () => {
  it('is empty by default', () => {
    expect(defaultSyncPolicy().customers.createDefaults).toEqual({});
  });

  it('takes Business NXT column values: text, numbers and flags', () => {
    const parsed = parseSyncPolicy({
      customers: {
        createDefaults: { customerPriceGroup1: 2, paymentTerms: 14, currencyNo: 0, note: 'x', flag: true },
      },
    });
    expect(parsed.ok && parsed.policy.customers.createDefaults).toEqual({
      customerPriceGroup1: 2,
      paymentTerms: 14,
      currencyNo: 0,
      note: 'x',
      flag: true,
    });
  });

  it('names the key, the column and the rule for each bad entry', () => {
    const parsed = parseSyncPolicy({
      customers: {
        createDefaults: {
          'payment terms': 14,
          customerNo: 10000,
          postCode: '0150',
          languageNo: null,
          currencyNo: { no: 1 },
          vatCode: Number.NaN,
        },
      },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'customers.createDefaults.payment terms: "payment terms" is not a Business NXT column name (a GraphQL name: letters, digits, _)',
      'customers.createDefaults.customerNo: customerNo is assigned by Business NXT or the sync and cannot have a default',
      'customers.createDefaults.postCode: postCode is written by the sync (field postalCode): set it in HubSpot, not as a default',
      'customers.createDefaults.languageNo: languageNo must be a string, a number or true/false, got null',
      'customers.createDefaults.currencyNo: currencyNo must be a string, a number or true/false, got {"no":1}',
      'customers.createDefaults.vatCode: vatCode must be a string, a number or true/false, got NaN',
    ]);
  });

  it('must be an object', () => {
    const parsed = parseSyncPolicy({ customers: { createDefaults: ['currencyNo'] } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatch(/^customers\.createDefaults: /);
  });
});
