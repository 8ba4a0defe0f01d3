import { html } from 'hono/html';
import { csrfFieldName } from './auth/csrf-token.js';
import { startPath } from './auth/single-sign-on-settings.js';
import { type Markup, page } from './layout.js';

export interface LoginPageContent {
  /** The sign-in form's token (the same value is in the `crm_sync_login` cookie). */
  readonly loginToken: string;
  /** What went wrong with the last attempt, if anything. */
  readonly problem?: string | undefined;
  /** The name typed last time, kept in the form. */
  readonly userName?: string | undefined;
  /** With single sign-on on (auth/single-sign-on-routes.ts), the provider's name for its link. */
  readonly singleSignOnName?: string | undefined;
}

/**
 * The way to the company's provider, above the form (local accounts stay, for when the provider is out of reach).
 * A link, not a form: the page's CSP allows forms to post here only (`form-action 'self'`), and Chromium applies
 * that to the redirect a form's answer makes too, so a form could not lead on to the provider.
 */
function singleSignOn(name: string | undefined): Markup {
  if (name === undefined) return html``;
  return html`<p><a href="${startPath}" id="single-sign-on">Sign in with ${name}</a></p>
<p class="note">Or with a local account of this console:</p>`;
}

/** GET /login: the sign-in form, and single sign-on's link when it is on. Accounts are made with `crm-sync users add`. */
export function loginPage(content: LoginPageContent): Markup {
  const problem =
    content.problem === undefined ? '' : html`<p class="problem" role="alert">${content.problem}</p>`;
  return page(
    'Sign in',
    html`<div class="card"><h1>Sign in</h1>${problem}${singleSignOn(content.singleSignOnName)}
<form method="post" action="/login">
<input type="hidden" name="${csrfFieldName}" value="${content.loginToken}">
<label for="name">User name</label><input type="text" id="name" name="name" autocomplete="username" required value="${content.userName ?? ''}">
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Accounts are made on the server with <code>crm-sync users add NAME --role viewer|operator</code>.</p></div>`,
    null,
  );
}
