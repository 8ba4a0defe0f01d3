import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';

/** The session cookie: the random session id, nothing else. */
export const sessionCookieName = 'crm_sync_session';
/** The sign-in form's token, before there is a session (double-submitted with the form). */
export const loginCookieName = 'crm_sync_login';

const loopbackHosts = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/u;

/**
 * Whether the console's cookies carry `Secure`: always, except when the console is served over plain http on
 * 127.0.0.1 or localhost. Browsers send `Secure` cookies over https only
 * (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#secure), so a console on plain
 * http at any other address cannot be signed in to: sessions never cross a network in the clear. Behind the TLS
 * reverse proxy set `CRM_SYNC_PUBLIC_URL=https://…` and the cookies are `Secure`.
 */
export function cookiesAreSecure(where: {
  readonly publicUrl: string | null;
  readonly host: string;
}): boolean {
  const base = where.publicUrl ?? `http://${where.host.includes(':') ? `[${where.host}]` : where.host}`;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return true;
  }
  return !(url.protocol === 'http:' && loopbackHosts.test(url.hostname));
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/. No Max-Age: the cookie
 * ends with the browser session; the server ends the session itself (console/auth/sessions.ts).
 * https://hono.dev/docs/helpers/cookie
 */
const attributes = (secure: boolean, path = '/'): CookieOptions => ({
  path,
  httpOnly: true,
  sameSite: 'Strict',
  secure,
});

export function setSessionCookie(context: Context, sessionId: string, secure: boolean): void {
  setCookie(context, sessionCookieName, sessionId, attributes(secure));
}

export function clearSessionCookie(context: Context, secure: boolean): void {
  deleteCookie(context, sessionCookieName, attributes(secure));
}

export function readSessionCookie(context: Context): string | undefined {
  return getCookie(context, sessionCookieName);
}

/** The sign-in form's token: an hour to fill the form in, sent back to /login only. */
export function setLoginCookie(context: Context, token: string, secure: boolean): void {
  setCookie(context, loginCookieName, token, { ...attributes(secure, '/login'), maxAge: 3600 });
}

export function clearLoginCookie(context: Context, secure: boolean): void {
  deleteCookie(context, loginCookieName, attributes(secure, '/login'));
}

export function readLoginCookie(context: Context): string | undefined {
  return getCookie(context, loginCookieName);
}
