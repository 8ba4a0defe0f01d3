/**
 * HubSpot's two path layouts (https://developers.hubspot.com/docs/api-reference/latest/overview): the legacy
 * `/crm/v3/objects/{type}…` (the version before the API's name) and the date-based `/crm/objects/2026-09/{type}…`
 * (the version after it). A route names the API family and version the same way for both.
 */
export interface ApiRoute {
  /**
   * The API family and version as counted in the stats (`byApi`): the path's segments up to and including the
   * version, and for legacy CRM paths the API's name after it (`crm/objects/2026-09`, `crm/v3/objects`,
   * `crm/v4/associations`, `account-info/2026-03`).
   */
  readonly key: string;
  /** The API without its version: `crm/objects`, `crm/associations`, `crm/properties`, `account-info`… */
  readonly family: string;
  /** `v3`, `v4`, `2026-09`, `2026-03`…; `''` when the path has no version. */
  readonly version: string;
  /** Whether the version is a date-based one (`YYYY-MM`). */
  readonly dateBased: boolean;
  /** The percent-decoded segments after the family and version (`{objectType}/{objectId}/…`). */
  readonly rest: readonly string[];
}

/** The date-based CRM version the simulator serves besides v3/v4. */
export const datedVersion = '2026-09';

const legacyVersion = /^v\d+$/u;
const dateVersion = /^\d{4}-\d{2}$/u;

/** One path segment, percent-decoded (`kari%40example.no` → `kari@example.no`); a malformed one stays as sent. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRoute(pathname: string): ApiRoute {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decode);
  const [first = '', second = '', third = ''] = segments;
  if (first === 'crm' && legacyVersion.test(second))
    return route(`crm/${second}/${third}`, `crm/${third}`, second, segments.slice(3));
  if (first === 'crm' && dateVersion.test(third))
    return route(`crm/${second}/${third}`, `crm/${second}`, third, segments.slice(3));
  if (legacyVersion.test(second) || dateVersion.test(second))
    return route(`${first}/${second}`, first, second, segments.slice(2));
  return route(segments.slice(0, 2).join('/'), segments.slice(0, 2).join('/'), '', segments.slice(2));
}

function route(key: string, family: string, version: string, rest: string[]): ApiRoute {
  return { key, family, version, dateBased: dateVersion.test(version), rest };
}

/**
 * The scope a call needs (the `security` of each operation in HubSpot's OpenAPI documents,
 * https://github.com/HubSpot/HubSpot-public-api-spec-collection): objects read/write for records and associations,
 * schemas read/write for the properties API, named by the path's object type (the "from" type for associations)
 * wherever the layout puts it.
 */
export function requiredScope(api: ApiRoute, method: string): string | null {
  const [objectType] = api.rest;
  if (objectType !== 'companies' && objectType !== 'contacts') return null;
  const kind =
    api.family === 'crm/properties'
      ? 'schemas'
      : api.family === 'crm/objects' || api.family === 'crm/associations'
        ? 'objects'
        : null;
  if (kind === null) return null;
  return `crm.${kind}.${objectType}.${changesData(api, method) ? 'write' : 'read'}`;
}

/** Whether a call writes: anything but a GET, a search or a batch read. */
export function changesData(api: ApiRoute, method: string): boolean {
  return method !== 'GET' && !isSearch(api) && api.rest.at(-1) !== 'read';
}

/** `POST /crm/{v3/objects|objects/2026-09}/{type}/search`. */
export function isSearch(api: ApiRoute): boolean {
  return api.family === 'crm/objects' && api.rest.length === 2 && api.rest[1] === 'search';
}
