import { html } from 'hono/html';
import type { Run } from '../../state/state-store.js';
import type { SignedIn } from '../auth/sessions.js';
import { type Markup, page } from '../layout.js';
import { durationWords, instant } from '../time-words.js';
import { countOf, requestsOf, runDurationMs, runOutcome } from './run-words.js';

export interface RunsContent {
  readonly runs: readonly Run[];
  /** The mode shown (`full`, `incremental`, `targeted`), `null` for all. */
  readonly mode: string | null;
  readonly limit: number;
}

const modes = ['full', 'incremental', 'targeted'] as const;

function modeLinks(current: string | null): Markup {
  const link = (mode: string | null, label: string) =>
    mode === current
      ? html`<strong>${label}</strong>`
      : html`<a href="/runs${mode === null ? '' : `?mode=${mode}`}">${label}</a>`;
  return html`<p>Show: ${link(null, 'all')} · ${modes.map((mode, index) => html`${index > 0 ? ' · ' : ''}${link(mode, mode)}`)}</p>`;
}

function runRow(run: Run, laterRunStarted: boolean, longestMs: number): Markup {
  const outcome = runOutcome(run, laterRunStarted);
  const duration = runDurationMs(run);
  const requests = requestsOf(run);
  const limited = requests.hubspotRateLimited + requests.businessNxtRateLimited;
  return html`<tr><td><a href="/runs/${run.id}">${instant(run.startedAt)}</a></td><td>${run.mode}</td><td class="${outcome.tone}">${outcome.words}</td>
<td class="number">${duration === null ? '' : durationWords(duration)}</td><td><meter min="0" max="${longestMs}" value="${duration ?? 0}" title="duration"></meter></td>
<td class="number">${countOf(run, '.create-erp', '.create-crm')}</td><td class="number">${countOf(run, '.update-erp', '.update-crm', '.write-back')}</td>
<td class="number">${countOf(run, '.failed')}</td><td class="number">${requests.hubspot}</td><td class="number">${requests.businessNxt}</td>
<td class="number ${limited > 0 ? 'failing' : ''}">${limited}</td></tr>`;
}

/** GET /runs: the timeline of runs (cycles and targeted syncs), newest first, with what each wrote and requested. */
export function runsPage(signedIn: SignedIn, content: RunsContent): Markup {
  const { runs } = content;
  const longestMs = Math.max(1, ...runs.map((run) => runDurationMs(run) ?? 0));
  // Newest first: every run after the first had a later one start (unless filtered, which hides some).
  const rows = runs.map((run, index) => runRow(run, index > 0 && content.mode === null, longestMs));
  return page(
    'Runs',
    html`<h1>Runs</h1>${modeLinks(content.mode)}
${
  runs.length === 0
    ? html`<div class="panel muted">No runs recorded yet.</div>`
    : html`<table>
<tr><th>Started</th><th>Mode</th><th>Outcome</th><th class="number">Duration</th><th></th><th class="number">Created</th><th class="number">Updated</th><th class="number">Failed</th><th class="number">HubSpot requests</th><th class="number">Business NXT requests</th><th class="number">429s</th></tr>
${rows}</table>`
}
<p class="note">The latest ${content.limit} runs the state records${content.mode === null ? '' : ` (${content.mode} ones among them)`}. Updated counts the ERP numbers written back to HubSpot too.</p>`,
    signedIn,
    '/runs',
  );
}
