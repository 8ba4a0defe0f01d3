import type { Normalized } from '../issues.js';
import { normalizeText } from './text.js';

// Lower-case surname particles that belong to the last name ("Ola van der Berg" → "van der Berg").
const surnameParticles = new Set([
  'af',
  'av',
  'da',
  'das',
  'de',
  'del',
  'della',
  'den',
  'der',
  'di',
  'do',
  'dos',
  'du',
  'la',
  'le',
  'ten',
  'ter',
  'van',
  'von',
  'zu',
]);

/** A person's full name: text rules (NFC, folded whitespace, no control characters). */
export function normalizePersonName(raw: string | null | undefined): Normalized<string | null> {
  return normalizeText(raw);
}

/**
 * Splits a full name into HubSpot's first and last name, deterministically: the last word is the last name,
 * together with any particles just before it ("van", "de", "av"); everything before is the first name, so
 * Norwegian double first names stay together ("Anne Marie Hansen" → "Anne Marie" + "Hansen"). A single name is
 * a first name. The first name always keeps at least one word. `joinPersonName(splitPersonName(x))` is `x`.
 */
export function splitPersonName(fullName: string): { firstName: string; lastName: string } {
  const words = fullName.split(' ').filter((word) => word !== '');
  if (words.length <= 1) return { firstName: words[0] ?? '', lastName: '' };
  let start = words.length - 1;
  while (start > 1 && surnameParticles.has((words[start - 1] ?? '').toLowerCase())) start -= 1;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') };
}

/** HubSpot's first and last name joined into one full name, or `null` when both are empty. */
export function joinPersonName(
  firstName: string | null | undefined,
  lastName: string | null | undefined,
): Normalized<string | null> {
  return normalizeText([firstName ?? '', lastName ?? ''].join(' '));
}
