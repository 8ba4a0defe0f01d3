/** What the HubSpot checks read of a request's headers: `Headers` has it, and `headerReader` makes it of Node's. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Node's received headers (names in lower case; a repeated header is an array) read as `Headers` reads them. */
export function headerReader(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return typeof value === 'string' ? value : value.join(', ');
    },
  };
}

/** The first value of a header a chain of proxies may have appended to (`https, http`). */
function firstValue(value: string | null): string | null {
  const first = value?.split(',')[0]?.trim() ?? '';
  return first === '' ? null : first;
}

/**
 * The URIs HubSpot may have signed for this request, most likely first. HubSpot signs the URL it called, "with
 * the protocol", the query string in its original order
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests); behind a reverse proxy that is not the URL
 * the service sees. So: the configured public base URL (which may carry a path prefix the proxy strips, e.g.
 * `https://sync.example.no` or `https://example.no/crm-sync`) with this request's path and query; the URL the
 * `X-Forwarded-Proto` / `X-Forwarded-Host` headers describe; the URL as received. Trying several is safe: each must
 * still carry a signature made with the client secret.
 */
export function signedUriCandidates(
  requestUrl: string,
  headers: HeaderReader,
  publicBaseUrl: string | null,
): string[] {
  const url = new URL(requestUrl);
  const pathAndQuery = `${url.pathname}${url.search}`;
  const candidates: string[] = [];
  if (publicBaseUrl !== null && publicBaseUrl.trim() !== '')
    candidates.push(`${publicBaseUrl.trim().replace(/\/+$/u, '')}${pathAndQuery}`);
  const protocol = firstValue(headers.get('x-forwarded-proto'));
  const host = firstValue(headers.get('x-forwarded-host'));
  if (protocol !== null || host !== null)
    candidates.push(`${protocol ?? url.protocol.replace(/:$/u, '')}://${host ?? url.host}${pathAndQuery}`);
  candidates.push(url.href);
  return [...new Set(candidates)];
}
