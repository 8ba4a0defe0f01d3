/**
 * Which of HubSpot's API versions the client speaks, and the paths each one has. HubSpot's REST APIs are
 * date-versioned since 30 March 2026, each version supported for at least 18 months; `2026-09` is the one this
 * client is built and tested on (https://developers.hubspot.com/docs/api-reference/latest/overview). The legacy
 * numbered paths (`/crm/v3` objects and properties, `/crm/v4` associations) stay reachable for accounts that must,
 * until HubSpot ends them: v4 on 30 March 2027, v3 in September 2027
 * (https://developers.hubspot.com/changelog/legacy-apis-and-legacy-apps-whats-going-unsupported-and-when).
 * HubSpot says to move straight to the date-based paths (https://developers.hubspot.com/docs/api-reference/legacy/migration-guide).
 *
 * What differs between them, as far as this client reads them: the record and error shapes are the same field for
 * field; a partly failed batch is one 200/201 body with `errors` and `numErrors` in 2026-09 where v3 documented a
 * separate 207 (both are read the same way); and 2026-09 has no GET list of one record's associations (this
 * client reads associations with batch read on both).
 */
export type HubSpotApiVersion = '2026-09' | 'legacy';

export const defaultApiVersion: HubSpotApiVersion = '2026-09';

export interface ApiPaths {
  readonly version: HubSpotApiVersion;
  /** `/crm/objects/2026-09/{type}`: records, batches, search, merge. */
  objects(type: string): string;
  /** `/crm/associations/2026-09/{from}/{to}`: association batches and labels. */
  associations(from: string, to: string): string;
  /** `/crm/properties/2026-09/{type}`: property definitions and groups. */
  properties(type: string): string;
  /** `/account-info/2026-03`: the account the token belongs to (its newest date-based version). */
  readonly accountInfo: string;
}

export function apiPaths(version: HubSpotApiVersion = defaultApiVersion): ApiPaths {
  if (version === 'legacy')
    return {
      version,
      objects: (type) => `/crm/v3/objects/${type}`,
      associations: (from, to) => `/crm/v4/associations/${from}/${to}`,
      properties: (type) => `/crm/v3/properties/${type}`,
      accountInfo: '/account-info/v3',
    };
  return {
    version,
    objects: (type) => `/crm/objects/${version}/${type}`,
    associations: (from, to) => `/crm/associations/${version}/${from}/${to}`,
    properties: (type) => `/crm/properties/${version}/${type}`,
    accountInfo: '/account-info/2026-03',
  };
}
