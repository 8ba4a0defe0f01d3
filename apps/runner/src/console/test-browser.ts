/** A response with its body read, for assertions. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The raw `Set-Cookie` lines of this answer. */
  readonly setCookies: readonly string[];
}

/**
 * For tests: drives an app through `app.request` as a browser would, keeping cookies between requests (a cookie
 * set with Max-Age=0 is dropped) and sending the headers a browser's same-origin form post sends.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: { request: (url: string, init: RequestInit) => Response | Promise<Response> },
    private readonly origin = 'http://localhost',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(path, { method: 'GET', headers });
  }

  /** A form post from this console's own page (Origin and Sec-Fetch-Site as a browser sends them). */
  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return this.send(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** The value of a hidden field in the last page's HTML. */
  static field(text: string, name: string): string | undefined {
    return new RegExp(`name="${name}" value="([^"]*)"`, 'u').exec(text)?.[1];
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = cookie === '' ? init.headers : { ...init.headers, cookie };
    const response = await this.app.request(`${this.origin}${path}`, { ...init, headers });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      if (/;\s*max-age=0/iu.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
    return { status: response.status, headers: response.headers, text: await response.text(), setCookies };
  }
}
