import { invalid, type Normalized, valid } from '../issues.js';
import { countries } from './country-names.js';
import { vismaCountryNumbers } from './visma-country-numbers.js';

function foldName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase().replace(/\.$/u, '');
}

const byName = new Map<string, string>();
for (const country of countries) {
  for (const name of [country.alpha2, country.alpha3, country.displayName, ...country.names]) {
    byName.set(name, country.alpha2);
    byName.set(foldName(name), country.alpha2);
  }
}
const byAlpha2 = new Map(countries.map((country) => [country.alpha2, country]));
const alpha2ByVismaNumber = new Map<number, string>();
const vismaNumberByAlpha2 = new Map<string, number>();
for (const [countryNo, alpha2] of vismaCountryNumbers) {
  alpha2ByVismaNumber.set(countryNo, alpha2);
  vismaNumberByAlpha2.set(alpha2, countryNo);
}

/** A country typed by a person ("Norge", "Norway", "NO", "NOR") to ISO 3166-1 alpha-2. */
export function normalizeCountryName(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined || raw.trim() === '') return valid(null);
  const alpha2 = byName.get(raw) ?? byName.get(foldName(raw));
  if (alpha2 === undefined) {
    return invalid(
      'country-unknown',
      'is not a country name or ISO code the sync knows (see country-names.ts)',
    );
  }
  return valid(alpha2);
}

/** A Business NXT country number (0 = none) to ISO 3166-1 alpha-2. */
export function normalizeVismaCountryNo(countryNo: number | null | undefined): Normalized<string | null> {
  if (countryNo === null || countryNo === undefined || countryNo === 0) return valid(null);
  const alpha2 = alpha2ByVismaNumber.get(countryNo);
  if (alpha2 === undefined) {
    return invalid('country-number-unknown', 'is a Business NXT country number the sync does not know');
  }
  return valid(alpha2);
}

/** The Business NXT country number for an alpha-2 code, or `undefined` when the table has none. */
export function vismaCountryNoFor(alpha2: string): number | undefined {
  return vismaNumberByAlpha2.get(alpha2);
}

/** The English name the sync writes to HubSpot's free-text `country` property. */
export function countryDisplayName(alpha2: string): string {
  return byAlpha2.get(alpha2)?.displayName ?? alpha2;
}
