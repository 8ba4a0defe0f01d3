/**
 * Every Business NXT fact this client relies on that public sources could not confirm (marked UNCONFIRMED in
 * ../shared/reference/visma-business-nxt.md), in one place to correct.
 */

/**
 * Business NXT GraphQL names this client relies on that public sources could not confirm
 * (../shared/reference/visma-business-nxt.md §4, §3, §9). This is the one place to correct them; a client can also
 * override them per installation (`createVismaNxtClient({ fieldNames })`), and `checkSchema()` (run by
 * `crm-sync doctor`) compares them with the live schema. Queries alias each live name to the stable key on the
 * left, so callers always see the same property names.
 */
export const defaultFieldNames = {
  /** Associate: the country, as a Visma country number (S31 "CountryNo ⇒ Country.ISO"). UNCONFIRMED. */
  countryNo: 'countryNo',
  /** Associate: mobile phone. Public code requests it after checking it exists. UNCONFIRMED. */
  mobilePhone: 'mobilePhone',
  /** Associate: "Kontaktpers. for", the associate number of the customer a contact person belongs to. UNCONFIRMED. */
  contactPersonForAssociateNo: 'contactPersonForAssociateNo',
} as const;

export type FieldNames = { readonly [K in keyof typeof defaultFieldNames]: string };

/** Names confirmed by public queries (reference §4): listed so `checkSchema()` checks them too. */
export const confirmedAssociateFields = [
  'associateNo',
  'customerNo',
  'name',
  'companyNo',
  'addressLine1',
  'addressLine2',
  'postCode',
  'postalArea',
  'phone',
  'emailAddress',
  'createdTimestamp',
  'changedTimestamp',
] as const;

const graphQLName = /^[_A-Za-z][_0-9A-Za-z]*$/u;

/** Field names go into query documents (never user input), so each must be a plain GraphQL name. */
export function resolveFieldNames(overrides: Partial<FieldNames> | undefined): FieldNames | string {
  const names = { ...defaultFieldNames, ...overrides };
  for (const [key, name] of Object.entries(names)) {
    if (!graphQLName.test(name))
      return `fieldNames.${key} must be a GraphQL name (letters, digits, _), got ${JSON.stringify(name)}`;
  }
  return names;
}

/**
 * How an instant is written in a `DateTime` filter value (e.g. `changedTimestamp: { _gte: … }`): ISO 8601 in UTC
 * with a `Z`. Business NXT documents `DateTime` as "ISO 8601" without saying whether values without an offset are
 * local time (reference §4), so the runner always sends an explicit UTC instant.
 */
export function toDateTimeFilterValue(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * How to ask Business NXT to assign a customer number on create: the field passed as `null` inside `values`.
 * This "null to suggest" style works but is deprecated until 2027-12-31; the syntax that replaces it ("suggest
 * merged with values", RN 2025-12-10) could not be read (reference §3). A number series configured in the
 * client avoids relying on it.
 */
export const suggestValue = null;

/**
 * The limit of 60 requests in progress per company: modelled, as public client tests do, as HTTP 200 with
 * `errors[].extensions.code = "OUTSTANDING_LIMIT_EXCEEDED"` and a message "Company N has 60 requests in progress"
 * (reference §6).
 */
export function isOutstandingLimit(error: {
  message: string;
  extensions?: Readonly<Record<string, unknown>> | undefined;
}): boolean {
  return (
    error.extensions?.code === 'OUTSTANDING_LIMIT_EXCEEDED' || /requests in progress/iu.test(error.message)
  );
}

/**
 * The duplicate-key error of an insert: `extensions.data.status_name = "PrimaryKeyAssignmentFailed"` (status 3),
 * from a Visma engineer's example (reference §5); which statuses other "already in use" cases give is UNCONFIRMED.
 */
export function isDuplicateKey(error: {
  message: string;
  extensions?: Readonly<Record<string, unknown>> | undefined;
}): boolean {
  const data = error.extensions?.data;
  const statusName =
    typeof data === 'object' && data !== null && 'status_name' in data ? data.status_name : undefined;
  return statusName === 'PrimaryKeyAssignmentFailed' || /already exists|already in use/iu.test(error.message);
}
