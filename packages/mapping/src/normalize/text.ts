import { invalid, type Normalized, valid } from '../issues.js';

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators. Tabs and line breaks are
// whitespace and get folded to a space before this check runs.
const controlCharacter = /[\p{Cc}\u2028\u2029]/u;
const whitespaceRun = /[\s\u00a0\u200b\ufeff]+/gu;

/**
 * Single-line text: Unicode NFC (so a decomposed "ø" equals the composed one), whitespace runs folded to one
 * space, trimmed. Empty becomes `null`. Control characters are an error, never silently dropped.
 */
export function normalizeText(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  const folded = raw.normalize('NFC').replace(whitespaceRun, ' ').trim();
  if (folded === '') return valid(null);
  if (controlCharacter.test(folded)) {
    return invalid(
      'control-character',
      'contains a control character, which neither system can store safely',
    );
  }
  return valid(folded);
}
