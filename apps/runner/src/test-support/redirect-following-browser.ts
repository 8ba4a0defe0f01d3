/** A page the browser ended on: its address and the answer, with the body read. */
export interface Visit {
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Every address the browser went through to get here, the first one included. */
  readonly trail: readonly URL[];
}

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

/** Something that answers requests like `fetch`: a Hono app's `request`, or the network. */
export type Answerer = (url: string, init: RequestInit) => Response | Promise<Response>;

const redirects = new Set([301, 302, 303, 307, 308]);

/**
 * For tests: a browser at the HTTP level across several sites, as single sign-on needs (the console, the provider,
 * another application). It follows redirects and `Refresh: 0; url=…`, keeps cookies per host with their paths
 * (RFC 6265 §5.1.4 path matching), and drops a cookie whose Max-Age is 0 or whose Expires has passed. It does not
 * apply SameSite or Secure: the Chromium test does. Requests to `sites` go to their answerer (a Hono app's `request`
 * for the console), those in `network` to the network; an address on neither is not requested, and the visit ends
 * on the redirect that led to it (its address last in `trail`).
 */
export class RedirectFollowingBrowser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  /** When set, an address it matches is not requested: the visit ends on the redirect that led there. */
  stopBefore: ((url: URL) => boolean) | null = null;
  /** Every address this browser requested, in order. */
  readonly history: URL[] = [];

  constructor(
    private readonly sites: ReadonlyMap<string, Answerer>,
    private readonly network: readonly string[],
  ) {}

  /** The value of a hidden field in a page's HTML ('' when it has none). */
  static field(text: string, name: string): string {
    return new RegExp(`name="${name}" value="([^"]*)"`, 'u').exec(text)?.[1] ?? '';
  }

  /** Opens an address, following redirects. */
  async open(address: string | URL): Promise<Visit> {
    return this.follow(new URL(address), { method: 'GET' });
  }

  /** Posts the page's first form (its hidden fields, with `fields` over them), following redirects. */
  async submit(visit: Visit, fields: Record<string, string> = {}): Promise<Visit> {
    const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/iu.exec(visit.text);
    if (form === null) throw new Error(`no form on ${visit.url.href}:\n${visit.text.slice(0, 500)}`);
    const action = new URL(attribute(form[1] ?? '', 'action') ?? visit.url.href, visit.url);
    const values: Record<string, string> = {};
    for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/giu)) {
      const name = attribute(input[0], 'name');
      if (name !== undefined) values[name] = attribute(input[0], 'value') ?? '';
    }
    return this.follow(action, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: visit.url.origin,
        'sec-fetch-site': visit.url.origin === action.origin ? 'same-origin' : 'cross-site',
      },
      body: new URLSearchParams({ ...values, ...fields }).toString(),
    });
  }

  /** A form post from a page of the same site (Origin and Sec-Fetch-Site as a browser sends them), following redirects. */
  async post(address: string | URL, fields: Record<string, string>): Promise<Visit> {
    const url = new URL(address);
    return this.follow(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: url.origin,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The cookies this browser would send to `address`. */
  cookiesFor(address: string | URL): Map<string, string> {
    const url = new URL(address);
    const sent = new Map<string, string>();
    for (const [name, cookie] of this.jar.get(url.hostname) ?? [])
      if (pathMatches(url.pathname, cookie.path)) sent.set(name, cookie.value);
    return sent;
  }

  /** Drops a cookie, as if it had expired. */
  forget(host: string, name: string): void {
    this.jar.get(host)?.delete(name);
  }

  private async follow(start: URL, first: RequestInit): Promise<Visit> {
    const trail: URL[] = [];
    let url = start;
    let init = first;
    for (let hop = 0; hop < 20; hop += 1) {
      trail.push(url);
      this.history.push(url);
      const response = await this.send(url, init);
      const next = this.nextAddress(url, response);
      const known = next !== null && (this.sites.has(next.origin) || this.network.includes(next.origin));
      if (next === null || !known || this.stopBefore?.(next) === true) {
        const text = await response.text();
        return {
          url,
          status: response.status,
          headers: response.headers,
          text,
          trail: next ? [...trail, next] : trail,
        };
      }
      await response.body?.cancel();
      const keepsMethod = response.status === 307 || response.status === 308;
      init = keepsMethod ? init : { method: 'GET' };
      url = next;
    }
    throw new Error(`more than 20 redirects from ${start.href}`);
  }

  private nextAddress(url: URL, response: Response): URL | null {
    const location = response.headers.get('location');
    if (redirects.has(response.status) && location !== null) return new URL(location, url);
    const refresh = /^\s*0\s*;\s*url=(.+)$/iu.exec(response.headers.get('refresh') ?? '');
    return refresh?.[1] === undefined ? null : new URL(refresh[1].trim(), url);
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookiesFor(url)].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = new Headers(init.headers);
    if (cookie !== '') headers.set('cookie', cookie);
    const answerer = this.sites.get(url.origin) ?? ((address, options) => fetch(address, options));
    const response = await answerer(url.href, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(url, line);
    return response;
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const option = (key: string) =>
      attributes
        .map((part) => part.trim())
        .find((part) => part.toLowerCase().startsWith(`${key}=`))
        ?.slice(key.length + 1);
    const maxAge = option('max-age');
    const expires = option('expires');
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(url.hostname, cookies);
    const gone =
      (maxAge !== undefined && Number(maxAge) <= 0) ||
      (expires !== undefined && Date.parse(expires) <= Date.now());
    if (gone) cookies.delete(name);
    else cookies.set(name, { value: pair.slice(at + 1).trim(), path: option('path') ?? defaultPath(url) });
  }
}

function attribute(tag: string, name: string): string | undefined {
  const found = new RegExp(`\\s${name}="([^"]*)"`, 'iu').exec(tag)?.[1];
  return found?.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#x2F;', '/');
}

/** RFC 6265 §5.1.4 (https://www.rfc-editor.org/rfc/rfc6265#section-5.1.4). */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}
