import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { callbackPath } from './single-sign-on-settings.js';

/** What a single sign-on needs to remember between the redirect to the provider and the way back. */
export interface SignInFlow {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export const signInFlowCookieName = 'crm_sync_oidc';
/** How long a person has at the provider before the way back is refused. */
export const signInFlowLifetimeMs = 10 * 60_000;

/**
 * The flow lives in the browser, in a cookie only the console can read or make: AES-256-GCM
 * (https://nodejs.org/api/crypto.html#cryptocreatecipherivalgorithm-key-iv-options) under a key made when the
 * console starts, with its expiry inside. Chosen over a record on the server because it needs nothing from the
 * state store, leaves nothing to prune, cannot be grown by anonymous requests, and belongs to the browser that
 * started the flow (which is what state and nonce are checked against). Encrypted, not only signed: the PKCE
 * verifier and the nonce stay unreadable. A restart during a sign-in makes that sign-in start again.
 */
export interface SignInFlowSealer {
  seal(flow: SignInFlow, now: Date): string;
  /** The flow, or `null` when the cookie was not made by this console, was altered, or has expired. */
  open(sealed: string, now: Date): SignInFlow | null;
}

const associatedData = Buffer.from(signInFlowCookieName);

export function createSignInFlowSealer(key: Buffer = randomBytes(32)): SignInFlowSealer {
  return {
    seal(flow, now) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(associatedData);
      const plain = JSON.stringify({ ...flow, expiresAt: now.getTime() + signInFlowLifetimeMs });
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(sealed, now) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < 29) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(associatedData);
        decipher.setAuthTag(bytes.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
        const flow = JSON.parse(plain) as SignInFlow & { expiresAt: number };
        if (now.getTime() >= flow.expiresAt) return null;
        return { state: flow.state, nonce: flow.nonce, codeVerifier: flow.codeVerifier };
      } catch {
        return null;
      }
    },
  };
}

/**
 * HttpOnly, sent back to the callback path only, gone after ten minutes. SameSite=Lax, not Strict as the session's:
 * the way back is a navigation the provider's page starts, and browsers send Strict cookies on no navigation from
 * another site (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#samesitesamesite-value).
 * https://hono.dev/docs/helpers/cookie
 */
const attributes = (secure: boolean): CookieOptions => ({
  path: callbackPath,
  httpOnly: true,
  sameSite: 'Lax',
  secure,
});

export function setSignInFlowCookie(context: Context, sealed: string, secure: boolean): void {
  setCookie(context, signInFlowCookieName, sealed, {
    ...attributes(secure),
    maxAge: signInFlowLifetimeMs / 1000,
  });
}

export function readSignInFlowCookie(context: Context): string | undefined {
  return getCookie(context, signInFlowCookieName);
}

export function clearSignInFlowCookie(context: Context, secure: boolean): void {
  deleteCookie(context, signInFlowCookieName, attributes(secure));
}
