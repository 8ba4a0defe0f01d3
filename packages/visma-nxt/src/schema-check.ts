import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { schemaCheckDocument } from './associates/documents.js';
import { expectData } from './associates/read.js';
import type { VismaNxtError } from './errors.js';
import type { Transport } from './transport/graphql-transport.js';
import { confirmedAssociateFields, type FieldNames } from './unconfirmed.js';

export interface SchemaCheck {
  /** Every field name the client relies on was found where it is used. */
  readonly ok: boolean;
  /** `Type.field` for each name that is missing, e.g. `Associate.mobilePhone`. */
  readonly missing: readonly string[];
}

const namesOf = z.array(z.object({ name: z.string() })).nullish();
const introspection = z.object({
  associate: z.object({ fields: namesOf }).nullish(),
  input: z.object({ inputFields: namesOf }).nullish(),
  filter: z.object({ inputFields: namesOf }).nullish(),
});

/**
 * Compares the field names this client relies on with the live schema, by introspection: the confirmed ones
 * and the UNCONFIRMED ones of unconfirmed.ts (or their configured overrides). `crm-sync doctor` prints the result.
 */
export function checkSchema(
  transport: Transport,
  names: FieldNames,
): ResultAsync<SchemaCheck, VismaNxtError> {
  return transport
    .request({ query: schemaCheckDocument, operationName: 'SchemaCheck' }, 'read')
    .andThen((response) => expectData(response, introspection, 'the schema check'))
    .map((data) => {
      const has = (list: z.infer<typeof namesOf>) => new Set((list ?? []).map((entry) => entry.name));
      const output = has(data.associate?.fields);
      const input = has(data.input?.inputFields);
      const filter = has(data.filter?.inputFields);
      const missing: string[] = [];
      if (data.associate === null || data.associate === undefined)
        missing.push('Associate (the type itself)');
      for (const field of [...confirmedAssociateFields, ...Object.values(names)]) {
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
        ...Object.values(names),
      ];
      for (const field of written) if (!input.has(field)) missing.push(`Associate_Input.${field}`);
      for (const field of [
        'associateNo',
        'customerNo',
        'companyNo',
        'emailAddress',
        'changedTimestamp',
        names.contactPersonForAssociateNo,
      ]) {
        if (!filter.has(field)) missing.push(`FilterExpression_Associate.${field}`);
      }
      return { ok: missing.length === 0, missing };
    });
}
