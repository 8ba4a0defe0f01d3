import { buildSchema } from 'graphql';

/**
 * The subset of Business NXT's GraphQL schema the simulator serves, in its naming style: tables under
 * `useCompany`, connections with `totalCount`/`pageInfo`/`items`, `FilterExpression_<Table>`, `<Table>_Input`,
 * `<table>_create|_update|_delete` returning `{ affectedRows items }`.
 * https://docs.vismasoftware.no/businessnxtapi/apireference/schema/index.md
 * Names of filter/order input types and the UNCONFIRMED Associate columns (countryNo, mobilePhone,
 * contactPersonForAssociateNo) follow the client's best knowledge (reference §2, §4).
 */
export const sdl = /* GraphQL */ `
scalar DateTime

enum SortOrder { ASC DESC }

type Query {
  useCompany(no: Int!): Query_UseCompany
  useCustomer(no: Int!): Query_UseCustomer
  availableCompanies(customerNo: Int, first: Int, last: Int): Query_AvailableCompanies_Connection
  availableCustomers(first: Int): Query_AvailableCustomers_Connection
}

type Query_UseCustomer { customerNo: Int }

type Query_AvailableCompanies_Connection { totalCount: Int! items: [Company] }
type Company { name: String vismaNetCompanyId: Int vismaNetCustomerId: Int organizationNo: String }
type Query_AvailableCustomers_Connection { totalCount: Int! items: [Customer] }
type Customer { name: String vismaNetCustomerId: Int }

type Query_UseCompany {
  associate(
    first: Int, after: String, last: Int, before: String, skip: Int,
    filter: FilterExpression_Associate,
    orderBy: [OrderBy_Associate],
    sortOrder: OrderBy_Associate @deprecated(reason: "Use orderBy. Removed after 2027-12-31.")
  ): Query_UseCompany_Associate_Connection
}

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

type Query_UseCompany_Associate_Connection { totalCount: Int! pageInfo: PageInfo! items: [Associate] }

type Associate {
  associateNo: Int!
  customerNo: Int!
  supplierNo: Int!
  name: String!
  shortName: String!
  companyNo: String!
  addressLine1: String!
  addressLine2: String!
  postCode: String!
  postalArea: String!
  countryNo: Int!
  phone: String!
  mobilePhone: String!
  emailAddress: String!
  contactPersonForAssociateNo: Int!
  createdTimestamp: DateTime
  changedTimestamp: DateTime
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
  postCode: FilterExpression_String
  postalArea: FilterExpression_String
  countryNo: FilterExpression_Int
  phone: FilterExpression_String
  mobilePhone: FilterExpression_String
  emailAddress: FilterExpression_String
  contactPersonForAssociateNo: FilterExpression_Int
  createdTimestamp: FilterExpression_DateTime
  changedTimestamp: FilterExpression_DateTime
}

input OrderBy_Associate {
  associateNo: SortOrder customerNo: SortOrder name: SortOrder companyNo: SortOrder postCode: SortOrder
  emailAddress: SortOrder contactPersonForAssociateNo: SortOrder createdTimestamp: SortOrder changedTimestamp: SortOrder
}

input Associate_Input {
  associateNo: Int
  customerNo: Int
  supplierNo: Int
  name: String
  shortName: String
  companyNo: String
  addressLine1: String
  addressLine2: String
  postCode: String
  postalArea: String
  countryNo: Int
  phone: String
  mobilePhone: String
  emailAddress: String
  contactPersonForAssociateNo: Int
}

type Mutation { useCompany(no: Int!): Mutation_UseCompany }

type Mutation_UseCompany {
  associate_create(values: [Associate_Input!]!): Mutation_UseCompany_Associate_Result
  associate_update(filter: FilterExpression_Associate, value: Associate_Input, filters: [FilterExpression_Associate], values: [Associate_Input]): Mutation_UseCompany_Associate_Result
  associate_delete(filter: FilterExpression_Associate): Mutation_UseCompany_Associate_Result
}

type Mutation_UseCompany_Associate_Result { affectedRows: Int items: [Associate] }
`;

export const schema = buildSchema(sdl);
