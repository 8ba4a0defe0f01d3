import type { Entity } from '@port-service/mapping';
import { html } from 'hono/html';
import type { RecordRef } from '../../engine/actions/action-types.js';
import { roleAllows } from '../auth/roles.js';
import type { SignedIn } from '../auth/sessions.js';
import { csrfField, type Markup } from '../layout.js';

/** The operator actions on one record or one candidate pair, as their routes are named (`/actions/<kind>`). */
export type RecordActionKind = 'retry' | 'exclude' | 'include';
export type PairActionKind = 'link' | 'separate';

const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;

function recordFields(ref: RecordRef, back: string): Markup {
  return html`${hidden('entity', ref.entity)}${hidden('system', ref.system)}${hidden('id', ref.id)}${hidden('back', back)}`;
}

/**
 * The buttons for one held record: each a form posting to `/actions/<kind>` with the session's CSRF token, and a
 * link to see first what it will do (`GET /actions/<kind>?…`). Operators only: nothing for a viewer.
 */
export function recordActionForms(
  signedIn: SignedIn,
  ref: RecordRef,
  excluded: boolean,
  back: string,
): Markup {
  if (!roleAllows(signedIn.role, 'operator')) return html``;
  const query = new URLSearchParams({ entity: ref.entity, system: ref.system, id: ref.id, back }).toString();
  const form = (kind: RecordActionKind, label: string, extra: Markup = html``) =>
    html`<form class="inline" method="post" action="/actions/${kind}">${csrfField(signedIn)}${recordFields(ref, back)}${extra}<button type="submit">${label}</button></form>`;
  if (excluded)
    return html`${form('include', 'Include again')} <a class="note" href="/actions/include?${query}">preview</a>`;
  return html`${form('retry', 'Retry now')} <a class="note" href="/actions/retry?${query}">preview</a><br>
${form('exclude', 'Exclude from sync', html`<input type="text" name="reason" placeholder="why (optional)" aria-label="Why exclude it">`)}`;
}

/** The buttons for a candidate pair: link these two, or keep them separate (operators only). */
export function pairActionForms(
  signedIn: SignedIn,
  pair: { readonly entity: Entity; readonly crmId: string; readonly associateNo: number },
  back: string,
): Markup {
  if (!roleAllows(signedIn.role, 'operator')) return html``;
  const fields = html`${hidden('crmId', pair.crmId)}${hidden('associateNo', String(pair.associateNo))}${hidden('back', back)}`;
  const query = new URLSearchParams({
    crmId: pair.crmId,
    associateNo: String(pair.associateNo),
    back,
  }).toString();
  const form = (kind: PairActionKind, label: string) =>
    html`<form class="inline" method="post" action="/actions/${kind}">${csrfField(signedIn)}${fields}<button type="submit">${label}</button></form>`;
  return html`<div>HubSpot ${pair.crmId} ↔ Business NXT ${pair.associateNo}:
${form('link', 'Link these two')}${form('separate', 'Keep separate')} <a class="note" href="/actions/link?${query}">preview</a></div>`;
}
