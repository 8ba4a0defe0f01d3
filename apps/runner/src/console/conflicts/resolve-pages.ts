import { html } from 'hono/html';
import type { ConflictPreview } from '../../engine/actions/resolve-conflict-action.js';
import type { ConflictChoice } from '../../engine/resolve-conflict.js';
import type { SignedIn } from '../auth/sessions.js';
import { csrfField, type Markup, page } from '../layout.js';

const lines = (items: readonly string[]) =>
  html`<ul class="lines">${items.map((line) => html`<li>${line}</li>`)}</ul>`;

function choiceField(choice: ConflictChoice): Markup {
  return 'link' in choice
    ? html`<input type="hidden" name="link" value="${String(choice.link)}">`
    : html`<input type="hidden" name="take" value="${choice.take}">`;
}

/** GET /conflicts/<id>/resolve: what resolving this way writes on which system, before anything is written. */
export function resolvePreviewPage(
  signedIn: SignedIn,
  conflictId: string,
  choice: ConflictChoice,
  preview: ConflictPreview,
): Markup {
  const confirm =
    preview.refusal === undefined
      ? html`<form method="post" action="/conflicts/${conflictId}/resolve">${csrfField(signedIn)}${choiceField(choice)}
<input type="hidden" name="key" value="${preview.key ?? ''}"><button type="submit">Write this</button></form>`
      : html`<p class="problem" role="alert">Cannot resolve it this way: ${preview.refusal}</p>`;
  return page(
    'Resolve a conflict',
    html`<div class="panel"><h1>${preview.title}</h1>
<p class="note">Both records read just now; nothing has been written yet. Resolving writes:</p>${lines(preview.lines)}
${confirm}<p><a href="/conflicts">Back to the conflicts</a></p></div>`,
    signedIn,
    '/conflicts',
  );
}
