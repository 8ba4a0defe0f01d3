import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { schemaCheckDocument } from './associates/documents.js';
import { expectData } from './associates/read.js';
import type { VismaNxtError } from './errors.js';
import type { Transport } from './transport/graphql-transport.js';
import {
  confirmedAssociateFields,
  type FieldNames,
  suggestCustomerNo,
  suggestInputType,
} from './unconfirmed.js';

export interface SchemaCheck {
  /** Every field name the client relies on was found where it is used (and the extra columns too). */
  readonly ok: boolean;
  /**
   * `Type.field` for each name that is missing, e.g. `Associate.mobilePhone`; the contact person's customer
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

/**
 * Compares the field names this client relies on with the live schema, by introspection: the confirmed ones
 * and the UNCONFIRMED ones of unconfirmed.ts (or their configured overrides). `crm-sync doctor` prints the result.
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
      const has = (list: z.infer<typeof namesOf>) => new Set((list ?? []).map((entry) => entry.name));
      const types = (list: z.infer<typeof namesOf>) =>
        new Map((list ?? []).map((entry) => [entry.name, typeName(entry.type)]));
      const output = has(data.associate?.fields);
      const input = has(data.input?.inputFields);
      const filter = has(data.filter?.inputFields);
      const contactColumn = names.contactPersonForAssociateNo;
      const others = Object.values(names).filter((name) => name !== contactColumn);
      const missing: string[] = [];
      if (data.associate === null || data.associate === undefined)
        missing.push('Associate (the type itself)');
      for (const field of [...confirmedAssociateFields, ...others]) {
        if (!output.has(field)) missing.push(`Associate.${field}`);
      }
      const written = [
        'name',
        'companyNo',
        'addressLine1',
        'addressLine2',
        'postCode',
        'postalArea',
        'phone',
        'emailAddress',
        'customerNo',
        ...others,
      ];
      for (const field of written) if (!input.has(field)) missing.push(`Associate_Input.${field}`);
      for (const field of ['associateNo', 'customerNo', 'companyNo', 'emailAddress', 'changedTimestamp']) {
        if (!filter.has(field)) missing.push(`FilterExpression_Associate.${field}`);
      }
      // The `suggest` argument's input type, used to have customer numbers suggested (UNCONFIRMED shape).
      const suggest = has(data.suggest?.inputFields);
      for (const field of Object.keys(suggestCustomerNo))
        if (!suggest.has(field)) missing.push(`${suggestInputType}.${field}`);

      // The contact person's customer (UNCONFIRMED name): read, written and filtered on, as an associate number.
      const problems: string[] = [];
      const outputType = types(data.associate?.fields).get(contactColumn);
      if (outputType === undefined) problems.push(`Associate has no field ${contactColumn}`);
      else if (outputType !== 'Int')
        problems.push(`Associate.${contactColumn} is ${outputType ?? 'of an unknown type'}, not Int`);
      if (!input.has(contactColumn)) problems.push(`Associate_Input has no field ${contactColumn}`);
      const filterTypes = types(data.filter?.inputFields);
      const filterType = filterTypes.get(contactColumn);
      const numberFilter = filterTypes.get('associateNo');
      if (filterType === undefined) problems.push(`FilterExpression_Associate has no field ${contactColumn}`);
      else if (numberFilter !== undefined && filterType !== numberFilter)
        problems.push(
          `FilterExpression_Associate.${contactColumn} is ${filterType ?? 'of an unknown type'}, not ${numberFilter ?? 'the type associateNo has'} (an associate number's filter)`,
        );

      const missingCreateColumns = [...new Set(options.createColumns ?? [])].filter(
        (column) => !input.has(column),
      );
      return {
        ok: missing.length === 0 && problems.length === 0 && missingCreateColumns.length === 0,
        missing,
        contactCustomer: { column: contactColumn, problems },
        missingCreateColumns,
      };
    });
}
