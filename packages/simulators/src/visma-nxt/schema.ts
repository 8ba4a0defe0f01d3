import { buildSchema, GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * The subset of Business NXT's GraphQL schema the simulator serves, in the real schema's naming and nullability:
 * tables under `useCompany`, connections with `totalCount`/`pageInfo`/`items`, `FilterExpression_<Table>`,
 * `<Table>_Input`, `<table>_create|_update|_delete` returning `Mutation_UseCompany_<Table>_Result`.
 * https://docs.vismasoftware.no/businessnxtapi/apireference/schema/index.md
 * Each fact followed here, with the public source that shows it, is listed in SCHEMA-SOURCES.md beside this file and
 * checked by introspection in schema-fidelity.test.ts. In short:
 * - `Query_UseCompany`, `Query_UseCompany_Associate_Connection` (`items: [Associate]`), `Associate` with every column
 *   nullable, `joinup_Country: Country`, and `availableCompanies: Query_AvailableCompanies` with `totalCount: Int`,
 *   `items: [VbcCompany!]` and `VbcCompany.vismaNetCompanyId: Long`: a client generated from the live schema
 *   (https://github.com/omelhus/VBNXT.Console/blob/58925908b9a813c461c75c8ff73ca54891c7ad76/src/VBNXT.Client/Generated/VismaBusinessNXTClient.StrawberryShake.cs).
 *   Columns are nullable even though rows hold `""`/`0` for empty columns.
 * - `useCompany(no: Int)`, nullable: Visma's own sample declares `$cid: Int`
 *   (https://github.com/Visma-Business/GraphQLSamples/blob/10dc283930053635515f0a0f6c4c3668de726f70/SimpleQuery/Program.cs).
 * - `Associate_Input` holds no primary key (`associateNo`) and no utility columns (`createdByUser`, `changedByUser`);
 *   `associate_create(values: [Associate_Input!]!, insertAtRow:, insertPosition: InsertPosition, suggest:
 *   Suggest_Associate_Input)`: https://docs.vismasoftware.no/businessnxtapi/schema/mutations/inserts
 * - `associate_update(filter: FilterExpression_Associate, value: Associate_Input, filters:
 *   [FilterExpression_Associate], values: [Associate_Input!])`: https://docs.vismasoftware.no/businessnxtapi/schema/mutations/updates
 * - `associate_delete(filter: FilterExpression_Associate)`: https://docs.vismasoftware.no/businessnxtapi/schema/mutations/deletes
 * - every connection takes `orderBy`, a list of `OrderBy_<Table>` (`OrderBy_Associate`, `OrderBy_GeneralLedgerAccount`)
 *   with one field per column of the table, each of the enum `SortOrder { ASC DESC }`:
 *   https://docs.vismasoftware.no/businessnxtapi/apireference/features/sorting/index.md
 * - `availableCustomers(first, last, orderBy, sortOrder)`, no `customerNo` (that argument is `availableCompanies`'):
 *   https://docs.vismasoftware.no/businessnxtapi/apireference/schema/customers/index.md
 *
 * UNCONFIRMED (no public source shows them; the simulator keeps its own form until one does):
 * - the Associate columns addressLine2, phone and emailAddress (named as public third-party code names them, no
 *   citable source), addressLine3, addressLine4, countryNo, mobilePhone, contactPersonForAssociateNo, languageNo,
 *   currencyNo, customerPriceGroup1, paymentTerms, taxAndAccountingGroup and externalId (the client's guesses,
 *   sources in packages/visma-nxt/src/unconfirmed.ts), and the Country columns countryNo and isoCode;
 * - the names of the operator input types (`FilterExpression_Int`, `FilterExpression_String`,
 *   `FilterExpression_DateTime`), of the ordering input types of the two lists (`OrderBy_AvailableCompany`,
 *   `OrderBy_AvailableCustomer`), of `PageInfo`, of `Query_UseCustomer` and its `Company` connection, and of
 *   `availableCustomers`' types (`Query_AvailableCustomers_Connection`, `AvailableCustomer`); whether the list items
 *   of `orderBy` are non-null;
 * - the nullability of `totalCount`/`pageInfo` on table connections (kept non-null), of `PageInfo`'s fields, and
 *   of the result type's `affectedRows`/`items`;
 * - the types of the arguments of `availableCompanies`/`availableCustomers` (customerNo, first, last: `Int`), and
 *   of `VbcCompany.vismaNetCustomerId` (`Int`) and `VbcCompany.organizationNo` (`String`);
 * - the fields of `Suggest_Associate_Input` (one Boolean per numbered column);
 * - the insert page shows `insertAtRow: FilterExpression_Order` for `associate_create`, by all appearances a slip
 *   for the table's own filter type, which the simulator takes.
 */
export const sdl = /* GraphQL */ `
scalar DateTime

"A 64-bit integer (the Visma.net company id)."
scalar Long

enum SortOrder { ASC DESC }

enum InsertPosition { BEFORE AFTER }

type Query {
  useCompany(no: Int): Query_UseCompany
  useCustomer(no: Int): Query_UseCustomer
  availableCompanies(
    customerNo: Int, first: Int, last: Int,
    orderBy: [OrderBy_AvailableCompany],
    sortOrder: OrderBy_AvailableCompany @deprecated(reason: "Use orderBy. Removed after 2027-12-31.")
  ): Query_AvailableCompanies
  availableCustomers(
    first: Int, last: Int,
    orderBy: [OrderBy_AvailableCustomer],
    sortOrder: OrderBy_AvailableCustomer @deprecated(reason: "Use orderBy. Removed after 2027-12-31.")
  ): Query_AvailableCustomers_Connection
}

type Query_UseCustomer {
  customerNo: Int
  company(first: Int, after: String, last: Int, before: String, skip: Int, orderBy: [OrderBy_Company]): Query_UseCustomer_Company_Connection
}
type Query_UseCustomer_Company_Connection { totalCount: Int! pageInfo: PageInfo! items: [Company] }
"The system table Company (one row per company of the Visma.net customer)."
type Company { companyNo: Int name: String vismaNetCompanyId: Int organizationNo: String }
input OrderBy_Company { companyNo: SortOrder name: SortOrder vismaNetCompanyId: SortOrder }

"The type of the available companies connection: no pageInfo."
type Query_AvailableCompanies { totalCount: Int items: [VbcCompany!] }
"An object that contains the VBC company info."
type VbcCompany { name: String vismaNetCompanyId: Long vismaNetCustomerId: Int organizationNo: String }
input OrderBy_AvailableCompany { name: SortOrder vismaNetCompanyId: SortOrder vismaNetCustomerId: SortOrder }
type Query_AvailableCustomers_Connection { totalCount: Int! items: [AvailableCustomer] }
type AvailableCustomer { name: String vismaNetCustomerId: Int }
input OrderBy_AvailableCustomer { name: SortOrder vismaNetCustomerId: SortOrder }

type Query_UseCompany {
  associate(
    first: Int, after: String, last: Int, before: String, skip: Int,
    filter: FilterExpression_Associate,
    orderBy: [OrderBy_Associate],
    sortOrder: OrderBy_Associate @deprecated(reason: "Use orderBy. Removed after 2027-12-31.")
  ): Query_UseCompany_Associate_Connection
  generalLedgerAccount(
    first: Int, after: String, last: Int, before: String, skip: Int,
    filter: FilterExpression_GeneralLedgerAccount,
    orderBy: [OrderBy_GeneralLedgerAccount]
  ): Query_UseCompany_GeneralLedgerAccount_Connection
  taxCode(
    first: Int, after: String, last: Int, before: String, skip: Int,
    filter: FilterExpression_TaxCode,
    orderBy: [OrderBy_TaxCode]
  ): Query_UseCompany_TaxCode_Connection
}

type Query_UseCompany_GeneralLedgerAccount_Connection { totalCount: Int! pageInfo: PageInfo! items: [GeneralLedgerAccount] }
type GeneralLedgerAccount { accountNo: Int name: String }
input FilterExpression_GeneralLedgerAccount {
  _and: [FilterExpression_GeneralLedgerAccount]
  _or: [FilterExpression_GeneralLedgerAccount]
  accountNo: FilterExpression_Int
  name: FilterExpression_String
}
input OrderBy_GeneralLedgerAccount { accountNo: SortOrder name: SortOrder }
type Query_UseCompany_TaxCode_Connection { totalCount: Int! pageInfo: PageInfo! items: [TaxCode] }
type TaxCode { taxCode: Int description: String }
input FilterExpression_TaxCode {
  _and: [FilterExpression_TaxCode]
  _or: [FilterExpression_TaxCode]
  taxCode: FilterExpression_Int
  description: FilterExpression_String
}
input OrderBy_TaxCode { taxCode: SortOrder description: SortOrder }

"The Country table, reached from an associate through its column countryNo (SQL Ctry)."
type Country { countryNo: Int name: String isoCode: String }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

type Query_UseCompany_Associate_Connection { totalCount: Int! pageInfo: PageInfo! items: [Associate] }

type Associate {
  associateNo: Int
  customerNo: Int
  supplierNo: Int
  name: String
  shortName: String
  companyNo: String
  addressLine1: String
  addressLine2: String
  addressLine3: String
  addressLine4: String
  postCode: String
  postalArea: String
  countryNo: Int
  languageNo: Int
  currencyNo: Int
  customerPriceGroup1: Int
  paymentTerms: Int
  taxAndAccountingGroup: Int
  phone: String
  mobilePhone: String
  emailAddress: String
  externalId: String
  contactPersonForAssociateNo: Int
  createdByUser: String
  changedByUser: String
  createdTimestamp: DateTime
  changedTimestamp: DateTime
  joinup_Country: Country
}

input FilterExpression_Int {
  _eq: Int _not_eq: Int _gt: Int _gte: Int _lt: Int _lte: Int
  _in: [Int] _not_in: [Int] _between: [Int] _not_between: [Int]
}
input FilterExpression_String {
  _eq: String _not_eq: String _gt: String _gte: String _lt: String _lte: String _like: String
  _in: [String] _not_in: [String] _between: [String] _not_between: [String]
}
input FilterExpression_DateTime {
  _eq: DateTime _not_eq: DateTime _gt: DateTime _gte: DateTime _lt: DateTime _lte: DateTime
  _in: [DateTime] _not_in: [DateTime] _between: [DateTime] _not_between: [DateTime]
}

input FilterExpression_Associate {
  _and: [FilterExpression_Associate]
  _or: [FilterExpression_Associate]
  associateNo: FilterExpression_Int
  customerNo: FilterExpression_Int
  supplierNo: FilterExpression_Int
  name: FilterExpression_String
  shortName: FilterExpression_String
  companyNo: FilterExpression_String
  addressLine1: FilterExpression_String
  addressLine2: FilterExpression_String
  addressLine3: FilterExpression_String
  addressLine4: FilterExpression_String
  postCode: FilterExpression_String
  postalArea: FilterExpression_String
  countryNo: FilterExpression_Int
  languageNo: FilterExpression_Int
  currencyNo: FilterExpression_Int
  customerPriceGroup1: FilterExpression_Int
  paymentTerms: FilterExpression_Int
  taxAndAccountingGroup: FilterExpression_Int
  phone: FilterExpression_String
  mobilePhone: FilterExpression_String
  emailAddress: FilterExpression_String
  externalId: FilterExpression_String
  contactPersonForAssociateNo: FilterExpression_Int
  createdByUser: FilterExpression_String
  changedByUser: FilterExpression_String
  createdTimestamp: FilterExpression_DateTime
  changedTimestamp: FilterExpression_DateTime
}

"One field per column of Associate, as every OrderBy_<Table> has."
input OrderBy_Associate {
  associateNo: SortOrder
  customerNo: SortOrder
  supplierNo: SortOrder
  name: SortOrder
  shortName: SortOrder
  companyNo: SortOrder
  addressLine1: SortOrder
  addressLine2: SortOrder
  addressLine3: SortOrder
  addressLine4: SortOrder
  postCode: SortOrder
  postalArea: SortOrder
  countryNo: SortOrder
  languageNo: SortOrder
  currencyNo: SortOrder
  customerPriceGroup1: SortOrder
  paymentTerms: SortOrder
  taxAndAccountingGroup: SortOrder
  phone: SortOrder
  mobilePhone: SortOrder
  emailAddress: SortOrder
  externalId: SortOrder
  contactPersonForAssociateNo: SortOrder
  createdByUser: SortOrder
  changedByUser: SortOrder
  createdTimestamp: SortOrder
  changedTimestamp: SortOrder
}

input Associate_Input {
  customerNo: Int
  supplierNo: Int
  name: String
  shortName: String
  companyNo: String
  addressLine1: String
  addressLine2: String
  addressLine3: String
  addressLine4: String
  postCode: String
  postalArea: String
  countryNo: Int
  languageNo: Int
  currencyNo: Int
  customerPriceGroup1: Int
  paymentTerms: Int
  taxAndAccountingGroup: Int
  phone: String
  mobilePhone: String
  emailAddress: String
  externalId: String
  contactPersonForAssociateNo: Int
}

"Which columns of the inserted rows Business NXT should fill with a suggested value (e.g. the next customer number)."
input Suggest_Associate_Input {
  associateNo: Boolean
  customerNo: Boolean
  supplierNo: Boolean
}

type Mutation { useCompany(no: Int): Mutation_UseCompany }

type Mutation_UseCompany {
  associate_create(
    values: [Associate_Input!]!,
    insertAtRow: FilterExpression_Associate,
    insertPosition: InsertPosition,
    suggest: Suggest_Associate_Input
  ): Mutation_UseCompany_Associate_Result
  associate_update(
    filter: FilterExpression_Associate,
    value: Associate_Input,
    filters: [FilterExpression_Associate],
    values: [Associate_Input!]
  ): Mutation_UseCompany_Associate_Result
  associate_delete(filter: FilterExpression_Associate): Mutation_UseCompany_Associate_Result
}

type Mutation_UseCompany_Associate_Result { affectedRows: Int items: [Associate] }
`;

export const schema = withRelations(buildSchema(sdl));

/**
 * The schema without some `Associate` columns (on `Associate`, `Associate_Input`, the filter and the ordering):
 * a live schema whose names differ from the client's assumptions, for tests of `crm-sync doctor`. Simulator-only.
 */
export function schemaWithout(columns: readonly string[]): typeof schema {
  if (columns.length === 0) return schema;
  let text = sdl;
  for (const column of columns) {
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/u.test(column) || column === 'associateNo')
      throw new TypeError(`dropColumns: cannot drop ${JSON.stringify(column)}`);
    text = text.replace(new RegExp(`\\b${column}: [A-Za-z_]+!?`, 'gu'), '');
  }
  return withRelations(buildSchema(text));
}

/**
 * The Country rows the simulator knows, by country number. Business NXT's numbering is UNCONFIRMED; the simulator
 * uses Visma Business's convention (the telephone country code, Norway 47).
 */
export const countries: ReadonlyMap<number, { countryNo: number; name: string; isoCode: string }> = new Map(
  [
    [47, 'Norge', 'NO'],
    [46, 'Sverige', 'SE'],
    [45, 'Danmark', 'DK'],
    [358, 'Finland', 'FI'],
    [44, 'Storbritannia', 'GB'],
    [49, 'Tyskland', 'DE'],
  ].map(([countryNo, name, isoCode]) => [
    countryNo as number,
    { countryNo: countryNo as number, name: name as string, isoCode: isoCode as string },
  ]),
);

// The many-to-one relation `joinup_Country` follows the associate's countryNo; no country gives null.
function withRelations(built: GraphQLSchema): GraphQLSchema {
  const associateType = built.getType('Associate');
  if (associateType instanceof GraphQLObjectType) {
    const relation = associateType.getFields().joinup_Country;
    if (relation)
      relation.resolve = (row: { countryNo?: number | null }) => countries.get(row.countryNo ?? 0) ?? null;
  }
  return built;
}
