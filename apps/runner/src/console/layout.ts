import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { csrfFieldName } from './auth/csrf-token.js';
import type { SignedIn } from './auth/sessions.js';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

// The console's only style sheet, inline: no build step and no external assets. The Content-Security-Policy
// allows exactly this text by its hash (console/security-headers.ts), so no other inline style or script runs.
const css = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d232b;background:#f5f6f8}
header{display:flex;gap:1.4rem;align-items:center;padding:.6rem 1.2rem;background:#1d3557;color:#fff}
header nav{flex:1;display:flex;flex-wrap:wrap;gap:1.1rem}header a{color:#fff;text-decoration:none}
header a[aria-current=page]{text-decoration:underline;text-underline-offset:.35em}
header form{display:inline;margin:0 0 0 .8rem}header button{margin:0}main{max-width:76rem;margin:1.5rem auto;padding:0 1.2rem}
h1{font-size:1.5em;margin:.2rem 0 1rem}h2{font-size:1.15em;margin:1.4rem 0 .6rem}a{color:#1d4f91}
.card{background:#fff;border:1px solid #d7dbe0;border-radius:6px;padding:1.2rem 1.5rem;max-width:26rem}
.panel{background:#fff;border:1px solid #d7dbe0;border-radius:6px;padding:.9rem 1.2rem;margin:0 0 1.2rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin:0 0 1.2rem}
.tile{background:#fff;border:1px solid #d7dbe0;border-radius:6px;padding:.8rem 1rem}
.tile h2{margin:0 0 .4rem;font-size:1em}.tile p{margin:.2rem 0}.figure{font-size:1.7em;font-weight:600}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em;margin:0 0 1rem}
th,td{text-align:left;padding:.35rem .55rem;border-bottom:1px solid #e4e7eb;vertical-align:top}th{background:#eef1f4}
td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1e6b3a}.held{color:#8a5a00}.failing{color:#9b1c1c}.muted{color:#59636e}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.sides .panel{margin:0}
form.inline{display:inline-block;margin:0 .3rem .3rem 0}form.inline button{margin:0;padding:.25rem .6rem}
form.inline input[type=text]{width:9rem;padding:.25rem}td.actions{min-width:16rem}.actions div{margin:.2rem 0}
.panel>h2:first-child,.panel>h1:first-child{margin-top:0}.sides h3{margin:0 0 .5rem}table.facts th{width:15rem}
label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password],input[type=search]{width:100%;box-sizing:border-box;padding:.45rem}
button{margin-top:1rem;padding:.45rem 1rem;cursor:pointer}.problem{color:#9b1c1c;background:#fde8e8;padding:.5rem .8rem;border-radius:4px}
.done{color:#1e6b3a;background:#e6f4ea;padding:.5rem .8rem;border-radius:4px}
.note{color:#59636e;font-size:.9em}code{font-size:.92em}ul.lines{margin:.4rem 0;padding-left:1.2rem}`;

/** The CSP source that allows the inline style sheet above, and nothing else inline. */
export const styleSource = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/** The hidden field with the session's CSRF token: every console form that posts carries it. */
export function csrfField(signedIn: SignedIn): Markup {
  return html`<input type="hidden" name="${csrfFieldName}" value="${signedIn.csrfToken}">`;
}

/** The console's pages, as the header links to them. */
const sections: ReadonlyArray<{ readonly path: string; readonly title: string }> = [
  { path: '/', title: 'Overview' },
  { path: '/attention', title: 'Needs attention' },
  { path: '/conflicts', title: 'Conflicts' },
  { path: '/runs', title: 'Runs' },
  { path: '/records', title: 'Records' },
];

function navigation(current: string | undefined): Markup {
  const links = sections.map((section) =>
    section.path === current
      ? html`<a href="${section.path}" aria-current="page">${section.title}</a>`
      : html`<a href="${section.path}">${section.title}</a>`,
  );
  return html`<nav>${links}</nav>`;
}

function signedInBar(signedIn: SignedIn | null, current: string | undefined): Markup {
  if (signedIn === null) return html`<header><strong>crm-sync</strong></header>`;
  return html`<header><strong>crm-sync</strong>${navigation(current)}
<span>${signedIn.userName} (${signedIn.role})
<form method="post" action="/logout">${csrfField(signedIn)}<button type="submit">Sign out</button></form></span></header>`;
}

/**
 * A whole console page: server-rendered with `hono/html`, whose template tag escapes every interpolated value
 * (https://hono.dev/docs/helpers/html). Plain template strings instead of hono/jsx: JSX needs compiler options
 * this package does not set, and these pages are small.
 */
export function page(
  title: string,
  content: Markup,
  signedIn: SignedIn | null,
  /** The section the page belongs to (its path in the header), marked as the current one. */
  current?: string,
): Markup {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · crm-sync</title><style>${raw(css)}</style></head>
<body>${signedInBar(signedIn, current)}<main>${content}</main></body></html>`;
}

/** A refusal as a page: what happened and what to do. */
export function refusalPage(title: string, message: string, signedIn: SignedIn | null): Markup {
  return page(title, html`<div class="card"><h1>${title}</h1><p>${message}</p></div>`, signedIn);
}
