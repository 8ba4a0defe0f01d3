export type ObjectType = 'companies' | 'contacts';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'datetime' | 'enumeration' | 'bool' | 'date';
  fieldType: string;
  groupName: string;
  description: string;
  hasUniqueValue: boolean;
  /** The allowed values of an enumeration (`select`, `radio`, `checkbox` with `;`-separated values). */
  options?: PropertyOption[];
  hubspotDefined: boolean;
  readOnly: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One option of an enumeration property (the OpenAPI document's `Option`). */
export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

const created = '2020-01-01T00:00:00.000Z';
const define = (
  name: string,
  type: PropertyDefinition['type'] = 'string',
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition => ({
  name,
  label: name,
  type,
  fieldType:
    type === 'string'
      ? 'text'
      : type === 'number'
        ? 'number'
        : type === 'enumeration'
          ? 'select'
          : type === 'bool'
            ? 'booleancheckbox'
            : 'date',
  groupName: 'companyinformation',
  description: '',
  hasUniqueValue: false,
  hubspotDefined: true,
  readOnly: false,
  createdAt: created,
  updatedAt: created,
  ...extra,
});
const readOnly = { readOnly: true };

// HubSpot's default lifecycle stages
// (https://knowledge.hubspot.com/records/use-lifecycle-stages): internal values as the API takes them.
const lifecycleStages = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
].map(([value, label], displayOrder) => ({
  value: value ?? '',
  label: label ?? '',
  displayOrder,
  hidden: false,
}));

/**
 * HubSpot's default properties the simulator knows, read-only ones marked: companies per
 * https://knowledge.hubspot.com/properties/hubspot-crm-default-company-properties, contacts per
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/guide.
 */
export function defaultProperties(type: ObjectType): PropertyDefinition[] {
  const common = [
    define('hs_object_id', 'number', readOnly),
    define('createdate', 'datetime', readOnly),
    define('hs_merged_object_ids', 'string', readOnly),
    define('phone'),
    define('address'),
    define('city'),
    define('state'),
    define('zip'),
    define('country'),
    define('lifecyclestage', 'enumeration', { options: lifecycleStages }),
  ];
  if (type === 'companies') {
    return [
      ...common,
      define('hs_lastmodifieddate', 'datetime', readOnly),
      define('name'),
      define('domain'),
      define('address2'),
      define('website'),
      define('industry'),
      define('description'),
      define('numberofemployees', 'number'),
      define('annualrevenue', 'number'),
      define('hs_additional_domains'),
    ].map((property) => ({ ...property, groupName: 'companyinformation' }));
  }
  return [
    ...common,
    define('lastmodifieddate', 'datetime', readOnly),
    define('email', 'string', { hasUniqueValue: true }),
    define('firstname'),
    define('lastname'),
    define('mobilephone'),
    define('fax'),
    define('jobtitle'),
    define('company'),
    define('hs_additional_emails', 'string', readOnly),
  ].map((property) => ({ ...property, groupName: 'contactinformation' }));
}

/** The property HubSpot keeps the last modification time in, per object type. */
export const modifiedProperty: Record<ObjectType, string> = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
};

/** `objectTypeId`s, as the associations API (v4 and 2026-09) reports them. */
export const objectTypeId: Record<ObjectType, string> = { companies: '0-2', contacts: '0-1' };
