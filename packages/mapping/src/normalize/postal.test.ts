import { describe, expect, it } from 'vitest';
import { cityKey, normalizeCity, normalizePostalCode } from './postal.js';

describe('normalizePostalCode', () => {
  it.each([
    ['3270', 'NO', '3270'],
    ['0150', null, '0150'],
    [' 3270 ', 'NO', '3270'],
    ['101', 'IS', '101'],
    ['114 55', 'SE', '114 55'],
    ['sw1a 1aa', 'GB', 'SW1A 1AA'],
  ])('normalizes %j (%s) to %s', (raw, country, expected) => {
    expect(normalizePostalCode(raw, country)).toEqual({ ok: true, value: expected });
  });

  it.each([['32700'], ['LARVIK'], ['32'], ['150'], ['3 270'], ['NO-3270']])(
    'rejects %j for Norway',
    (raw) => {
      expect(normalizePostalCode(raw, 'NO')).toMatchObject({ ok: false, rule: 'postal-code-format' });
    },
  );
});

describe('cities', () => {
  it('compares without case, æøå included', () => {
    expect(cityKey('LARVIK')).toBe(cityKey('Larvik'));
    expect(cityKey('TØNSBERG')).toBe(cityKey('Tønsberg'));
    expect(cityKey('ÅLESUND')).toBe(cityKey('ålesund'));
    expect(cityKey('Mo i Rana')).toBe(cityKey('MO I RANA'));
    expect(cityKey('Larvik')).not.toBe(cityKey('Lardal'));
  });

  it('keeps the city as typed', () => {
    expect(normalizeCity('  Bø i  Telemark ')).toEqual({ ok: true, value: 'Bø i Telemark' });
  });
});
