import { type FieldNames, suggestInputType } from '../unconfirmed.js';
import { associateSelection } from './associate.js';

// Documents are built from constants and the validated field names only; every value is a variable.

/**
 * One page of associates, filtered and ordered. https://docs.vismasoftware.no/businessnxtapi/features/pagination
 * https://docs.vismasoftware.no/businessnxtapi/apireference/features/filtering/index.md
 */
export function associatePageDocument(names: FieldNames, orderBy: string): string {
  return `query AssociatePage($companyNo: Int!, $first: Int!, $after: String, $filter: FilterExpression_Associate) {
  useCompany(no: $companyNo) {
    associate(first: $first, after: $after, filter: $filter, orderBy: ${orderBy}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      items { ${associateSelection(names)} }
    }
  }
}`;
}

/**
 * The most recently changed associate's `changedTimestamp`: Business NXT's own time, for the next incremental
 * read's watermark. https://docs.vismasoftware.no/businessnxtapi/apireference/features/sorting/
 */
export const latestChangeDocument = `query LatestChange($companyNo: Int!, $filter: FilterExpression_Associate) {
  useCompany(no: $companyNo) {
    associate(first: 1, filter: $filter, orderBy: [{changedTimestamp: DESC}]) {
      items { changedTimestamp }
    }
  }
}`;

/**
 * Inserts associates; the result lists the created rows. `$suggest` names the columns Business NXT fills with a
 * suggested value (see `suggestCustomerNo` in unconfirmed.ts); `null` asks for none.
 * https://docs.vismasoftware.no/businessnxtapi/apireference/schema/mutations/inserts/
 */
export function createAssociatesDocument(names: FieldNames): string {
  return `mutation CreateAssociates($companyNo: Int!, $values: [Associate_Input!]!, $suggest: ${suggestInputType}) {
  useCompany(no: $companyNo) {
    associate_create(values: $values, suggest: $suggest) {
      affectedRows
      items { ${associateSelection(names)} }
    }
  }
}`;
}

/** Updates associates, `filters[i]` getting `values[i]`. https://docs.vismasoftware.no/businessnxtapi/schema/mutations/updates */
export function updateAssociatesDocument(names: FieldNames): string {
  return `mutation UpdateAssociates($companyNo: Int!, $filters: [FilterExpression_Associate!]!, $values: [Associate_Input!]!) {
  useCompany(no: $companyNo) {
    associate_update(filters: $filters, values: $values) {
      affectedRows
      items { ${associateSelection(names)} }
    }
  }
}`;
}

/** The companies this integration may use. https://docs.vismasoftware.no/businessnxtapi/schema/queries/companies */
export const availableCompaniesDocument = `query AvailableCompanies {
  availableCompanies {
    totalCount
    items { name vismaNetCompanyId vismaNetCustomerId }
  }
}`;

/** The fields of the types the client relies on, by introspection. https://graphql.org/learn/introspection/ */
export const schemaCheckDocument = `query SchemaCheck {
  associate: __type(name: "Associate") { fields { name type { name kind ofType { name } } } }
  input: __type(name: "Associate_Input") { inputFields { name } }
  filter: __type(name: "FilterExpression_Associate") { inputFields { name type { name kind ofType { name } } } }
  suggest: __type(name: "${suggestInputType}") { inputFields { name } }
}`;
