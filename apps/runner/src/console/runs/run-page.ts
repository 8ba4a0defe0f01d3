import { html } from 'hono/html';
import type { Run } from '../../state/state-store.js';
import type { SignedIn } from '../auth/sessions.js';
import { type Markup, page } from '../layout.js';
import { durationWords, instant } from '../time-words.js';
import { requestsOf, runDurationMs, runOutcome } from './run-words.js';

/** A run's counts as rows: `create-erp` → customers, contacts (from `customer.create-erp`, `contact.create-erp`). */
function countRows(run: Run): Markup[] {
  const kinds = new Set<string>();
  for (const key of Object.keys(run.counts)) kinds.add(key.slice(key.indexOf('.') + 1));
  return [...kinds]
    .sort()
    .map(
      (kind) =>
        html`<tr><th>${kind}</th><td class="number">${run.counts[`customer.${kind}`] ?? 0}</td><td class="number">${run.counts[`contact.${kind}`] ?? 0}</td></tr>`,
    );
}

/** GET /runs/<id>: one run, with every count it recorded per entity and its requests. */
export function runPage(signedIn: SignedIn, run: Run, laterRunStarted: boolean): Markup {
  const outcome = runOutcome(run, laterRunStarted);
  const duration = runDurationMs(run);
  const requests = requestsOf(run);
  return page(
    'Run',
    html`<h1>Run ${run.id}</h1><div class="panel"><table class="facts">
<tr><th>Mode</th><td>${run.mode}</td></tr><tr><th>Outcome</th><td class="${outcome.tone}">${outcome.words}${run.exitCode === null ? '' : ` (exit code ${run.exitCode})`}</td></tr>
<tr><th>Started</th><td>${instant(run.startedAt)}</td></tr><tr><th>Finished</th><td>${instant(run.finishedAt)}</td></tr>
<tr><th>Duration</th><td>${duration === null ? '' : durationWords(duration)}</td></tr>
<tr><th>HubSpot requests</th><td>${requests.hubspot} (${requests.hubspotRateLimited} answered 429)</td></tr>
<tr><th>Business NXT requests</th><td>${requests.businessNxt} (${requests.businessNxtRateLimited} answered 429)</td></tr></table></div>
<h2>Counts</h2>${countRows(run).length === 0 ? html`<p class="muted">None recorded (the run did not finish).</p>` : html`<table><tr><th>What</th><th class="number">Customers</th><th class="number">Contacts</th></tr>${countRows(run)}</table>`}
<p class="note">read: records read from each system; create-, update-: writes; write-back: ERP numbers written to HubSpot; failed: records whose write or read failed; echoes-skipped: the sync's own writes read back.</p>
<p><a href="/runs">All runs</a></p>`,
    signedIn,
    '/runs',
  );
}
