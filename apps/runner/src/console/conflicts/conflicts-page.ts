import { html } from 'hono/html';
import { isMergeConflict } from '../../engine/resolve-conflict.js';
import type { Conflict, ConflictSide } from '../../state/state-store.js';
import { roleAllows } from '../auth/roles.js';
import type { SignedIn } from '../auth/sessions.js';
import { hubSpotRecordUrl } from '../hubspot-record-url.js';
import { type Markup, page } from '../layout.js';
import { instant } from '../time-words.js';

export interface ConflictsContent {
  readonly open: readonly Conflict[];
  /** The latest resolved ones, newest first. */
  readonly resolved: readonly Conflict[];
  readonly portalId: number | null;
}

/** A side's value as the state keeps it: emails and phone numbers masked already, for everyone. */
function value(side: ConflictSide): Markup {
  if (side.value === null) return html`<span class="muted">not recorded</span>`;
  if (side.value === '') return html`<span class="muted">empty</span>`;
  return html`<strong>${side.value}</strong>`;
}

function side(signedIn: SignedIn, conflict: Conflict, which: 'crm' | 'erp'): Markup {
  const data = which === 'crm' ? conflict.hubspot : conflict.businessNxt;
  const name = which === 'crm' ? 'HubSpot' : 'Business NXT';
  const take =
    roleAllows(signedIn.role, 'operator') && !isMergeConflict(conflict)
      ? html`<form method="get" action="/conflicts/${conflict.id}/resolve"><input type="hidden" name="take" value="${which}"><button type="submit">Take ${name}’s</button></form>`
      : '';
  return html`<div class="panel"><h3>${name} ${which === 'crm' ? conflict.crmId : conflict.associateNo}</h3>
<p>${value(data)}</p>
<p class="note">changed ${instant(data.changedAt)} by ${data.changedBy ?? 'unknown'}</p>${take}</div>`;
}

function mergeForm(signedIn: SignedIn, conflict: Conflict): Markup {
  if (!roleAllows(signedIn.role, 'operator') || !isMergeConflict(conflict)) return html``;
  return html`<form method="get" action="/conflicts/${conflict.id}/resolve"><label for="link-${conflict.id}">The Business NXT record the merged HubSpot record is (associate number)</label>
<input type="text" id="link-${conflict.id}" name="link" inputmode="numeric" required><button type="submit">See what keeping it does</button></form>`;
}

function openConflict(signedIn: SignedIn, conflict: Conflict, portalId: number | null): Markup {
  const open =
    portalId === null
      ? ''
      : html` · <a href="${hubSpotRecordUrl(portalId, conflict.entity, conflict.crmId)}" target="_blank" rel="noopener noreferrer">open in HubSpot</a>`;
  return html`<section class="panel" id="conflict-${conflict.id}"><h2>${conflict.entity} · <code>${conflict.field}</code> · ${conflict.reason}</h2>
<p class="note">Conflict ${conflict.id}, open since ${instant(conflict.createdAt)} · <a href="/records/${conflict.entity}/hubspot/${conflict.crmId}">the record</a>${open}</p>
<div class="sides">${side(signedIn, conflict, 'crm')}${side(signedIn, conflict, 'erp')}</div>${mergeForm(signedIn, conflict)}</section>`;
}

function resolvedRow(conflict: Conflict): Markup {
  const taken = { crm: 'HubSpot’s value', erp: 'Business NXT’s value', link: 'a link kept' } as const;
  return html`<tr><td>${conflict.id}</td><td>${conflict.entity}</td><td><a href="/records/${conflict.entity}/hubspot/${conflict.crmId}">${conflict.crmId}</a> ↔ ${conflict.associateNo}</td>
<td><code>${conflict.field}</code></td><td>${conflict.resolution === null ? '' : taken[conflict.resolution]}</td><td>${instant(conflict.createdAt)}</td></tr>`;
}

/** GET /conflicts: both values side by side with who changed each and when; operators choose which one wins. */
export function conflictsPage(signedIn: SignedIn, content: ConflictsContent): Markup {
  const resolved =
    content.resolved.length === 0
      ? ''
      : html`<h2>Resolved lately</h2><table><tr><th>Id</th><th>Entity</th><th>Records</th><th>Field</th><th>Settled by</th><th>Opened</th></tr>${content.resolved.map(resolvedRow)}</table>`;
  return page(
    'Conflicts',
    html`<h1>Conflicts <span class="muted">(${content.open.length} open)</span></h1>
<p class="note">Values as they were when the conflict was opened, emails and phone numbers masked (the state keeps no personal data). Choosing a side shows what it will write first.</p>
${content.open.length === 0 ? html`<div class="panel ok">No open conflicts.</div>` : ''}
${content.open.map((conflict) => openConflict(signedIn, conflict, content.portalId))}${resolved}`,
    signedIn,
    '/conflicts',
  );
}
