/** What went wrong with one field of one record: enough for a person to find and fix it. */
export interface FieldIssue {
  /** Which system the record came from (or was headed for). */
  readonly system: 'hubspot' | 'visma-nxt';
  /** The record's id in that system (HubSpot id, or Business NXT associate number), when it has one. */
  readonly recordId: string | null;
  /** The canonical field name, e.g. `orgNumber`. */
  readonly field: string;
  /** A stable rule code, e.g. `org-number-check-digit`, usable in reports and tests. */
  readonly rule: string;
  /** One sentence for a person. Never contains the offending value (it may be personal data). */
  readonly message: string;
}

/** The outcome of normalizing one value: the normalized value, or the rule it broke. */
export type Normalized<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly rule: string; readonly message: string };

export function valid<T>(value: T): Normalized<T> {
  return { ok: true, value };
}

export function invalid(rule: string, message: string): Normalized<never> {
  return { ok: false, rule, message };
}
