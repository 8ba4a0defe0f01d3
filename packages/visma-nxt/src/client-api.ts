import type { Result, ResultAsync } from 'neverthrow';
import type { Associate, AssociateValues } from './associates/associate.js';
import type { AssociatePage, PagesOptions } from './associates/read.js';
import type { AssociateUpdate, RowResult } from './associates/write.js';
import type { AvailableCompany } from './companies.js';
import type { DateTimeCodec } from './datetime.js';
import type { VismaNxtError } from './errors.js';
import type { SchemaCheck, SchemaCheckOptions } from './schema-check.js';
import type { FieldNames } from './unconfirmed.js';

// The client's declared surface: what `createVismaNxtClient` returns, method by method. README.md names each of
// them (src/readme.test.ts fails when one is missing).

/**
 * Looks associates up by one column's values: 100 values to an `_in` filter, up to 32 filters to an HTTP request,
 * every page of each followed. Answers the rows found, in no particular order; values that match nothing are left out.
 */
export type AssociateLookup = (
  values: readonly (string | number)[],
) => ResultAsync<Associate[], VismaNxtError>;

/** Customers: associates with a customer number (`customerNo > 0`). */
export interface VismaNxtCustomersApi {
  /** Every customer page by page; `changedSince` for an incremental read. */
  readonly pages: (options?: PagesOptions) => AsyncGenerator<Result<AssociatePage, VismaNxtError>>;
  readonly byAssociateNos: AssociateLookup;
  readonly byCustomerNos: AssociateLookup;
  /** By organization number (Business NXT's `companyNo` column). */
  readonly byOrgNumbers: AssociateLookup;
  /** By postal code (`postCode`, exact): where to look for a company known only by name and address. */
  readonly byPostalCodes: AssociateLookup;
  readonly byEmails: AssociateLookup;
  /** Creates customers, one `Result` per row in order; each gets a customer number as `customerNumbers` says. */
  readonly create: (rows: readonly AssociateValues[]) => ResultAsync<RowResult[], VismaNxtError>;
  /** Updates customers by associate number, one `Result` per row in order. */
  readonly update: (rows: readonly AssociateUpdate[]) => ResultAsync<RowResult[], VismaNxtError>;
}

/** Contact persons: associates that are the contact person of a customer ("Kontaktpers. for"). */
export interface VismaNxtContactPersonsApi {
  readonly pages: (options?: PagesOptions) => AsyncGenerator<Result<AssociatePage, VismaNxtError>>;
  readonly byAssociateNos: AssociateLookup;
  readonly byEmails: AssociateLookup;
  /** The contact persons of these customers (by the customers' associate numbers). */
  readonly ofCustomers: AssociateLookup;
  /** Creates contact persons (give each `contactPersonForAssociateNo`), one `Result` per row in order. */
  readonly create: (rows: readonly AssociateValues[]) => ResultAsync<RowResult[], VismaNxtError>;
  readonly update: (rows: readonly AssociateUpdate[]) => ResultAsync<RowResult[], VismaNxtError>;
}

/** Associates whatever their role. */
export interface VismaNxtAssociatesApi {
  /** Any associates by number: tells which linked rows were deleted. */
  readonly byAssociateNos: (values: readonly number[]) => ResultAsync<Associate[], VismaNxtError>;
  /** The largest `changedTimestamp` of any associate (Business NXT's clock), or `null` when none has one. */
  readonly latestChange: () => ResultAsync<string | null, VismaNxtError>;
}

/**
 * A typed Business NXT client for associates (customers and contact persons). Every method returns a
 * `ResultAsync` (neverthrow) of the value or a `VismaNxtError`, or an async generator of `Result`s; none throws.
 */
export interface VismaNxtClient {
  /** The live names used for the UNCONFIRMED fields. */
  readonly fieldNames: FieldNames;
  /**
   * The server's `DateTime` values in its zone (`timeZone`): `parse` a value to epoch ms (the earlier instant for
   * a repeated wall time), `format` an instant, `lowerBound` for a "changed since" filter.
   */
  readonly dateTime: DateTimeCodec;
  readonly customers: VismaNxtCustomersApi;
  readonly contactPersons: VismaNxtContactPersonsApi;
  readonly associates: VismaNxtAssociatesApi;
  /** The companies this application has been granted (`availableCompanies`). */
  readonly availableCompanies: () => ResultAsync<AvailableCompany[], VismaNxtError>;
  /** Compares the names the client uses (and `createColumns`) with the live schema: see schema-check.ts. */
  readonly checkSchema: (options?: SchemaCheckOptions) => ResultAsync<SchemaCheck, VismaNxtError>;
}
