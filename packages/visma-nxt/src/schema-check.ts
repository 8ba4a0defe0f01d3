import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { associateControlColumns } from './associates/associate.js';
import { schemaCheckDocument } from './associates/documents.js';
import { expectData } from './associates/read.js';
import { confirmedAssociateFields } from './confirmed-names.js';
import type { VismaNxtError } from './errors.js';
import type { Transport } from './transport/graphql-transport.js';
import { type FieldNames, suggestCustomerNo, suggestInputType } from './unconfirmed.js';

export interface SchemaCheck {
  /** Every field name the client relies on was found where it is used (and the extra columns too). */
  readonly ok: boolean;
  /**
   * `Type.field` for each name that is missing (or of another type), e.g. `Associate.mobilePhone`; the contact person's customer
   * column and the extra columns are reported apart (below).
   */
  readonly missing: readonly string[];
  /**
   * The UNCONFIRMED column of a contact person that holds its customer's associate number
   * (`fieldNames.contactPersonForAssociateNo`): its live name, and what is wrong with it (empty when it exists on
   * `Associate` as an `Int`, on `Associate_Input`, and on `FilterExpression_Associate` with the filter type
   * `associateNo` has).
   */
  readonly contactCustomer: { readonly column: string; readonly problems: readonly string[] };
  /** Of the extra columns asked about (`createColumns`), those `Associate_Input` lacks. */
  readonly missingCreateColumns: readonly string[];
}

export interface SchemaCheckOptions {
  /** More `Associate_Input` columns to look for, e.g. the policy's create defaults. */
  readonly createColumns?: readonly string[] | undefined;
}

// A field's type as introspection gives it: a named type, or a NON_NULL/LIST wrapper around one.
const typeRef = z
  .object({
    name: z.string().nullish(),
    kind: z.string().nullish(),
    ofType: z.object({ name: z.string().nullish() }).nullish(),
  })
  .nullish();
const namesOf = z.array(z.object({ name: z.string(), type: typeRef })).nullish();
const introspection = z.object({
  associate: z.object({ fields: namesOf }).nullish(),
  input: z.object({ inputFields: namesOf }).nullish(),
  filter: z.object({ inputFields: namesOf }).nullish(),
  suggest: z.object({ inputFields: namesOf }).nullish(),
});

function typeName(type: z.infer<typeof typeRef>): string | null {
  return type?.name ?? type?.ofType?.name ?? null;
}

type Introspection = z.infer<typeof introspection>;
type Names = z.infer<typeof namesOf>;

const has = (list: Names) => new Set((list ?? []).map((entry) => entry.name));
const types = (list: Names) => new Map((list ?? []).map((entry) => [entry.name, typeName(entry.type)]));

/** The columns the client writes: every confirmed one but the keys and timestamps, and the UNCONFIRMED ones. */
const writtenColumns = [
  'name',
  'companyNo',
  'addressLine1',
  'addressLine2',
  'postCode',
  'postalArea',
  'phone',
  'emailAddress',
  'customerNo',
];
const filteredColumns = ['associateNo', 'customerNo', 'companyNo', 'emailAddress', 'changedTimestamp'];

/** `Type.field` for every name the client relies on (but the contact person's customer column) that is missing. */
function missingNames(data: Introspection, others: readonly string[]): string[] {
  const output = has(data.associate?.fields);
  const input = has(data.input?.inputFields);
  const filter = has(data.filter?.inputFields);
  const missing: string[] = [];
  if (data.associate === null || data.associate === undefined) missing.push('Associate (the type itself)');
  for (const field of [...confirmedAssociateFields, ...others])
    if (!output.has(field)) missing.push(`Associate.${field}`);
  // Control columns (`changedByUser`): read-only text of every table, so only `Associate` is checked.
  const outputTypes = types(data.associate?.fields);
  for (const column of associateControlColumns) {
    const type = outputTypes.get(column);
    if (type === undefined) missing.push(`Associate.${column}`);
    else if (type !== 'String')
      missing.push(`Associate.${column} as a String (it is ${type ?? 'of an unknown type'})`);
  }
  for (const field of [...writtenColumns, ...others])
    if (!input.has(field)) missing.push(`Associate_Input.${field}`);
  for (const field of filteredColumns)
    if (!filter.has(field)) missing.push(`FilterExpression_Associate.${field}`);
  // The `suggest` argument's input type, used to have customer numbers suggested (UNCONFIRMED shape).
  const suggest = has(data.suggest?.inputFields);
  for (const field of Object.keys(suggestCustomerNo))
    if (!suggest.has(field)) missing.push(`${suggestInputType}.${field}`);
  return missing;
}

/** The contact person's customer (UNCONFIRMED name): read, written and filtered on, as an associate number. */
function contactColumnProblems(data: Introspection, column: string): string[] {
  const problems: string[] = [];
  const outputType = types(data.associate?.fields).get(column);
  if (outputType === undefined) problems.push(`Associate has no field ${column}`);
  else if (outputType !== 'Int')
    problems.push(`Associate.${column} is ${outputType ?? 'of an unknown type'}, not Int`);
  if (!has(data.input?.inputFields).has(column)) problems.push(`Associate_Input has no field ${column}`);
  const filterTypes = types(data.filter?.inputFields);
  const filterType = filterTypes.get(column);
  const numberFilter = filterTypes.get('associateNo');
  if (filterType === undefined) problems.push(`FilterExpression_Associate has no field ${column}`);
  else if (numberFilter !== undefined && filterType !== numberFilter)
    problems.push(
      `FilterExpression_Associate.${column} is ${filterType ?? 'of an unknown type'}, not ${numberFilter ?? 'the type associateNo has'} (an associate number's filter)`,
    );
  return problems;
}

/**
 * Compares the field names this client relies on with the live schema, by introspection
 * (https://spec.graphql.org/October2021/#sec-Introspection): the confirmed ones of confirmed-names.ts, the control
 * columns, and the UNCONFIRMED ones of unconfirmed.ts (or their configured overrides). `crm-sync doctor` prints
 * the result.
 */
export function checkSchema(
  transport: Transport,
  names: FieldNames,
  options: SchemaCheckOptions = {},
): ResultAsync<SchemaCheck, VismaNxtError> {
  return transport
    .request({ query: schemaCheckDocument, operationName: 'SchemaCheck' }, 'read')
    .andThen((response) => expectData(response, introspection, 'the schema check'))
    .map((data) => {
      const column = names.contactPersonForAssociateNo;
      const missing = missingNames(
        data,
        Object.values(names).filter((name) => name !== column),
      );
      const problems = contactColumnProblems(data, column);
      const input = has(data.input?.inputFields);
      const missingCreateColumns = [...new Set(options.createColumns ?? [])].filter(
        (name) => !input.has(name),
      );
      return {
        ok: missing.length === 0 && problems.length === 0 && missingCreateColumns.length === 0,
        missing,
        contactCustomer: { column, problems },
        missingCreateColumns,
      };
    });
}
