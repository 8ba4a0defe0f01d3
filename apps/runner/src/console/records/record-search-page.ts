import { html } from 'hono/html';
import { recordLabel } from '../../engine/actions/record-labels.js';
import type { SignedIn } from '../auth/sessions.js';
import { type Markup, page } from '../layout.js';
import type { FoundRecord } from './record-search.js';

function foundRow(found: FoundRecord): Markup {
  const { ref } = found;
  return html`<tr><td><a href="/records/${ref.entity}/${ref.system}/${ref.id}">${recordLabel(ref.entity, ref.system)} ${ref.id}</a></td>
<td>${[...found.knownBy].join(', ')}</td></tr>`;
}

/** GET /records?q=: find a record by the ids the state keeps. */
export function recordSearchPage(signedIn: SignedIn, query: string, found: readonly FoundRecord[]): Markup {
  const results =
    query === ''
      ? ''
      : found.length === 0
        ? html`<p class="muted">The state knows no record by “${query}”: no link, held record, conflict or exclusion.</p>`
        : html`<table><tr><th>Record</th><th>Known by</th></tr>${found.map(foundRow)}</table>`;
  return page(
    'Records',
    html`<h1>Records</h1><div class="panel"><form method="get" action="/records">
<label for="q">HubSpot id, Business NXT associate number, or a conflict’s id (<code>hubspot 123</code> or <code>visma-nxt 7</code> to say which system)</label>
<input type="search" id="q" name="q" value="${query}" autofocus><button type="submit">Find</button></form>
<p class="note">The state keeps ids, never names, emails or organization numbers: those cannot be searched here yet (search for them in HubSpot or Business NXT, then paste the id).</p></div>
${results}`,
    signedIn,
    '/records',
  );
}
