import { invalid, type Normalized, valid } from '../issues.js';

const weights = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const nineDigits = /^\d{9}$/u;

/**
 * Norwegian organization number (Brønnøysundregistrene): 9 digits, the last a mod-11 check digit with weights
 * 3 2 7 6 5 4 3 2. Accepts spaces, dots, dashes, a leading `NO` and a trailing `MVA` (the VAT form).
 * https://www.brreg.no/om-oss/registrene-vare/om-enhetsregisteret/organisasjonsnummeret/
 */
export function normalizeOrgNumber(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  const compact = nineDigits.test(raw)
    ? raw
    : raw
        .normalize('NFC')
        .toUpperCase()
        .replace(/[\s.\-\u00a0]/gu, '');
  if (compact === '') {
    // Blank is empty; punctuation alone ("---") is a value typed wrong, not an empty field.
    return raw.trim() === ''
      ? valid(null)
      : invalid('org-number-format', 'must be 9 digits (spaces, "NO" and "MVA" are allowed around them)');
  }
  const digits = compact.replace(/^NO/u, '').replace(/MVA$/u, '');
  if (!/^\d+$/u.test(digits)) {
    return invalid('org-number-format', 'must be 9 digits (spaces, "NO" and "MVA" are allowed around them)');
  }
  if (digits.length !== 9) return invalid('org-number-length', 'must have exactly 9 digits');
  let sum = 0;
  for (let index = 0; index < 8; index += 1) sum += Number(digits[index]) * (weights[index] ?? 0);
  const remainder = sum % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  if (check === 10 || check !== Number(digits[8])) {
    return invalid('org-number-check-digit', 'fails the mod-11 check digit; a digit is probably mistyped');
  }
  return valid(digits);
}
