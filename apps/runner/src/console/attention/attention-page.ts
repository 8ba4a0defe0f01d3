import { html } from 'hono/html';
import { pairActionForms, recordActionForms } from '../actions/action-forms.js';
import { roleAllows, shownTo } from '../auth/roles.js';
import type { SignedIn } from '../auth/sessions.js';
import { hubSpotRecordUrl } from '../hubspot-record-url.js';
import { type Markup, page } from '../layout.js';
import { instant } from '../time-words.js';
import type { HeldRow } from './held-rows.js';
import { ruleOrder, ruleWords } from './rule-words.js';

export interface AttentionContent {
  readonly groups: ReadonlyMap<string, readonly HeldRow[]>;
  /** The HubSpot account the state is bound to, for links to its records; `null` before the first cycle. */
  readonly portalId: number | null;
}

/** A group shows this many rows; the rest are counted (the CLI's `crm-sync status` lists them all). */
export const rowsPerGroup = 200;

const fixInWords = { hubspot: 'HubSpot', 'visma-nxt': 'Business NXT', either: 'either system' } as const;

function hubspotCell(row: HeldRow, portalId: number | null): Markup {
  if (row.hubspotId === null) return html`<span class="muted">none</span>`;
  const record = html`<a href="/records/${row.entity}/hubspot/${row.hubspotId}">${row.hubspotId}</a>`;
  if (portalId === null) return record;
  return html`${record} <a class="note" href="${hubSpotRecordUrl(portalId, row.entity, row.hubspotId)}" target="_blank" rel="noopener noreferrer">open in HubSpot</a>`;
}

function erpCell(row: HeldRow): Markup {
  if (row.associateNo === null) return html`<span class="muted">none</span>`;
  return html`<a href="/records/${row.entity}/visma-nxt/${row.associateNo}">${row.associateNo}</a>`;
}

function actionsCell(signedIn: SignedIn, row: HeldRow): Markup {
  const ref = { entity: row.entity, system: row.system, id: row.recordId };
  return html`${recordActionForms(signedIn, ref, row.reason === 'excluded', '/attention')}${row.candidates.map((pair) => pairActionForms(signedIn, pair, '/attention'))}`;
}

function heldRow(signedIn: SignedIn, row: HeldRow, portalId: number | null): Markup {
  const fixIn = row.fixIn === null ? '' : (fixInWords[row.fixIn as keyof typeof fixInWords] ?? row.fixIn);
  return html`<tr><td>${row.entity}</td><td>${row.system === 'hubspot' ? 'HubSpot' : 'Business NXT'}</td>
<td>${hubspotCell(row, portalId)}</td><td>${erpCell(row)}</td><td><code>${row.field}</code></td>
<td>${shownTo(signedIn.role, row.message)}${row.related === null ? '' : html`<br><span class="note">other: ${row.related}</span>`}</td>
<td>${fixIn}</td><td>${instant(row.since)}</td>
${roleAllows(signedIn.role, 'operator') ? html`<td class="actions">${actionsCell(signedIn, row)}</td>` : ''}</tr>`;
}

function group(signedIn: SignedIn, rule: string, rows: readonly HeldRow[], portalId: number | null): Markup {
  const shown = rows.slice(0, rowsPerGroup);
  const operator = roleAllows(signedIn.role, 'operator');
  return html`<section class="panel" id="rule-${rule}"><h2>${rule} <span class="muted">(${rows.length})</span></h2><p class="note">${ruleWords(rule)}</p>
<table><tr><th>Entity</th><th>Held in</th><th>HubSpot id</th><th>Business NXT no.</th><th>Field</th><th>Why</th><th>Fix in</th><th>Since</th>${operator ? html`<th>Act</th>` : ''}</tr>
${shown.map((row) => heldRow(signedIn, row, portalId))}</table>
${rows.length > shown.length ? html`<p class="note">${rows.length - shown.length} more: <code>crm-sync status</code> lists them all.</p>` : ''}</section>`;
}

/** GET /attention: every held or failing record, grouped by the rule it is held for, with what to do about it. */
export function attentionPage(signedIn: SignedIn, content: AttentionContent): Markup {
  const rules = [...content.groups.keys()].sort(ruleOrder);
  const total = [...content.groups.values()].reduce((sum, rows) => sum + rows.length, 0);
  const who = roleAllows(signedIn.role, 'operator')
    ? 'Retry now runs a targeted sync of the record and its counterpart; exclude leaves both out of every sync until included again.'
    : 'Viewers see what is held, with personal data masked; operators act on it.';
  return page(
    'Needs attention',
    html`<h1>Needs attention <span class="muted">(${total})</span></h1><p class="note">${who}</p>
${total === 0 ? html`<div class="panel ok">Nothing is held: every record the sync knows is in sync or waiting for its next cycle.</div>` : ''}
${rules.map((rule) => group(signedIn, rule, content.groups.get(rule) ?? [], content.portalId))}`,
    signedIn,
    '/attention',
  );
}
