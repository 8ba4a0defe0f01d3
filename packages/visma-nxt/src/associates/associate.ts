import { z } from 'zod';
import { confirmedAssociateFields, type FieldNames } from '../unconfirmed.js';

/**
 * An `Associate` row (Norwegian "Aktør"): a customer when `customerNo > 0`, a contact person when
 * `contactPersonForAssociateNo` names a customer's associate. Only the fields the sync uses; Business NXT
 * returns `""` and `0` for empty columns. https://docs.vismasoftware.no/businessnxtapi/schema/queries/
 */
export const associateSchema = z.object({
  associateNo: z.number().int(),
  customerNo: z.number().int().nullish(),
  name: z.string().nullish(),
  /** The organization number (a string), not a company id. */
  companyNo: z.string().nullish(),
  addressLine1: z.string().nullish(),
  addressLine2: z.string().nullish(),
  postCode: z.string().nullish(),
  postalArea: z.string().nullish(),
  countryNo: z.number().int().nullish(),
  phone: z.string().nullish(),
  mobilePhone: z.string().nullish(),
  emailAddress: z.string().nullish(),
  contactPersonForAssociateNo: z.number().int().nullish(),
  /** `DateTime`; `null` for rows not created or changed since October 2024. */
  createdTimestamp: z.string().nullish(),
  changedTimestamp: z.string().nullish(),
  /**
   * Who changed the row last: a control column of every table, the name of a Business NXT user ("Text (24)",
   * read-only; https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/memo.html, "Control columns"). A
   * service's writes are made as the user named after its client id
   * (https://docs.vismasoftware.no/businessnxtapi/authentication/service/user_setup).
   */
  changedByUser: z.string().nullish(),
});

export type Associate = z.infer<typeof associateSchema>;

/** Column values to create or update an associate with (`Associate_Input`), by the stable keys above. */
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
  /** Customers only. Leave it out to have the client assign one (see `customerNumbers`). */
  customerNo?: number | null;
}

/**
 * Control columns every associate read asks for beside the fields above: `changedByUser` (who changed the row
 * last, see `associateSchema`).
 */
export const associateControlColumns = ['changedByUser'] as const;

/**
 * The selection set for an associate: confirmed fields and control columns as they are, the UNCONFIRMED ones
 * aliased to stable keys.
 */
export function associateSelection(names: FieldNames): string {
  const aliased = Object.entries(names).map(([stable, live]) => `${stable}: ${live}`);
  return [...confirmedAssociateFields, ...associateControlColumns, ...aliased].join(' ');
}

function isRenamed(key: string, names: FieldNames): key is keyof FieldNames {
  return Object.hasOwn(names, key);
}

/** Renames stable keys to the live input field names before values go into GraphQL variables. */
export function toLiveValues(values: AssociateValues, names: FieldNames): Record<string, unknown> {
  const live: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    live[isRenamed(key, names) ? names[key] : key] = value;
  }
  return live;
}

/** The live filter name of a stable key (for filters on UNCONFIRMED fields). */
export function liveName(key: string, names: FieldNames): string {
  return isRenamed(key, names) ? names[key] : key;
}
