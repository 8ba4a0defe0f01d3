import type { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { ApiPaths } from './api-version.js';
import type { HubSpotError } from './errors.js';
import { parseBody } from './objects/parse.js';
import type { Transport } from './transport/http-transport.js';

/**
 * The account information API's date-based version. The legacy `/account-info/v3` answers the same shape
 * (https://developers.hubspot.com/docs/api-reference/legacy/account/account-information/get-account-details).
 */

const detailsSchema = z.object({
  portalId: z.number().int(),
  accountType: z.string().nullish(),
  uiDomain: z.string().nullish(),
});

/** The account a token belongs to (the fields this client uses). */
export type AccountDetails = z.infer<typeof detailsSchema>;

/** The account information API. https://developers.hubspot.com/docs/api-reference/latest/account/account-information/guide */
export function createAccountApi(transport: Transport, paths: ApiPaths) {
  return {
    /**
     * The account the token belongs to: its portal id (the Hub ID), type (`STANDARD`, `SANDBOX`, …) and UI domain.
     * https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details
     */
    details(): ResultAsync<AccountDetails, HubSpotError> {
      const path = `${paths.accountInfo}/details`;
      return transport
        .send({ method: 'GET', path, safety: 'read' })
        .andThen((response) => parseBody(detailsSchema, response.body, `GET ${path}`));
    },
  };
}
