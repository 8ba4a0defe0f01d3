import { html } from 'hono/html';
import { type Markup, page } from '../layout.js';
import type { SignedIn } from './sessions.js';

/** A single sign-on that did not sign anyone in: what happened, what to do, and the way back to the sign-in page. */
export function singleSignOnProblemPage(title: string, message: string): Markup {
  return page(
    title,
    html`<div class="card"><h1>${title}</h1><p role="alert">${message}</p>
<p><a href="/login">Back to sign-in</a></p></div>`,
    null,
  );
}

/**
 * After the way back from the provider: signed in, and on to the overview by the answer's `Refresh` header
 * (https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-refresh-header), with a link besides. Not a
 * redirect: the way back was a navigation from the provider's site, and browsers keep treating a redirect chain
 * begun on another site as cross-site, so the SameSite=Strict session cookie would not be sent on it (tried in
 * Chromium: after a redirect the browser arrives signed out). A refresh is a new navigation from this page, on this
 * site, and carries the cookie.
 */
export function continuingPage(signedIn: Pick<SignedIn, 'userName' | 'role'>): Markup {
  return page(
    'Signed in',
    html`<div class="card"><h1>Signed in</h1><p>Signed in as ${signedIn.userName} (${signedIn.role}).</p>
<p><a href="/">Continue to the console</a></p></div>`,
    null,
  );
}
