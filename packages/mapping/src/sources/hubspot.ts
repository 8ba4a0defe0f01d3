import type { HubSpotPropertyNames } from '../config/policy.js';
import type { CanonicalContact, ContactSyncField } from '../model/contact.js';
import { type CanonicalCustomer, type CustomerSyncField, customerSyncFields } from '../model/customer.js';
import { countryDisplayName, normalizeCountryName } from '../normalize/country.js';
import { normalizeEmail } from '../normalize/email.js';
import { normalizeOrgNumber } from '../normalize/org-number.js';
import { joinPersonName, splitPersonName } from '../normalize/person-name.js';
import { normalizePhone } from '../normalize/phone.js';
import { normalizeCity, normalizePostalCode } from '../normalize/postal.js';
import { normalizeText } from '../normalize/text.js';
import { issueCollector, type Mapped, parseErpNumber } from './collect.js';

/**
 * A HubSpot CRM object as the v3 objects API returns it: property values are strings or null, and a
 * requested property may be missing. https://developers.hubspot.com/docs/api-reference/legacy/crm/using-object-apis
 */
export interface HubSpotObjectInput {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
  /** ISO 8601; mirrors `hs_lastmodifieddate` / `lastmodifieddate`. */
  readonly updatedAt?: string | undefined;
  readonly archived?: boolean | undefined;
  /**
   * Earlier values of some properties, newest first (HubSpot's `propertiesWithHistory`). A HubSpot merge keeps the
   * values of both records here, so the actor number of a merged-away record is still known.
   */
  readonly propertyHistory?: Readonly<Record<string, readonly string[]>> | undefined;
  /**
   * When each current value was set, by property name, for the properties read with their history (the newest
   * entry of `propertiesWithHistory`, kept only when it is the value in `properties`). `newest-wins` compares a
   * field by these times when they are known, else by `updatedAt`.
   */
  readonly latestChanges?: Readonly<Record<string, HubSpotPropertyChange>> | undefined;
}

/** The newest value of a HubSpot property as `propertiesWithHistory` reports it (`ValueWithTimestamp`). */
export interface HubSpotPropertyChange {
  /** ISO 8601, UTC. */
  readonly timestamp: string;
  /** Who set it: `CRM_UI` (a user), `API`, `INTEGRATION`, `IMPORT`, `MERGE`, … */
  readonly sourceType?: string | undefined;
  readonly sourceId?: string | null | undefined;
  readonly updatedByUserId?: number | null | undefined;
}

/** A HubSpot contact with the ids of its associated companies (associations v4). */
export interface HubSpotContactInput extends HubSpotObjectInput {
  readonly companyIds?: readonly string[] | undefined;
  /** The company of the primary association (type 1), when known. */
  readonly primaryCompanyId?: string | null | undefined;
}

/** HubSpot property names the sync writes, keyed by canonical customer field (`country` is free text there). */
export function companyPropertyNames(names: HubSpotPropertyNames): Record<CustomerSyncField, string> {
  return {
    orgNumber: names.orgNumber,
    name: 'name',
    addressLine1: 'address',
    addressLine2: 'address2',
    postalCode: 'zip',
    city: 'city',
    country: 'country',
    phone: 'phone',
    email: names.companyEmail,
  };
}

/** HubSpot contact properties by canonical contact field (the full name is two properties). */
export const contactPropertyNames: Readonly<Record<ContactSyncField, readonly string[]>> = {
  name: ['firstname', 'lastname'],
  email: ['email'],
  phone: ['phone'],
  mobile: ['mobilephone'],
};

/** The HubSpot properties each canonical field of an entity is read from. */
export function hubSpotFieldProperties(
  entity: 'customer' | 'contact',
  names: HubSpotPropertyNames,
): Readonly<Record<string, readonly string[]>> {
  if (entity === 'contact') return contactPropertyNames;
  return Object.fromEntries(
    Object.entries(companyPropertyNames(names)).map(([field, name]) => [field, [name]]),
  );
}

/**
 * The newest change of each field's properties (a field read from two properties takes the later one), for the
 * fields whose properties were read with history; `undefined` when the record was not (the common case).
 */
export function hubSpotFieldChanges<Field extends string>(
  record: HubSpotObjectInput,
  properties: Readonly<Record<Field, readonly string[]>>,
): Partial<Record<Field, HubSpotPropertyChange>> | undefined {
  const changes = record.latestChanges;
  if (changes === undefined) return undefined;
  const byField: Partial<Record<Field, HubSpotPropertyChange>> = {};
  for (const field of Object.keys(properties) as Field[]) {
    for (const name of properties[field]) {
      const change = changes[name];
      if (change === undefined) continue;
      const known = byField[field];
      if (known === undefined || Date.parse(change.timestamp) > Date.parse(known.timestamp))
        byField[field] = change;
    }
  }
  return byField;
}

