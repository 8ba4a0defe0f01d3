/**
 * Every Business NXT fact this client relies on that no public source settles, marked UNCONFIRMED, in one place
 * to correct. Each entry says what `checkSchema()` (run by `crm-sync doctor`) checks for it; some can only be seen
 * in a write that fails, and doctor writes nothing. What public sources do settle, and where, is in README.md
 * ("Reference notes"); the confirmed `Associate` columns are in confirmed-names.ts.
 *
 * Searched for this list (2026): Visma's own sample repositories
 * (https://github.com/Visma-Software-AS-Product/BusinessNXT_API_Examples, https://github.com/Visma-Business/GraphQLSamples,
 * https://github.com/Visma-Business/BNXT-test-111) and public clients (https://github.com/omelhus/VBNXT.Console,
 * https://github.com/omelhus/business-nxt-webhooks). None names `countryNo`, `mobilePhone`, `currencyNo`,
 * `languageNo` or a contact person's customer column. (`changedByUser`, which the last one reads on `Product`, is
 * confirmed for every table by Visma's user docs, "Control columns":
 * https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/memo.html.)
 */

import { createDateTimeCodec } from './datetime.js';

// Modules that import the confirmed names from here keep working; they are listed in confirmed-names.ts.
export { confirmedAssociateFields } from './confirmed-names.js';

/**
 * Business NXT GraphQL names of `Associate` columns, taken from Visma Business's MDM field mapping and "Aktør"
 * table (https://doc.visma.net/userdoc/business/16.01/nb-no/products/business/reference/r_MDM_data_mapping.html,
 * https://doc.visma.net/userdoc/business/18.10/nb-no/products/business/concept/c_t_associate.html), all
 * UNCONFIRMED. A client can override them per installation (`createVismaNxtClient({ fieldNames })`). Queries alias
 * each live name to the stable key on the left, so callers always see the same property names.
 * checkSchema(): each must be a field of `Associate` and of `Associate_Input` (`missing`); the contact person's
 * customer column must also be an `Int` and a `FilterExpression_Associate` field of the filter type `associateNo`
 * has (`contactCustomer.problems`).
 */
export const defaultFieldNames = {
  /** Associate: the country, as a Visma country number (the MDM mapping's "CountryNo ⇒ Country.ISO"). UNCONFIRMED. */
  countryNo: 'countryNo',
  /** Associate: mobile phone (the MDM mapping's "Mobiltelefonnr"). UNCONFIRMED. */
  mobilePhone: 'mobilePhone',
  /** Associate: "Kontaktpers. for", the associate number of the customer a contact person belongs to. UNCONFIRMED. */
  contactPersonForAssociateNo: 'contactPersonForAssociateNo',
} as const;

export type FieldNames = { readonly [K in keyof typeof defaultFieldNames]: string };

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
 * checkSchema(): nothing; the schema does not say the zone.
 */
export const defaultTimeZone = 'Europe/Oslo';

/**
 * How an instant is written in a `DateTime` filter value (`changedTimestamp: { _gte: … }`): as the server writes
 * its values, `yyyy-MM-dd HH:mm:ss.fffffff` in its local time with no offset (the documented form, see above).
 * As a lower bound it is fold-safe: in the first pass of an hour that repeats, it is that hour's start (see
 * `DateTimeCodec.lowerBound`). UNCONFIRMED: whether a value with `Z` or an offset would be converted to the
 * server's time or read as wall time, so none is ever sent; and whether all 7 fraction digits are accepted (the
 * docs' example has 3; `datetime2` holds 7).
 * checkSchema(): only that `FilterExpression_Associate` has `changedTimestamp` (`missing`), not the value's form.
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
 * and that a row giving its own customer number in the same mutation keeps it. A record-level `_suggest` field
 * inside `values` also exists (https://docs.vismasoftware.no/businessnxtapi/release-notes/2026-03-24-suggest-at-record-level/);
 * its shape is UNCONFIRMED and the client does not use it. A number series configured in the client avoids relying
 * on either. checkSchema(): `Suggest_Associate_Input` must exist and have `customerNo` (`missing`).
 */
export const suggestCustomerNo = { customerNo: true } as const;

/** The GraphQL input type of the `suggest` argument (UNCONFIRMED field set, see above). */
export const suggestInputType = 'Suggest_Associate_Input';

