import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './text.js';

describe('normalizeText', () => {
  it.each([
    ['  Port-Service   Øst AS ', 'Port-Service Øst AS'],
    ['Rødbølveien\t22\n', 'Rødbølveien 22'],
    // Decomposed (NFD) "Å" is composed; "ø" typed as o + combining solidus becomes the real letter.
    ['A\u030alesund', 'Ålesund'],
    ['Ro\u0338dbo\u0338lveien', 'Rødbølveien'],
    ['RO\u0338D', 'RØD'],
    ['Line\u2028break', 'Line break'],
    ['Kafé\u00a0Ålesund', 'Kafé Ålesund'],
    ['Fjord 🚢 AS', 'Fjord 🚢 AS'],
    ['<b>Fjord</b> AS', '<b>Fjord</b> AS'],
    ["Robert'); DROP TABLE Actor;--", "Robert'); DROP TABLE Actor;--"],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(normalizeText(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([['Fjord\u0000AS'], ['Fjord\u0007AS'], ['Fjord\u009bAS'], ['Fjord\u007fAS']])(
    'rejects control characters in %j',
    (raw) => {
      expect(normalizeText(raw)).toMatchObject({ ok: false, rule: 'control-character' });
    },
  );

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        const once = normalizeText(raw);
        if (once.ok && once.value !== null) expect(normalizeText(once.value)).toEqual(once);
      }),
    );
  });
});