/**
 * Per field, when HubSpot's current value was set (see `hubSpotFieldChanges`): what `newest-wins` compares.
 * `undefined`, at no cost, for a record read without history.
 */
export function hubSpotFieldTimestamps(
  record: HubSpotObjectInput,
  entity: 'customer' | 'contact',
  names: HubSpotPropertyNames,
): Partial<Record<string, string>> | undefined {
  if (record.latestChanges === undefined) return undefined;
  const changes = hubSpotFieldChanges(record, hubSpotFieldProperties(entity, names)) ?? {};
  const times: Partial<Record<string, string>> = {};
  for (const [field, change] of Object.entries(changes))
    if (change !== undefined) times[field] = change.timestamp;
  return times;
}

export function hubSpotCompanyToCustomer(
  company: HubSpotObjectInput,
  names: HubSpotPropertyNames,
): Mapped<CanonicalCustomer> {
  const { issues, take } = issueCollector('hubspot', company.id);
  const property = (name: string) => company.properties[name];
  const country = take('country', normalizeCountryName(property('country')));
  const record: CanonicalCustomer = {
    orgNumber: take('orgNumber', normalizeOrgNumber(property(names.orgNumber))),
    name: take('name', normalizeText(property('name'))),
    addressLine1: take('addressLine1', normalizeText(property('address'))),
    addressLine2: take('addressLine2', normalizeText(property('address2'))),
    postalCode: take('postalCode', normalizePostalCode(property('zip'), country)),
    city: take('city', normalizeCity(property('city'))),
    country,
    phone: take('phone', normalizePhone(property('phone'))),
    email: take('email', normalizeEmail(property(names.companyEmail))),
    erpCustomerNo: take('erpCustomerNo', parseErpNumber(property(names.erpCustomerNo))),
    erpActorNo: take('erpActorNo', parseErpNumber(property(names.erpActorNo))),
  };
  return { record, issues };
}

/** HubSpot company properties for the given canonical values; `null` becomes `""`, which clears in HubSpot. */
export function customerToHubSpotProperties(
  values: Partial<Pick<CanonicalCustomer, CustomerSyncField>>,
  names: HubSpotPropertyNames,
): Record<string, string> {
  const propertyNames = companyPropertyNames(names);
  const properties: Record<string, string> = {};
  for (const field of customerSyncFields) {
    const value = values[field];
    if (value === undefined) continue;
    properties[propertyNames[field]] =
      field === 'country' && value !== null ? countryDisplayName(value) : (value ?? '');
  }
  return properties;
}

/** The ERP-owned numbers as HubSpot properties (the write-back that also mirrors the link into HubSpot). */
export function erpNumbersToHubSpotProperties(
  numbers: { erpCustomerNo?: number | null; erpActorNo: number },
  names: HubSpotPropertyNames,
): Record<string, string> {
  const properties: Record<string, string> = { [names.erpActorNo]: String(numbers.erpActorNo) };
  if (numbers.erpCustomerNo !== undefined) {
    properties[names.erpCustomerNo] = numbers.erpCustomerNo === null ? '' : String(numbers.erpCustomerNo);
  }
  return properties;
}

export function hubSpotContactToContact(
  contact: HubSpotContactInput,
  names: HubSpotPropertyNames,
): Mapped<CanonicalContact> {
  const { issues, take } = issueCollector('hubspot', contact.id);
  const property = (name: string) => contact.properties[name];
  const record: CanonicalContact = {
    name: take('name', joinPersonName(property('firstname'), property('lastname'))),
    email: take('email', normalizeEmail(property('email'))),
    phone: take('phone', normalizePhone(property('phone'))),
    mobile: take('mobile', normalizePhone(property('mobilephone'))),
    erpActorNo: take('erpActorNo', parseErpNumber(property(names.erpActorNo))),
    customerActorNo: null,
  };
  return { record, issues };
}

/** HubSpot contact properties for the given canonical values; the full name is split into first and last. */
export function contactToHubSpotProperties(
  values: Partial<Pick<CanonicalContact, ContactSyncField>>,
): Record<string, string> {
  const properties: Record<string, string> = {};
  if (values.name !== undefined) {
    const { firstName, lastName } = splitPersonName(values.name ?? '');
    properties.firstname = firstName;
    properties.lastname = lastName;
  }
  if (values.email !== undefined) properties.email = values.email ?? '';
  if (values.phone !== undefined) properties.phone = values.phone ?? '';
  if (values.mobile !== undefined) properties.mobilephone = values.mobile ?? '';
  return properties;
}

/** The company a contact belongs to for the sync: its primary company, else the lowest associated id. */
export function contactCompanyId(contact: HubSpotContactInput): string | null {
  if (contact.primaryCompanyId) return contact.primaryCompanyId;
  const ids = [...(contact.companyIds ?? [])].sort((a, b) => Number(a) - Number(b));
  return ids[0] ?? null;
}
