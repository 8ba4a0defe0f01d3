import { invalid, type Normalized, valid } from '../issues.js';
import { normalizeText } from './text.js';

/**
 * A postal code: text, upper-cased. Norwegian ones (`country` `NO`, or empty, read as Norway) must be exactly
 * 4 digits (`0150`, `3270`). The value never depends on the country, only its validation does, so writing a
 * country never changes how an existing postal code reads (that would echo back as a change).
 */
export function normalizePostalCode(
  raw: string | null | undefined,
  country: string | null,
): Normalized<string | null> {
  const text = normalizeText(raw);
  if (!text.ok || text.value === null) return text;
  const value = text.value.toUpperCase();
  if ((country === null || country === 'NO') && !/^\d{4}$/u.test(value)) {
    return invalid(
      'postal-code-format',
      'must be 4 digits for a Norwegian address (an empty country counts as Norway)',
    );
  }
  return valid(value);
}

/** A city (Norwegian "poststed"): text as typed. Compare with `cityKey`, which ignores case. */
export function normalizeCity(raw: string | null | undefined): Normalized<string | null> {
  return normalizeText(raw);
}

/**
 * "LARVIK", "Larvik" and "larvik" are one city; Posten writes them in capitals, people mostly don't.
 * Plain upper-casing handles æøå; only Turkish, Azeri and Lithuanian casing needs a locale.
 */
export function cityKey(city: string): string {
  return city.toUpperCase();
}
