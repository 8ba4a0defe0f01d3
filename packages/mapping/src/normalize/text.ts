import { invalid, type Normalized, valid } from '../issues.js';

// C0 and C1 control characters and DEL. Tabs, line breaks and U+2028/2029 are whitespace: folded to a space first.
const controlCharacter = /\p{Cc}/u;
// "ø" has no Unicode decomposition, so NFC cannot repair an "o" + combining solidus look-alike; fold it by hand.
const strokedO = /([oO])\u0338/gu;
// Printable ASCII and Latin-1 words separated by single spaces: already NFC, folded and free of control
// characters (most names and addresses), so they skip the work below.
const alreadyClean = /^[!-~\u00a1-\u00ff]+(?: [!-~\u00a1-\u00ff]+)*$/u;
const whitespaceRun = /[\s\u00a0\u200b\ufeff]+/gu;

/**
 * Single-line text: Unicode NFC (so a decomposed "ø" equals the composed one), whitespace runs folded to one
 * space, trimmed. Empty becomes `null`. Control characters are an error, never silently dropped.
 */
export function normalizeText(raw: string | null | undefined): Normalized<string | null> {
  if (raw === null || raw === undefined) return valid(null);
  if (alreadyClean.test(raw)) return valid(raw);
  const composed = raw.includes('\u0338')
    ? raw.replace(strokedO, (_, o: string) => (o === 'o' ? 'ø' : 'Ø'))
    : raw;
  const folded = composed.normalize('NFC').replace(whitespaceRun, ' ').trim();
  if (folded === '') return valid(null);
  if (controlCharacter.test(folded)) {
    return invalid(
      'control-character',
      'contains a control character, which neither system can store safely',
    );
  }
  return valid(folded);
}
