/**
 * The bad input corpus (issue 6): records that must each be refused with a per-record error naming the field and
 * the rule, and records that look odd but are valid data, which must sync intact (refusing them would be the bug).
 */
export interface RefusedCase {
  readonly label: string;
  /** What the record has (HubSpot properties, or Business NXT columns). */
  readonly values: Readonly<Record<string, string | number>>;
  readonly field: string;
  readonly rule: string;
}

export interface AcceptedCase {
  readonly label: string;
  readonly values: Readonly<Record<string, string | number>>;
  /** What the other side must hold afterwards (HubSpot property or Business NXT column → value). */
  readonly expect: Readonly<Record<string, string>>;
}

const long = (length: number) =>
  `${'Langt navn '
    .repeat(Math.ceil(length / 11))
    .slice(0, length)
    .trim()}X`;

const orgNumbers: Array<[string, string, string]> = [
  ['wrong check digit', '123456789', 'org-number-check-digit'],
  ['wrong check digit 2', '923609017', 'org-number-check-digit'],
  ['wrong check digit 3', '987654321', 'org-number-check-digit'],
  ['eight digits', '92360901', 'org-number-length'],
  ['ten digits', '9236090160', 'org-number-length'],
  ['letters', 'ABCDEFGHI', 'org-number-format'],
  ['trailing letter', '92360901X', 'org-number-format'],
  ['SQL in org number', "1' OR '1'='1", 'org-number-format'],
  ['emoji org number', '🚢🚢🚢', 'org-number-format'],
  ['only dashes', '---------', 'org-number-format'],
];
const emails: Array<[string, string]> = [
  ['double at', 'post@@firma.no'],
  ['no at', 'post.firma.no'],
  ['no domain', 'post@'],
  ['no local part', '@firma.no'],
  ['space inside', 'po st@firma.no'],
  ['no dot in domain', 'post@firma'],
  ['HTML email', '<script>@firma.no'],
  ['comma', 'post,firma@firma.no'],
];
const phones: Array<[string, string, string]> = [
  ['letters', 'ring oss', 'phone-format'],
  ['too short', '123', 'phone-invalid'],
  ['Norwegian too short', '+47 1234', 'phone-invalid'],
  ['double plus', '++47 33 00 00 00', 'phone-format'],
  ['SQL', "33'; DROP TABLE associate;--", 'phone-invalid'],
  ['too long', '+47 33 00 00 00 00 00 00 00 00 00', 'phone-format'],
];

