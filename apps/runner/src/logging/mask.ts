const emailPattern = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/gu;
// What reads as a phone number in text: an international prefix (+47, 0047) or digits in spaced groups
// ("920 99 720"). Plain digit runs are ids and org numbers and stay readable.
const phonePattern = /(?<![\w+])(?:(\+|00)\d[\d .-]{5,}\d|\d{2,4}(?:[ .-]\d{2,4}){2,})(?![\w-])/gu;
const personalKeys = /^(email|emailaddress|companyemail|company_email|phone|mobile|mobilephone|fax)$/iu;

/** `iselin@port-service.no` → `i***@p***.no`: enough to tell records apart in a log, not enough to contact anyone. */
export function maskEmails(text: string): string {
  return text.replace(
    emailPattern,
    (_, local: string, domain: string, tld: string) => `${local}***@${domain}***.${tld}`,
  );
}

function maskNumber(text: string, prefix = ''): string {
  const digits = text.replace(/\D/gu, '');
  return `${prefix}${'*'.repeat(Math.max(digits.length - 2, 0))}${digits.slice(-2)}`;
}

/** `+47 99 58 22 44` → `+********44`: the last two digits stay so a person can match it to a record. */
export function maskPhones(text: string): string {
  return text.replace(phonePattern, (match: string, prefix: string | undefined) =>
    // A date (`2026-12-02 07:04:28`, Business NXT's timestamps) has the shape of spaced digit groups too.
    isoDate.test(match) ? match : maskNumber(prefix ? match.slice(prefix.length) : match, prefix ?? ''),
  );
}

const isoDate = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2})?$/u;

/**
 * Masks personal data in a value about to be logged: fields named like an email or phone are masked whole; in
 * every other string, emails and phone-looking numbers are. Objects and arrays are walked.
 */
export function maskPersonalData(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (personalKeys.test(key))
      return value.includes('@') ? maskEmails(value) : maskNumber(value, value.startsWith('+') ? '+' : '');
    return maskPhones(maskEmails(value));
  }
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, maskPersonalData(inner, name)]),
    );
  }
  return value;
}
