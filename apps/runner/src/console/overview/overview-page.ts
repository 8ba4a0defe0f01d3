import { html } from 'hono/html';
import type { SignedIn } from '../auth/sessions.js';
import { type Markup, page } from '../layout.js';
import { durationWords, instant, relativeWords } from '../time-words.js';
import type { CycleStatus, LastRunStatus } from './cycle-status.js';
import type { SystemUsage } from './request-usage.js';
import type { EntityHealth } from './sync-health.js';
import type { WebhookDeliveries } from './webhook-deliveries.js';

export interface OverviewContent {
  readonly health: readonly EntityHealth[];
  readonly cycles: CycleStatus;
  readonly usage: readonly SystemUsage[];
  readonly webhooks: WebhookDeliveries | null;
  readonly openConflicts: number;
  readonly inboxDepth: number;
  readonly now: Date;
}

const entityTitle = { customer: 'Customers (companies)', contact: 'Contacts (contact persons)' } as const;

function healthTile(health: EntityHealth): Markup {
  return html`<section class="tile" aria-label="${entityTitle[health.entity]}"><h2>${entityTitle[health.entity]}</h2>
<p><span class="figure ok">${health.inSync}</span> in sync</p>
<p class="held"><strong>${health.held}</strong> held for a person</p>
<p class="failing"><strong>${health.failing}</strong> failing (a read or write failed)</p>
<p class="muted">${health.excluded} excluded · ${health.activeLinks} active links, ${health.orphanedLinks} orphaned</p>
${health.held + health.failing > 0 ? html`<p><a href="/attention">See what needs attention</a></p>` : ''}</section>`;
}

function summaryTiles(content: OverviewContent): Markup {
  const { cycles, now } = content;
  const since =
    cycles.secondsSinceSuccess === null
      ? html`<span class="figure failing">none yet</span>`
      : html`<span class="figure">${cycles.secondsSinceSuccess} s</span>`;
  return html`<section class="tile"><h2>Open conflicts</h2><p><span class="figure ${content.openConflicts > 0 ? 'held' : 'ok'}">${content.openConflicts}</span></p>
<p><a href="/conflicts">Resolve conflicts</a></p></section>
<section class="tile"><h2>Since the last successful cycle</h2><p>${since}</p>
<p class="muted">${cycles.lastSuccessAt === null ? 'No cycle has run to its end yet.' : html`finished ${instant(cycles.lastSuccessAt)} (${relativeWords(cycles.lastSuccessAt, now)})`}</p></section>`;
}

function runRow(label: string, run: LastRunStatus | null, now: Date): Markup {
  if (run === null) return html`<tr><th>${label}</th><td colspan="3" class="muted">none recorded</td></tr>`;
  return html`<tr><th>${label}</th><td>${run.mode}</td><td>${instant(run.startedAt)} (${relativeWords(run.startedAt, now)})</td>
<td class="${run.outcome.tone}"><a href="/runs/${run.id}">${run.outcome.words}</a></td></tr>`;
}

function dueRow(label: string, at: string | null, now: Date): Markup {
  const when =
    at === null
      ? html`<span class="muted">not scheduled: the console runs without <code>crm-sync serve</code></span>`
      : html`${instant(at)} (${relativeWords(at, now)})`;
  return html`<tr><th>${label}</th><td colspan="3">${when}</td></tr>`;
}

function schedulePanel({ cycles, now }: OverviewContent): Markup {
  return html`<section class="panel"><h2>Cycles</h2><table class="facts">
${runRow('Last cycle', cycles.lastCycle, now)}${runRow('Last targeted sync', cycles.lastTargeted, now)}
${dueRow('Next incremental cycle', cycles.nextIncrementalAt, now)}${dueRow('Next full cycle', cycles.nextFullAt, now)}
</table></section>`;
}

function usageRow(usage: SystemUsage): Markup {
  const { limit, lastCycle, lastDay } = usage;
  const window = limit.windowSeconds === 10 ? '10 s' : 'minute';
  const cycle =
    lastCycle === null
      ? html`<td colspan="2" class="muted">no finished cycle</td>`
      : html`<td class="number">${lastCycle.requests}${lastCycle.rateLimited > 0 ? html` <span class="failing">(${lastCycle.rateLimited} answered 429)</span>` : ''} in ${durationWords(lastCycle.durationMs)}</td>
<td class="number ${lastCycle.perWindow > limit.limit * 0.8 ? 'held' : ''}">${lastCycle.perWindow} of ${limit.limit} per ${window}</td>`;
  return html`<tr><th>${limit.system}</th>${cycle}<td class="number">${lastDay.requests} in ${lastDay.runs} runs${lastDay.rateLimited > 0 ? ` (${lastDay.rateLimited} answered 429)` : ''}</td>
<td>${limit.limit} per ${window} <span class="note">(${limit.source})</span></td></tr>`;
}

function usagePanel({ usage }: OverviewContent): Markup {
  return html`<section class="panel"><h2>API usage</h2><table>
<tr><th>System</th><th class="number">Last cycle: requests</th><th class="number">Average per window</th><th class="number">Last 24 hours</th><th>Limit</th></tr>
${usage.map(usageRow)}</table>
<p class="note">Counted from the runs the state records (cycles and targeted syncs); the average is over the cycle's whole duration, so its busiest window may be higher.</p>
<ul class="lines note">${usage.map(({ limit }) => html`<li>${limit.system}: ${limit.note.text} (${limit.note.sources.map((source, index) => html`${index > 0 ? ', ' : ''}<a href="${source}" rel="noopener noreferrer">${source}</a>`)}).</li>`)}</ul></section>`;
}

function deliveriesPanel({ webhooks, inboxDepth }: OverviewContent): Markup {
  const inbox = html`<p>Inbox: <strong>${inboxDepth}</strong> events waiting for a targeted sync.</p>`;
  if (webhooks === null)
    return html`<section class="panel"><h2>Webhook deliveries</h2>${inbox}<p class="muted">Counted by <code>crm-sync serve</code> only: not available here.</p></section>`;
  const row = (system: 'hubspot' | 'visma-nxt', name: string) => {
    const outcomes = Object.entries(webhooks[system]);
    const words =
      outcomes.length === 0 ? 'none' : outcomes.map(([outcome, count]) => `${outcome} ${count}`).join(', ');
    return html`<tr><th>${name}</th><td>${words}</td></tr>`;
  };
  return html`<section class="panel"><h2>Webhook deliveries</h2>${inbox}<table class="facts">
${row('hubspot', 'HubSpot')}${row('visma-nxt', 'Business NXT')}</table>
<p class="note">Deliveries (HTTP requests) since the service started, by outcome: accepted, forged, stale, malformed, wrong-company, ignored, failed, not-configured.</p></section>`;
}

/** GET /: the sync's health at a glance (HubSpot's Sync Health as a model), read from the state and the service. */
export function overviewPage(signedIn: SignedIn, content: OverviewContent): Markup {
  return page(
    'Overview',
    html`<h1>Overview</h1><div class="tiles">${content.health.map(healthTile)}${summaryTiles(content)}</div>
${schedulePanel(content)}${usagePanel(content)}${deliveriesPanel(content)}`,
    signedIn,
    '/',
  );
}
