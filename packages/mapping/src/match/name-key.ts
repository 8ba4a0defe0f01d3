// Norwegian and common Nordic/European legal-form suffixes, ignored when comparing company names.
const legalForms = new Set([
  'as',
  'asa',
  'ans',
  'da',
  'enk',
  'sa',
  'ba',
  'nuf',
  'ks',
  'iks',
  'kf',
  'sf',
  'ab',
  'aps',
  'gmbh',
  'ltd',
  'oy',
]);

/** "Port-Service Øst AS" and "PORT SERVICE ØST" compare equal: case, punctuation and legal form ignored. */
export function companyNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !legalForms.has(word))
    .join(' ');
}

/** Person names compare without case, punctuation or word order noise beyond single spaces. */
export function personNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
