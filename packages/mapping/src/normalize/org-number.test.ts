import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeOrgNumber } from './org-number.js';

// Real numbers from the public register (https://data.brreg.no/enhetsregisteret/oppslag/enheter):
// 923609016 Equinor ASA, 974760673 Brønnøysundregistrene, 971526920 Statistisk sentralbyrå.
describe('normalizeOrgNumber', () => {
  it.each([
    ['923609016', '923609016'],
    ['923 609 016', '923609016'],
    ['NO 923 609 016 MVA', '923609016'],
    ['no923609016mva', '923609016'],
    ['923.609.016', '923609016'],
    ['974760673', '974760673'],
    ['971 526 920', '971526920'],
    [' 971526920\u00a0', '971526920'],
  ])('accepts %j as %s', (raw, expected) => {
    expect(normalizeOrgNumber(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['923609017', 'org-number-check-digit'],
    ['974760672', 'org-number-check-digit'],
    ['92360901', 'org-number-length'],
    ['9236090160', 'org-number-length'],
    ['92360901O', 'org-number-format'],
    ['SE556000016701', 'org-number-format'],
    ['923-609-016-X', 'org-number-format'],
    ['９２３６０９０１６', 'org-number-format'],
    ['---------', 'org-number-format'],
    ['. -', 'org-number-format'],
  ])('rejects %j with rule %s', (raw, rule) => {
    const result = normalizeOrgNumber(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rule).toBe(rule);
  });

  it.each([[''], ['   '], [null], [undefined]])('treats %j as empty', (raw) => {
    expect(normalizeOrgNumber(raw)).toEqual({ ok: true, value: null });
  });

  it('rejects every number whose check digit would be 10', () => {
    // 8 digits with weighted sum ≡ 1 (mod 11) have no valid check digit.
    const weights = [3, 2, 7, 6, 5, 4, 3, 2];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), (digits) => {
        const sum = digits
          .slice(0, 8)
          .reduce((total, digit, index) => total + digit * (weights[index] ?? 0), 0);
        const result = normalizeOrgNumber(digits.join(''));
        if (sum % 11 === 1) expect(result.ok).toBe(false);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normalizeOrgNumber(raw);
        if (once.ok && once.value !== null) expect(normalizeOrgNumber(once.value)).toEqual(once);
      }),
    );
  });
});
