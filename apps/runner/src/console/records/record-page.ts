import { html } from 'hono/html';
import { recordLabel } from '../../engine/actions/record-labels.js';
import type { Conflict, StoredAuditEntry } from '../../state/state-store.js';
import { pairActionForms, recordActionForms } from '../actions/action-forms.js';
import { shownTo } from '../auth/roles.js';
import type { SignedIn } from '../auth/sessions.js';
import { hubSpotRecordUrl } from '../hubspot-record-url.js';
import { type Markup, page } from '../layout.js';
import { instant } from '../time-words.js';
import type { RecordDetails } from './record-details.js';

function statusWords(details: RecordDetails): Markup {
  const { link, exclusion, held, counterpart } = details.state;
  const excluded =
    exclusion === undefined
      ? ''
      : html`<p class="held">Excluded from the sync (${exclusion.system} ${exclusion.recordId}) by ${exclusion.excludedBy} since ${instant(exclusion.excludedAt)}${exclusion.reason === null ? '' : `: ${exclusion.reason}`}.</p>`;
  if (link === undefined || counterpart === null)
    return html`${excluded}<p>Not linked.${held.length > 0 ? ` Held for ${held.length} reason(s).` : ''}</p>`;
  const other = html`<a href="/records/${counterpart.entity}/${counterpart.system}/${counterpart.id}">${recordLabel(counterpart.entity, counterpart.system)} ${counterpart.id}</a>`;
  const state =
    link.status === 'orphaned'
      ? html`<span class="failing">orphaned (${link.statusReason ?? 'one side gone'})</span>`
      : held.length === 0
        ? html`<span class="ok">in sync</span>`
        : html`<span class="held">held</span>`;
  return html`${excluded}<p>Linked to ${other}: ${state}, link last changed ${instant(link.updatedAt)}.</p>`;
}

function heldTable(signedIn: SignedIn, details: RecordDetails): Markup {
  const { held } = details.state;
  if (held.length === 0) return html`<p class="muted">Held for nothing.</p>`;
  return html`<table><tr><th>Record</th><th>Field</th><th>Rule</th><th>Why</th><th>Fix in</th></tr>
${held.map((error) => html`<tr><td>${error.system} ${error.recordId}</td><td><code>${error.field}</code></td><td>${error.rule}</td><td>${shownTo(signedIn.role, error.message)}</td><td>${error.fixIn ?? ''}</td></tr>`)}</table>`;
}

function conflictRow(conflict: Conflict): Markup {
  // Values are stored masked already (the state keeps no personal data).
  const value = (text: string | null) => text ?? 'not recorded';
  const id =
    conflict.status === 'open'
      ? html`<a href="/conflicts#conflict-${conflict.id}">${conflict.id}</a>`
      : html`${conflict.id}`;
  const status = `${conflict.status}${conflict.resolution === null ? '' : ` (${conflict.resolution})`}`;
  return html`<tr><td>${id}</td><td><code>${conflict.field}</code></td><td>${status}</td>
<td>${value(conflict.hubspot.value)}</td><td>${value(conflict.businessNxt.value)}</td><td>${instant(conflict.createdAt)}</td></tr>`;
}

function conflictTable(details: RecordDetails): Markup {
  if (details.conflicts.length === 0) return html`<p class="muted">No conflicts.</p>`;
  return html`<table><tr><th>Id</th><th>Field</th><th>Status</th><th>HubSpot</th><th>Business NXT</th><th>Opened</th></tr>
${details.conflicts.map(conflictRow)}</table>`;
}

function auditTable(signedIn: SignedIn, entries: readonly StoredAuditEntry[]): Markup {
  if (entries.length === 0) return html`<p class="muted">No actions recorded about it.</p>`;
  const json = (value: unknown) => (value === null ? '' : shownTo(signedIn.role, JSON.stringify(value)));
  return html`<table><tr><th>When</th><th>Who</th><th>What</th><th>Target</th><th>Before → after</th></tr>
${entries.map((entry) => html`<tr><td>${instant(entry.at)}</td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.target ?? ''}</td><td class="note"><code>${json(entry.before)}</code><br>→ <code>${json(entry.after)}</code></td></tr>`)}</table>`;
}

/** GET /records/<entity>/<system>/<id>: the link, its status, held records, conflicts and audit entries. */
export function recordPage(signedIn: SignedIn, details: RecordDetails): Markup {
  const { ref } = details.state;
  const back = `/records/${ref.entity}/${ref.system}/${ref.id}`;
  const hubspotId = ref.system === 'hubspot' ? ref.id : (details.state.counterpart?.id ?? null);
  const open =
    details.portalId === null || hubspotId === null
      ? ''
      : html`<a href="${hubSpotRecordUrl(details.portalId, ref.entity, hubspotId)}" target="_blank" rel="noopener noreferrer">Open HubSpot ${hubspotId} in HubSpot</a>`;
  return page(
    `${recordLabel(ref.entity, ref.system)} ${ref.id}`,
    html`<h1>${recordLabel(ref.entity, ref.system)} ${ref.id}</h1><div class="panel">${statusWords(details)}<p>${open}</p>
${recordActionForms(signedIn, ref, details.state.exclusion !== undefined, back)}${details.candidates.map((pair) => pairActionForms(signedIn, pair, back))}</div>
<h2>Held records</h2>${heldTable(signedIn, details)}<h2>Conflicts</h2>${conflictTable(details)}
<h2>Audit log</h2>${auditTable(signedIn, details.audit)}`,
    signedIn,
    '/records',
  );
}
