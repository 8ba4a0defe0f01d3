import { html } from 'hono/html';
import type { ActionPreview, ActionResult } from '../../engine/actions/action-types.js';
import type { SignedIn } from '../auth/sessions.js';
import { csrfField, type Markup, page } from '../layout.js';

const lines = (items: readonly string[]) =>
  html`<ul class="lines">${items.map((line) => html`<li>${line}</li>`)}</ul>`;

/** GET /actions/<kind>: what the action will do, read now and nothing written, and the form that does it. */
export function actionPreviewPage(
  signedIn: SignedIn,
  action: { readonly kind: string; readonly label: string },
  preview: ActionPreview,
  fields: Readonly<Record<string, string>>,
  back: string,
): Markup {
  const hidden = Object.entries({ ...fields, back }).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const confirm =
    preview.refusal === undefined
      ? html`<form method="post" action="/actions/${action.kind}">${csrfField(signedIn)}${hidden}<button type="submit">${action.label}</button></form>`
      : html`<p class="problem" role="alert">Cannot be done: ${preview.refusal}</p>`;
  return page(
    action.label,
    html`<div class="panel"><h1>${preview.title}</h1><p class="note">Read from the state and both systems just now; nothing has been written.</p>
${lines(preview.lines)}${confirm}<p><a href="${back}">Back</a></p></div>`,
    signedIn,
  );
}

/** What an action did, or why it did nothing. */
export function actionResultPage(
  signedIn: SignedIn,
  label: string,
  result: ActionResult,
  back: string,
): Markup {
  const outcome =
    result.kind === 'done'
      ? html`<p class="done" role="status">Done.</p>${lines(result.lines)}`
      : html`<p class="problem" role="alert">${
          result.kind === 'locked'
            ? 'A cycle is running, so nothing was written: try again when it has finished.'
            : result.kind === 'failed'
              ? 'A system could not be read, so nothing was written.'
              : 'Refused: nothing was written.'
        }</p><p>${result.message}</p>`;
  return page(
    label,
    html`<div class="panel"><h1>${label}</h1>${outcome}<p><a href="${back}">Back</a></p></div>`,
    signedIn,
  );
}
