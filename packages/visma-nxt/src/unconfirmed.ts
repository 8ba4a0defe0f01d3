/**
 * Every Business NXT fact this client relies on that public sources (https://docs.vismasoftware.no/businessnxtapi)
 * could not confirm, marked UNCONFIRMED, in one place to correct.
 */

import { createDateTimeCodec } from './datetime.js';

/**
 * Business NXT GraphQL names this client relies on that public sources could not confirm, taken from Visma
 * Business's MDM field mapping and "Aktør" table
 * (https://doc.visma.net/userdoc/business/16.01/nb-no/products/business/reference/r_MDM_data_mapping.html,
 * https://doc.visma.net/userdoc/business/18.10/nb-no/products/business/concept/c_t_associate.html). This is the
 * one place to correct them; a client can also override them per installation
 * (`createVismaNxtClient({ fieldNames })`), and `checkSchema()` (run by `crm-sync doctor`) compares them with the
 * live schema. Queries alias each live name to the stable key on the left, so callers always see the same
 * property names.
 */
export const defaultFieldNames = {
  /** Associate: the country, as a Visma country number (the MDM mapping's "CountryNo ⇒ Country.ISO"). UNCONFIRMED. */
  countryNo: 'countryNo',
  /** Associate: mobile phone. Public code requests it after checking it exists. UNCONFIRMED. */
  mobilePhone: 'mobilePhone',
  /** Associate: "Kontaktpers. for", the associate number of the customer a contact person belongs to. UNCONFIRMED. */
  contactPersonForAssociateNo: 'contactPersonForAssociateNo',
} as const;

export type FieldNames = { readonly [K in keyof typeof defaultFieldNames]: string };

/**
 * Names confirmed by public queries (e.g. https://github.com/Visma-Software-AS-Product/BusinessNXT_API_Examples):
 * listed so `checkSchema()` checks them too.
 */
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
 * The server's time zone. Business NXT documents that `DateTime` values (`changedTimestamp`, …) are "the local
 * time of the server" with no zone (https://docs.vismasoftware.no/businessnxtapi/apireference/schema/datetime/),
 * but not which zone that is: Norwegian time is assumed, UNCONFIRMED. A client can set its own
 * (`createVismaNxtClient({ timeZone })`, the runner's `VISMA_TIME_ZONE`).
 */
export const defaultTimeZone = 'Europe/Oslo';

/**
 * How an instant is written in a `DateTime` filter value (`changedTimestamp: { _gte: … }`): as the server writes
 * its values, `yyyy-MM-dd HH:mm:ss.fffffff` in its local time with no offset (the documented form, see above).
 * As a lower bound it is fold-safe: in the first pass of an hour that repeats, it is that hour's start (see
 * `DateTimeCodec.lowerBound`). UNCONFIRMED: whether a value with `Z` or an offset would be converted to the
 * server's time or read as wall time, so none is ever sent; and whether all 7 fraction digits are accepted (the
 * docs' example has 3; `datetime2` holds 7).
 */
export function toDateTimeFilterValue(epochMs: number, timeZone: string = defaultTimeZone): string {
  return createDateTimeCodec(timeZone).lowerBound(epochMs);
}

/**
 * How to ask Business NXT to assign a customer number on create: the `suggest` argument of `associate_create`, of
 * type `Suggest_Associate_Input` (documented at
 * https://docs.vismasoftware.no/businessnxtapi/apireference/schema/mutations/inserts/; "undeprecated and merged with
 * values" in https://docs.vismasoftware.no/businessnxtapi/release-notes/2025-12-10-suggest-undeprecated-and-merged-with-values/),
 * with the column left out of `values`. It replaces passing the column as `null` inside `values`, deprecated and
 * gone after 2027-12-31 (https://docs.vismasoftware.no/businessnxtapi/endoflife/deprecatedfeatures/).
 * UNCONFIRMED: the fields of `Suggest_Associate_Input` (taken to be one Boolean per column, `{ customerNo: true }`),
 * and that a row giving its own customer number in the same mutation keeps it. `checkSchema()` (`crm-sync doctor`)
 * checks that the type exists and has `customerNo`. A record-level `_suggest` field inside `values` also exists
 * (https://docs.vismasoftware.no/businessnxtapi/release-notes/2026-03-24-suggest-at-record-level/); its shape is
 * UNCONFIRMED and the client does not use it. A number series configured in the client avoids relying on either.
 */
export const suggestCustomerNo = { customerNo: true } as const;

/** The GraphQL input type of the `suggest` argument (UNCONFIRMED field set, see above). */
export const suggestInputType = 'Suggest_Associate_Input';

/**
 * The limit of 60 requests in progress per company: modelled, as public client tests do, as HTTP 200 with
 * `errors[].extensions.code = "OUTSTANDING_LIMIT_EXCEEDED"` and a message "Company N has 60 requests in progress"
 * (https://docs.vismasoftware.no/businessnxtapi/apireference/ratelimits/ gives the limit, not its error).
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
 * from a Visma engineer's example (https://community.visma.com/t5/Diskusjon/Error-Codes/td-p/582317); which
 * statuses other "already in use" cases give is UNCONFIRMED.
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

/**
 * Business NXT `Associate` columns for the defaults a company usually sets on new customers (the policy's
 * `customers.createDefaults`, applied on create only). None is confirmed by a public source: the names follow
 * Visma Business's customer fields (customer price group 1, payment terms, currency, language, tax and accounting
 * group), camelCased as the confirmed columns are; all UNCONFIRMED. Listed for documentation and for
 * `crm-sync doctor`, which checks every configured default column on `Associate_Input` by introspection (the
 * Business NXT user docs list each table's "API identifier", e.g.
 * https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/country.html).
 */
export const customerDefaultColumns = {
  /** Customer group: "Kundeprisgruppe 1" (customer price group 1). UNCONFIRMED. */
  customerGroup: 'customerPriceGroup1',
  /** Payment terms ("Betalingsbetingelse"), a number of the payment terms table. UNCONFIRMED. */
  paymentTerms: 'paymentTerms',
  /** Currency, a currency number (0 for the company's own currency). UNCONFIRMED. */
  currency: 'currencyNo',
  /** Language, a language number. UNCONFIRMED. */
  language: 'languageNo',
  /** VAT handling: the tax and accounting group ("Avgifts-/regnskapsgruppe"). UNCONFIRMED. */
  vat: 'taxAndAccountingGroup',
} as const;