/** HubSpot companies (all `lifecyclestage: customer`): each refused with its field and rule. */
export function refusedCompanies(): RefusedCase[] {
  const base = { lifecyclestage: 'customer' };
  return [
    ...orgNumbers.map(([label, value, rule]) => ({
      label: `org number: ${label}`,
      values: { ...base, name: `Org ${label} AS`, org_number: value },
      field: 'orgNumber',
      rule,
    })),
    ...emails.map(([label, value]) => ({
      label: `email: ${label}`,
      values: { ...base, name: `Epost ${label} AS`, company_email: value },
      field: 'email',
      rule: 'email-format',
    })),
    {
      label: 'email: longer than 254',
      values: { ...base, name: 'Lang epost AS', company_email: `${'a'.repeat(250)}@firma.no` },
      field: 'email',
      rule: 'email-length',
    },
    ...phones.map(([label, value, rule]) => ({
      label: `phone: ${label}`,
      values: { ...base, name: `Telefon ${label} AS`, phone: value },
      field: 'phone',
      rule,
    })),
    {
      label: 'postal code: five digits in Norway',
      values: { ...base, name: 'Post 1 AS', zip: '12345', country: 'Norway' },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'postal code: letters in Norway',
      values: { ...base, name: 'Post 2 AS', zip: 'ABCD', country: 'Norge' },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'postal code: two digits',
      values: { ...base, name: 'Post 3 AS', zip: '12', country: 'NO' },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'country: unknown name',
      values: { ...base, name: 'Land 1 AS', country: 'Atlantis' },
      field: 'country',
      rule: 'country-unknown',
    },
    {
      label: 'country: unknown code',
      values: { ...base, name: 'Land 2 AS', country: 'XX' },
      field: 'country',
      rule: 'country-unknown',
    },
    {
      label: 'name: bell character',
      values: { ...base, name: 'Bjelle\u0007 AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'name: NUL character',
      values: { ...base, name: 'Null\u0000 AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'name: ANSI escape',
      values: { ...base, name: '\u001b[31mRød AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'address: DEL character',
      values: { ...base, name: 'Adresse AS', address: 'Gate 1\u007f' },
      field: 'addressLine1',
      rule: 'control-character',
    },
    {
      label: 'city: backspace',
      values: { ...base, name: 'By AS', city: 'Os\u0008lo' },
      field: 'city',
      rule: 'control-character',
    },
    {
      label: 'name: over 80 characters for Business NXT',
      values: { ...base, name: long(100) },
      field: 'name',
      rule: 'erp-column-length',
    },
    {
      label: 'address: over 80 characters',
      values: { ...base, name: 'Lang adresse AS', address: long(90) },
      field: 'addressLine1',
      rule: 'erp-column-length',
    },
    {
      label: 'address 2: over 80 characters',
      values: { ...base, name: 'Lang adresse 2 AS', address2: long(90) },
      field: 'addressLine2',
      rule: 'erp-column-length',
    },
    {
      label: 'city: over 40 characters',
      values: { ...base, name: 'Lang by AS', city: long(45) },
      field: 'city',
      rule: 'erp-column-length',
    },
    {
      label: 'email: over 80 characters for Business NXT',
      values: { ...base, name: 'Lang epost 2 AS', company_email: `${'a'.repeat(40)}@${'b'.repeat(45)}.no` },
      field: 'email',
      rule: 'erp-column-length',
    },
    {
      label: 'name: only control characters and text',
      values: { ...base, name: 'AS\u0001\u0002' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'org number and email both wrong (first named)',
      values: { ...base, name: 'To feil AS', org_number: '123456789', company_email: 'x@@y' },
      field: 'orgNumber',
      rule: 'org-number-check-digit',
    },
    {
      label: 'address 2: start-of-heading character',
      values: { ...base, name: 'Tab AS', address2: 'Bygg\u0001B' },
      field: 'addressLine2',
      rule: 'control-character',
    },
  ];
}

/** Business NXT customers (rows with a customer number): each refused with its field and rule. */
export function refusedCustomers(): RefusedCase[] {
  return [
    ...orgNumbers.map(([label, value, rule]) => ({
      label: `org number: ${label}`,
      values: { name: `ERP org ${label} AS`, companyNo: value },
      field: 'orgNumber',
      rule,
    })),
    ...emails.map(([label, value]) => ({
      label: `email: ${label}`,
      values: { name: `ERP epost ${label} AS`, emailAddress: value },
      field: 'email',
      rule: 'email-format',
    })),
    ...phones.map(([label, value, rule]) => ({
      label: `phone: ${label}`,
      values: { name: `ERP telefon ${label} AS`, phone: value },
      field: 'phone',
      rule,
    })),
    {
      label: 'postal code: five digits in Norway',
      values: { name: 'ERP post 1 AS', postCode: '12345', countryNo: 47 },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'postal code: letters in Norway',
      values: { name: 'ERP post 2 AS', postCode: 'ABCD', countryNo: 47 },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'country number unknown',
      values: { name: 'ERP land 1 AS', countryNo: 999 },
      field: 'country',
      rule: 'country-number-unknown',
    },
    {
      label: 'country number negative',
      values: { name: 'ERP land 2 AS', countryNo: -5 },
      field: 'country',
      rule: 'country-number-unknown',
    },
    {
      label: 'name: bell character',
      values: { name: 'ERP bjelle\u0007 AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'name: NUL character',
      values: { name: 'ERP null\u0000 AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'name: ANSI escape',
      values: { name: '\u001b[1mERP AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'address: DEL character',
      values: { name: 'ERP adresse AS', addressLine1: 'Gate\u007f 2' },
      field: 'addressLine1',
      rule: 'control-character',
    },
    {
      label: 'address 2: start-of-text character',
      values: { name: 'ERP adresse 2 AS', addressLine2: 'Bygg\u0002A' },
      field: 'addressLine2',
      rule: 'control-character',
    },
    {
      label: 'city: escape',
      values: { name: 'ERP by AS', postalArea: 'Bergen\u001b' },
      field: 'city',
      rule: 'control-character',
    },
    {
      label: 'email: longer than 254',
      values: { name: 'ERP lang epost AS', emailAddress: `${'b'.repeat(250)}@firma.no` },
      field: 'email',
      rule: 'email-length',
    },
    {
      label: 'two problems: org number and phone',
      values: { name: 'ERP to feil AS', companyNo: '12', phone: 'x' },
      field: 'orgNumber',
      rule: 'org-number-length',
    },
    {
      label: 'phone: only a plus',
      values: { name: 'ERP pluss AS', phone: '+' },
      field: 'phone',
      rule: 'phone-format',
    },
    {
      label: 'phone: Norwegian number with a letter',
      values: { name: 'ERP bokstav AS', phone: '33 00 0O 00' },
      field: 'phone',
      rule: 'phone-format',
    },
    {
      label: 'email: trailing dot',
      values: { name: 'ERP punktum AS', emailAddress: 'post@firma.no.' },
      field: 'email',
      rule: 'email-format',
    },
    {
      label: 'email: two addresses',
      values: { name: 'ERP to adresser AS', emailAddress: 'a@firma.no; b@firma.no' },
      field: 'email',
      rule: 'email-format',
    },
    {
      label: 'postal code: two digits',
      values: { name: 'ERP post 3 AS', postCode: '12', countryNo: 47 },
      field: 'postalCode',
      rule: 'postal-code-format',
    },
    {
      label: 'name: unit separator',
      values: { name: 'ERP\u001f AS' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'city: NUL',
      values: { name: 'ERP by 2 AS', postalArea: '\u0000Oslo' },
      field: 'city',
      rule: 'control-character',
    },
  ];
}

/** Valid data that looks odd: it must sync, and arrive as the canonical form says. */
export function acceptedCompanies(): AcceptedCase[] {
  return [
    {
      label: 'emoji in name',
      values: { name: '🚢 Havnetjenester AS', lifecyclestage: 'customer' },
      expect: { name: '🚢 Havnetjenester AS' },
    },
    {
      label: 'HTML-looking name',
      values: { name: '<b>Fet</b> & Co AS', lifecyclestage: 'customer' },
      expect: { name: '<b>Fet</b> & Co AS' },
    },
    {
      label: 'SQL-looking name',
      values: { name: "Robert'); DROP TABLE associate;-- AS", lifecyclestage: 'customer' },
      expect: { name: "Robert'); DROP TABLE associate;-- AS" },
    },
    {
      label: 'NFD å becomes NFC',
      values: { name: 'Bra\u030Aten AS', lifecyclestage: 'customer' },
      expect: { name: 'Bråten AS' },
    },
    {
      label: 'o with combining stroke becomes ø',
      values: { name: 'Ro\u0338d Båt AS', lifecyclestage: 'customer' },
      expect: { name: 'Rød Båt AS' },
    },
    {
      label: 'whitespace runs folded',
      values: { name: '  Mange   mellomrom  AS ', lifecyclestage: 'customer' },
      expect: { name: 'Mange mellomrom AS' },
    },
    {
      label: 'org number with spaces',
      values: { name: 'Mellomrom Org AS', org_number: '923 609 016', lifecyclestage: 'customer' },
      expect: { companyNo: '923609016' },
    },
    {
      label: 'tab and vertical tab fold to a space',
      values: { name: 'Tab\tog\u000bVT AS', lifecyclestage: 'customer' },
      expect: { name: 'Tab og VT AS' },
    },
    {
      label: 'exactly 80 characters',
      values: { name: long(79), lifecyclestage: 'customer' },
      expect: { name: long(79) },
    },
  ];
}

export function acceptedCustomers(): AcceptedCase[] {
  return [
    {
      label: 'emoji in name',
      values: { name: 'Fisk 🐟 og Vilt AS' },
      expect: { name: 'Fisk 🐟 og Vilt AS' },
    },
    {
      label: 'HTML-looking name',
      values: { name: '<i>Kursiv</i> AS' },
      expect: { name: '<i>Kursiv</i> AS' },
    },
    {
      label: 'SQL-looking name',
      values: { name: '1; DELETE FROM companies; AS' },
      expect: { name: '1; DELETE FROM companies; AS' },
    },
    {
      label: 'NFD ø-words',
      values: { name: 'Sjo\u0338mannsgaten Bra\u030Ate AS' },
      expect: { name: 'Sjømannsgaten Bråte AS' },
    },
    {
      label: 'phone with spaces',
      values: { name: 'Telefon mellomrom AS', phone: '33 00 12 34' },
      expect: { phone: '+4733001234' },
    },
    {
      label: 'email in capitals',
      values: { name: 'Store bokstaver AS', emailAddress: 'POST@FIRMA.NO' },
      expect: { company_email: 'post@firma.no' },
    },
  ];
}

/** Business NXT contact persons (of a good customer): each refused with its field and rule. */
export function refusedContactPersons(): RefusedCase[] {
  return [
    {
      label: 'person email: double at',
      values: { name: 'Per Feil', emailAddress: 'per@@firma.no' },
      field: 'email',
      rule: 'email-format',
    },
    {
      label: 'person email: no domain',
      values: { name: 'Pål Feil', emailAddress: 'paal@' },
      field: 'email',
      rule: 'email-format',
    },
    {
      label: 'person mobile: letters',
      values: { name: 'Espen Feil', mobilePhone: 'mobil' },
      field: 'mobile',
      rule: 'phone-format',
    },
    {
      label: 'person mobile: too short',
      values: { name: 'Kari Feil', mobilePhone: '123' },
      field: 'mobile',
      rule: 'phone-invalid',
    },
    {
      label: 'person phone: SQL',
      values: { name: 'Ola Feil', phone: "1'--" },
      field: 'phone',
      rule: 'phone-format',
    },
    {
      label: 'person name: control character',
      values: { name: 'Nils\u0007 Feil' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'person name: escape',
      values: { name: '\u001bLise Feil' },
      field: 'name',
      rule: 'control-character',
    },
    {
      label: 'person email: HTML',
      values: { name: 'Anne Feil', emailAddress: '<a>@b.no' },
      field: 'email',
      rule: 'email-format',
    },
  ];
}
