import { describe, expect, it } from 'vitest';
import {
  countryDisplayName,
  normalizeCountryName,
  normalizeVismaCountryNo,
  vismaCountryNoFor,
} from './country.js';
import { vismaCountryNumbers } from './visma-country-numbers.js';

describe('countries', () => {
  it.each([
    ['Norge', 'NO'],
    ['NORGE', 'NO'],
    ['Noreg', 'NO'],
    ['Norway', 'NO'],
    ['no', 'NO'],
    ['NOR', 'NO'],
    ['Sverige', 'SE'],
    ['Danmark', 'DK'],
    ['Tyskland', 'DE'],
    ['Storbritannia', 'GB'],
    ['Færøyene', 'FO'],
    [' United  States ', 'US'],
  ])('reads %j as %s', (raw, expected) => {
    expect(normalizeCountryName(raw)).toEqual({ ok: true, value: expected });
  });

  it('names an unknown country', () => {
    expect(normalizeCountryName('Atlantis')).toMatchObject({ ok: false, rule: 'country-unknown' });
  });

  it('maps Business NXT country numbers both ways (UNCONFIRMED convention: calling codes)', () => {
    expect(normalizeVismaCountryNo(47)).toEqual({ ok: true, value: 'NO' });
    expect(normalizeVismaCountryNo(46)).toEqual({ ok: true, value: 'SE' });
    expect(normalizeVismaCountryNo(0)).toEqual({ ok: true, value: null });
    expect(normalizeVismaCountryNo(1)).toEqual({ ok: true, value: 'US' });
    expect(normalizeVismaCountryNo(999)).toMatchObject({ ok: false, rule: 'country-number-unknown' });
    expect(vismaCountryNoFor('NO')).toBe(47);
    expect(vismaCountryNoFor('FI')).toBe(358);
    expect(countryDisplayName('NO')).toBe('Norway');
  });

  it('maps every listed Business NXT country number to exactly one country, both ways', () => {
    const numbers = vismaCountryNumbers.map(([countryNo]) => countryNo);
    const codes = vismaCountryNumbers.map(([, alpha2]) => alpha2);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [countryNo, alpha2] of vismaCountryNumbers) {
      expect(normalizeVismaCountryNo(countryNo)).toEqual({ ok: true, value: alpha2 });
      expect(vismaCountryNoFor(alpha2)).toBe(countryNo);
    }
  });
});
