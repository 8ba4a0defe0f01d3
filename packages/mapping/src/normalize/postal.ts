import { invalid, type Normalized, valid } from '../issues.js';
import { normalizeText } from './text.js';

/**
 * A postal code. Norwegian ones (`country` `NO` or unknown) are exactly 4 digits (`0150`, `3270`); a number
 * that lost its leading zero in a spreadsheet (`150`) is padded back. Other countries' codes are kept as text.
 */
export function normalizePostalCode(
  raw: string | null | undefined,
  country: string | null,
): Normalized<string | null> {
  const text = normalizeText(raw);
  if (!text.ok || text.value === null) return text;
  if (country !== null && country !== 'NO') return valid(text.value.toUpperCase());
  const digits = text.value.replace(/^NO[- ]?/iu, '').replace(/\s/gu, '');
  if (!/^\d{3,4}$/u.test(digits))
    return invalid('postal-code-format', 'must be 4 digits for a Norwegian address');
  return valid(digits.padStart(4, '0'));
}

/** A city (Norwegian "poststed"): text as typed. Compare with `cityKey`, which ignores case. */
export function normalizeCity(raw: string | null | undefined): Normalized<string | null> {
  return normalizeText(raw);
}

/** "LARVIK", "Larvik" and "larvik" are one city; Posten writes them in capitals, people mostly don't. */
export function cityKey(city: string): string {
  return city.toLocaleUpperCase('nb-NO');
}
