import { invalid, type Normalized, valid } from '../issues.js';

// Deliberately practical, not RFC 5322 complete: what both HubSpot and Business NXT users type and accept.
// Local part: dot-separated atoms; domain: two or more labels that neither start nor end with "-".
const atom = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
const label =
  '[a-z0-9\u00e6\u00f8\u00e5\u00e4\u00f6\u00fc](?:[a-z0-9\u00e6\u00f8\u00e5\u00e4\u00f6\u00fc-]*[a-z0-9\u00e6\u00f8\u00e5\u00e4\u00f6\u00fc])?';
const ascii = /^[\x20-\x7e]*$/u;
const emailShape = new RegExp(`^${atom}(?:\\.${atom})*@${label}(?:\\.${label})+$`, 'u');

/** An email address, trimmed and lower-cased; at most 254 characters (RFC 5321), local part at most 64. */
export function normalizeEmail(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  const trimmed = (ascii.test(raw) ? raw : raw.normalize('NFC')).trim().toLowerCase();
  if (trimmed === '') return valid(null);
  if (trimmed.length > 254) return invalid('email-length', 'is longer than 254 characters');
  if (!emailShape.test(trimmed) || trimmed.indexOf('@') > 64) {
    return invalid('email-format', 'is not an email address (expected name@domain.tld)');
  }
  return valid(trimmed);
}
