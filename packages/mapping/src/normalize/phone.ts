import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { invalid, type Normalized, valid } from '../issues.js';

// Norwegian numbers already in canonical E.164 whose two leading digits are valid for every number that follows
// (checked against libphonenumber's full metadata by phone.test.ts), so the common case skips the parser.
const canonicalNorwegian = /^\+47(?:2[1-4]|3[1-3578]|4[01678]|5[1-35-7]|6[1-46-9]|7\d|9\d)\d{6}$/u;
const extensionSeparator = ';ext=';

/**
 * A phone number in E.164 (`+4799582244`), default region Norway, with any extension kept in the RFC 3966 form
 * (`+4799582244;ext=12`). `0047`, `+47`, spaces, dots, dashes and parentheses are all accepted.
 */
export function normalizePhone(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  const trimmed = raw.normalize('NFKC').trim();
  if (trimmed === '') return valid(null);
  if (canonicalNorwegian.test(trimmed)) return valid(trimmed);
  if (trimmed.length > 40) return invalid('phone-length', 'is too long to be a phone number');
  const international = trimmed.replace(/^00(?=[1-9])/u, '+');
  const parsed = parsePhoneNumberFromString(international, 'NO');
  if (parsed === undefined) return invalid('phone-format', 'is not a phone number');
  if (!parsed.isValid()) return invalid('phone-invalid', 'is not a valid phone number for its country');
  return valid(parsed.ext ? `${parsed.number}${extensionSeparator}${parsed.ext}` : parsed.number);
}
