import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['+47 99 58 22 44', '+4799582244'],
    ['0047 920 99 720', '+4792099720'],
    ['920 99 720', '+4792099720'],
    ['99582244', '+4799582244'],
    ['+47-33-12-34-56', '+4733123456'],
    ['(+47) 22 12 34 56', '+4722123456'],
    ['+4799582244', '+4799582244'],
    ['+47 99 58 22 44 ext. 12', '+4799582244;ext=12'],
    ['+4799582244;ext=12', '+4799582244;ext=12'],
    ['+46 8 123 456 78', '+46812345678'],
    ['0046 70 123 45 67', '+46701234567'],
    ['+45 32 12 34 56', '+4532123456'],
    ['８００ ３０ ０００', '+4780030000'],
  ])('normalizes %j to %s', (raw, expected) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['12345', 'phone-invalid'],
    ['+4700000000', 'phone-invalid'],
    ['call me', 'phone-format'],
    ['9'.repeat(41), 'phone-length'],
  ])('rejects %j with rule %s', (raw, rule) => {
    const result = normalizePhone(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rule).toBe(rule);
  });

  it.each([[''], [' '], [null], [undefined]])('treats %j as empty', (raw) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: null });
  });

  it("agrees with libphonenumber's full metadata for every Norwegian prefix (fast path included)", () => {
    for (let prefix = 10; prefix <= 99; prefix += 1) {
      for (const rest of ['000000', '123456', '555555', '999999', '010101']) {
        const number = `+47${prefix}${rest}`;
        const parsed = parsePhoneNumberFromString(number);
        const expected = parsed?.isValid() ? { ok: true, value: parsed.number } : { ok: false };
        expect(normalizePhone(number), number).toMatchObject(expected);
      }
    }
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^(\+47|0047)? ?[2-9]\d{7}$/)), (raw) => {
        const once = normalizePhone(raw);
        if (once.ok && once.value !== null) expect(normalizePhone(once.value)).toEqual(once);
      }),
    );
  });
});