/**
 * The limit of 60 requests in progress per company: modelled, as public client tests do, as HTTP 200 with
 * `errors[].extensions.code = "OUTSTANDING_LIMIT_EXCEEDED"` and a message "Company N has 60 requests in progress"
 * (https://docs.vismasoftware.no/businessnxtapi/apireference/ratelimits/ gives the limit, not its error), UNCONFIRMED.
 * checkSchema(): nothing; only 60 requests at once show it.
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
 * Whether an insert's row error says its customer number is taken, so a series moves on to the next number. A
 * primary key already in use is `extensions.data.status_name = "PrimaryKeyAssignmentFailed"` (status 3) with the
 * message "A record with the same primary key already exists." (a Visma engineer's example,
 * https://community.visma.com/t5/Diskusjon/Error-Codes/td-p/582317). UNCONFIRMED: that a customer number already
 * in use (a unique column, not the primary key) is reported the same way, or with "already in use" as the user
 * interface says (https://www.cloudconnection.no/ofte-stilte-sporsmal/artikkel/creating-a-new-associate).
 * checkSchema(): nothing; only a refused insert shows it.
 */
export function isDuplicateKey(error: {
  readonly message: string;
  readonly statusName: string | null;
}): boolean {
  return (
    error.statusName === 'PrimaryKeyAssignmentFailed' || /already exists|already in use/iu.test(error.message)
  );
}

/**
 * The column a mutation error names, among `columns` (the live names the row sent). Business NXT gives "the name
 * of fields whose assignment failed in create or update mutations"
 * (https://docs.vismasoftware.no/businessnxtapi/release-notes/2025-10-17-field-level-assignment-names-in-mutation-errors/),
 * but where and in which words is UNCONFIRMED (the errors page's "Understanding error information" could not be
 * read): the client takes a column named after `values/<i>` in `path`, else one the message quotes ('name' or
 * "name"), else one the message names as a word, ignoring case (`CustomerNo` is `customerNo`); `null` when none.
 * checkSchema(): nothing, as only a refused write shows the wording and `crm-sync doctor` writes nothing.
 */
export function namedColumn(
  error: { readonly message: string; readonly field: string | null },
  columns: readonly string[],
): string | null {
  const byLowerCase = new Map(columns.map((column) => [column.toLowerCase(), column]));
  const known = (name: string | null | undefined) =>
    name === null || name === undefined ? null : (byLowerCase.get(name.toLowerCase()) ?? null);
  const quoted = [...error.message.matchAll(/['"]([_A-Za-z][_0-9A-Za-z]*)['"]/gu)].map((match) => match[1]);
  const words = error.message.match(/[_A-Za-z][_0-9A-Za-z]*/gu) ?? [];
  return (
    known(error.field) ??
    quoted.map(known).find((name) => name !== null) ??
    words.map(known).find((name) => name !== null) ??
    null
  );
}

/**
 * Business NXT `Associate` columns for the defaults a company usually sets on new customers (the policy's
 * `customers.createDefaults`, applied on create only). None is confirmed by a public source (see the search at the
 * top): the names follow Visma Business's customer fields (customer price group 1, payment terms, currency,
 * language, tax and accounting group), camelCased as the confirmed columns are; all UNCONFIRMED. The Business NXT
 * user docs list each table's "API identifier" (e.g. https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/country.html),
 * the place to confirm them. checkSchema({ createColumns }): each configured default column must be a field of
 * `Associate_Input` (`missingCreateColumns`); `crm-sync doctor` passes the policy's `createDefaults`.
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

/**
 * Whether a row's `changedByUser` names the service application with this client id. A service writes as the
 * Business NXT user named after its client id
 * (https://docs.vismasoftware.no/businessnxtapi/authentication/service/user_setup), and the control column
 * `changedByUser` holds that user's name ("Control columns",
 * https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/memo.html). UNCONFIRMED: whether the name keeps the
 * client id's letter case, so the two are compared without regard to case. Nothing for `checkSchema()` to check
 * (it checks that `changedByUser` is a String on `Associate`): a wrong guess only makes the sync read HubSpot for
 * its own echoes, which its fingerprints then recognise.
 */
export function isServiceUser(changedByUser: string | null | undefined, clientId: string): boolean {
  const user = changedByUser?.trim() ?? '';
  return user !== '' && user.toLowerCase() === clientId.trim().toLowerCase();
}
