import { invalid, type Normalized, valid } from '../issues.js';

// Deliberately practical, not RFC 5322 complete: what both HubSpot and Business NXT users type and accept.
const emailShape =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9\u00e6\u00f8\u00e5\u00e4\u00f6\u00fc-]+(?:\.[a-z0-9\u00e6\u00f8\u00e5\u00e4\u00f6\u00fc-]+)+$/u;

/** An email address, trimmed and lower-cased; at most 254 characters (RFC 5321). */
export function normalizeEmail(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  const trimmed = raw.normalize('NFC').trim().toLowerCase();
  if (trimmed === '') return valid(null);
  if (trimmed.length > 254) return invalid('email-length', 'is longer than 254 characters');
  const [local = '', domain = ''] = trimmed.split('@');
  if (!emailShape.test(trimmed) || local.length > 64 || local.startsWith('.') || local.endsWith('.')) {
    return invalid('email-format', 'is not an email address (expected name@domain.tld)');
  }
  if (
    local.includes('..') ||
    domain.split('.').some((label) => label.startsWith('-') || label.endsWith('-'))
  ) {
    return invalid('email-format', 'is not an email address (expected name@domain.tld)');
  }
  return valid(trimmed);
}
