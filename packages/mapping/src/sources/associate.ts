import { erpColumnLimits, type LimitedErpColumn } from '../erp-column-limits.js';
import type { FieldIssue } from '../issues.js';
import type { CanonicalContact, ContactSyncField } from '../model/contact.js';
import type { CanonicalCustomer, CustomerSyncField } from '../model/customer.js';
import { normalizeVismaCountryNo, vismaCountryNoFor } from '../normalize/country.js';
import { normalizeEmail } from '../normalize/email.js';
import { normalizeOrgNumber } from '../normalize/org-number.js';
import { normalizePhone } from '../normalize/phone.js';
import { normalizeCity, normalizePostalCode } from '../normalize/postal.js';
import { normalizeText } from '../normalize/text.js';
import { issueCollector, type Mapped } from './collect.js';

/**
 * A Business NXT `Associate` row (Norwegian "Aktør"), with the GraphQL field names seen in public queries (Visma's
 * own sample: https://github.com/Visma-Software-AS-Product/BusinessNXT_API_Examples). Business NXT returns `""` and
 * `0` for empty columns.
 * `countryNo`, `mobilePhone` and `contactPersonForAssociateNo` stand for columns whose live names are
 * UNCONFIRMED; @port-service/visma-nxt aliases the live fields to these keys.
 * https://docs.vismasoftware.no/businessnxtapi/schema/mutations/inserts
 */
export interface AssociateInput {
  readonly associateNo: number;
  readonly customerNo?: number | null | undefined;
  readonly name?: string | null | undefined;
  /** The organization number (a string), not a company id. */
  readonly companyNo?: string | null | undefined;
  readonly addressLine1?: string | null | undefined;
  readonly addressLine2?: string | null | undefined;
  readonly postCode?: string | null | undefined;
  readonly postalArea?: string | null | undefined;
  readonly countryNo?: number | null | undefined;
  readonly phone?: string | null | undefined;
  readonly mobilePhone?: string | null | undefined;
  readonly emailAddress?: string | null | undefined;
  /** For a contact person: the associate number of the customer they are a contact for. */
  readonly contactPersonForAssociateNo?: number | null | undefined;
  /** Business NXT `DateTime`; `null` for rows not changed since October 2024. */
  readonly changedTimestamp?: string | null | undefined;
  /**
   * The Business NXT user who changed the row last (for the sync's own writes: its service application's client
   * id). The planner does not read it; the runner uses it to recognize its own writes coming back.
   */
  readonly changedByUser?: string | null | undefined;
}

/** Column values for `associate_create` / `associate_update` (`Associate_Input`). */
export interface AssociateValues {
  name?: string;
  companyNo?: string;
  addressLine1?: string;
  addressLine2?: string;
  postCode?: string;
  postalArea?: string;
  countryNo?: number;
  phone?: string;
  mobilePhone?: string;
  emailAddress?: string;
  contactPersonForAssociateNo?: number;
}

const customerColumns = {
  orgNumber: 'companyNo',
  name: 'name',
  addressLine1: 'addressLine1',
  addressLine2: 'addressLine2',
  postalCode: 'postCode',
  city: 'postalArea',
  country: 'countryNo',
  phone: 'phone',
  email: 'emailAddress',
} as const satisfies Record<CustomerSyncField, keyof AssociateValues>;

/** The synced customer field a Business NXT column holds, if the sync maps it (e.g. `postCode` → `postalCode`). */
export function customerColumnOf(column: string): CustomerSyncField | undefined {
  const entry = Object.entries(customerColumns).find(([, mapped]) => mapped === column);
  return entry?.[0] as CustomerSyncField | undefined;
}

const contactColumns = {
  name: 'name',
  email: 'emailAddress',
  phone: 'phone',
  mobile: 'mobilePhone',
} as const satisfies Record<ContactSyncField, keyof AssociateValues>;

function positiveOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && value > 0 ? value : null;
}

