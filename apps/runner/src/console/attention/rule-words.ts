/** What a held record's rule means and what a person does about it, for the rules the engine records most. */
const explained: Readonly<Record<string, string>> = {
  'write-failed':
    'A write failed (a timeout, a 5xx or a refusal). Every cycle tries again; retry now once the cause is fixed.',
  'read-failed': 'The record could not be read. Every cycle tries again.',
  'already-exists':
    'Another HubSpot record holds the same unique value (an email): change one of them, or merge them.',
  'customer-not-synced': "The contact's customer is not synced yet: it follows once its customer syncs.",
  'contact-customer-differs':
    'The contact belongs to another customer in each system: move it in one of them.',
  excluded: 'Left out of the sync by an operator until it is included again.',
  'archived-in-hubspot': 'Archived in HubSpot: the Business NXT record is kept and no longer synced.',
  'deleted-in-business-nxt': 'Deleted in Business NXT: the HubSpot record is kept and no longer synced.',
  'org-number-check-digit': 'The organization number fails its check digit: correct it where it was typed.',
  'email-format': 'The email address is not one the other system accepts.',
  'phone-invalid': 'The phone number is not one the other system accepts.',
  'postal-code-format': 'The postal code does not fit the country.',
  'control-character': 'The value holds control characters the other system refuses.',
  'erp-column-length': 'The value is longer than the Business NXT column allows.',
};

/** The explanation of a rule; candidates rules (`candidates:name-and-postal-code`) share one. */
export function ruleWords(rule: string): string {
  if (rule.startsWith('candidates'))
    return 'No sure key matches, but the other system has a record that looks the same: link the two, or keep them separate.';
  return explained[rule] ?? 'Held until its cause is fixed; the message says what.';
}

/** The order of the groups: failing records first, excluded ones last, the rest by rule. */
export function ruleOrder(a: string, b: string): number {
  const weight = (rule: string) =>
    rule === 'write-failed' || rule === 'read-failed' ? 0 : rule === 'excluded' ? 2 : 1;
  return weight(a) - weight(b) || a.localeCompare(b);
}
