import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { availableCompaniesDocument } from './associates/documents.js';
import { expectData } from './associates/read.js';
import type { VismaNxtError } from './errors.js';
import type { Transport } from './transport/graphql-transport.js';

export interface AvailableCompany {
  readonly name: string;
  /** What `useCompany(no:)` takes, and what `companyNo` in the client settings means. */
  readonly vismaNetCompanyId: number;
  readonly vismaNetCustomerId: number | null;
}

const companiesSchema = z.object({
  availableCompanies: z.object({
    totalCount: z.number().int(),
    items: z.array(
      z.object({
        name: z.string(),
        vismaNetCompanyId: z.number().int(),
        vismaNetCustomerId: z.number().int().nullish(),
      }),
    ),
  }),
});

/** The companies this integration has been granted. https://docs.vismasoftware.no/businessnxtapi/schema/queries/companies */
export function availableCompanies(transport: Transport): ResultAsync<AvailableCompany[], VismaNxtError> {
  return transport
    .request({ query: availableCompaniesDocument, operationName: 'AvailableCompanies' }, 'read')
    .andThen((response) => expectData(response, companiesSchema, 'availableCompanies'))
    .map((data) =>
      data.availableCompanies.items.map((item) => ({
        name: item.name,
        vismaNetCompanyId: item.vismaNetCompanyId,
        vismaNetCustomerId: item.vismaNetCustomerId ?? null,
      })),
    );
}