export function associateToCustomer(row: AssociateInput): Mapped<CanonicalCustomer> {
  const { issues, take } = issueCollector('visma-nxt', String(row.associateNo));
  const country = take('country', normalizeVismaCountryNo(row.countryNo));
  const record: CanonicalCustomer = {
    orgNumber: take('orgNumber', normalizeOrgNumber(row.companyNo)),
    name: take('name', normalizeText(row.name)),
    addressLine1: take('addressLine1', normalizeText(row.addressLine1)),
    addressLine2: take('addressLine2', normalizeText(row.addressLine2)),
    postalCode: take('postalCode', normalizePostalCode(row.postCode, country)),
    city: take('city', normalizeCity(row.postalArea)),
    country,
    phone: take('phone', normalizePhone(row.phone)),
    email: take('email', normalizeEmail(row.emailAddress)),
    erpCustomerNo: positiveOrNull(row.customerNo),
    erpActorNo: row.associateNo,
  };
  return { record, issues };
}

export function associateToContact(row: AssociateInput): Mapped<CanonicalContact> {
  const { issues, take } = issueCollector('visma-nxt', String(row.associateNo));
  const record: CanonicalContact = {
    name: take('name', normalizeText(row.name)),
    email: take('email', normalizeEmail(row.emailAddress)),
    phone: take('phone', normalizePhone(row.phone)),
    mobile: take('mobile', normalizePhone(row.mobilePhone)),
    erpActorNo: row.associateNo,
    customerActorNo: positiveOrNull(row.contactPersonForAssociateNo),
  };
  return { record, issues };
}

/** Writes one canonical value into its column, checking the column's length; `null` clears (`""` or `0`). */
function setColumn(
  values: AssociateValues,
  column: keyof AssociateValues,
  value: string | null,
  field: string,
  report: (field: string, rule: string, message: string) => void,
): void {
  if (column === 'countryNo') {
    const countryNo = value === null ? 0 : vismaCountryNoFor(value);
    if (countryNo === undefined)
      report(field, 'country-number-unknown', 'has no Business NXT country number');
    else values.countryNo = countryNo;
    return;
  }
  if (column === 'contactPersonForAssociateNo') return;
  const text = value ?? '';
  const limit = erpColumnLimits[column satisfies LimitedErpColumn];
  if (text.length > limit) {
    report(
      field,
      'erp-column-length',
      `is ${text.length} characters; Business NXT's ${column} holds ${limit}`,
    );
    return;
  }
  values[column] = text;
}

function toAssociateValues<Field extends string>(
  columns: Readonly<Record<Field, keyof AssociateValues>>,
  fields: Partial<Record<Field, string | null>>,
  recordId: string | null,
): { values: AssociateValues; issues: readonly FieldIssue[] } {
  const present = Object.keys(columns).filter((key): key is Field => key in fields);
  if (present.length === 0) return { values: {}, issues: [] };
  const { issues, add } = issueCollector('visma-nxt', recordId);
  const values: AssociateValues = {};
  for (const field of present) {
    const value = fields[field];
    if (value !== undefined) setColumn(values, columns[field], value, field, add);
  }
  return { values, issues };
}

/** `Associate_Input` values for canonical customer fields, with an issue for any value Business NXT cannot hold. */
export function customerToAssociateValues(
  fields: Partial<Pick<CanonicalCustomer, CustomerSyncField>>,
  recordId: string | null,
): { values: AssociateValues; issues: readonly FieldIssue[] } {
  return toAssociateValues(customerColumns, fields, recordId);
}

/** `Associate_Input` values for canonical contact fields, checked like customer values. */
export function contactToAssociateValues(
  fields: Partial<Pick<CanonicalContact, ContactSyncField>>,
  recordId: string | null,
): { values: AssociateValues; issues: readonly FieldIssue[] } {
  return toAssociateValues(contactColumns, fields, recordId);
}
