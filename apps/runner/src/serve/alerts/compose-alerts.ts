import type { CycleReport } from '../../engine/report.js';
import { maskPhones } from '../../logging/mask.js';
import type { RecordError } from '../../state/state-store.js';
import type { AlertSection } from './alert-message.js';

/** A record the state store holds (`store.errors()`): what the "needs attention" alert reads, ids and rules only. */
export type HeldRecord = RecordError & { readonly firstSeenAt: string; readonly lastSeenAt: string };

/** How many held records a message names one by one; the rest are counted. */
export const listedRecords = 10;
const listedReasons = 15;

// Ids, property names and rule codes: letters, digits and a few separators. Anything else (an email, a name with
// spaces) is not shown, so no personal data reaches a channel even if a field held some.
const tokenPattern = /^[\p{L}\p{N}_.:#*/-]{1,80}$/u;

function token(value: string | null | undefined): string {
  return value && tokenPattern.test(value) ? value : '(not shown)';
}

/** A cycle's failure text with anything that looks like an email taken out, phone numbers masked, kept short. */
export function withoutPersonalData(text: string): string {
  const cleaned = maskPhones(text.replace(/\S*@\S*/gu, '(not shown)'));
  return cleaned.length > 300 ? `${cleaned.slice(0, 300)}…` : cleaned;
}

/** `2h`, `1h30m`, `45m`, `30s`. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([amount]) => amount > 0).map(([amount, unit]) => `${amount}${unit}`);
  return shown.length > 0 ? shown.join('') : '0s';
}

function run(report: CycleReport): string {
  return `Run ${token(report.runId)} (${report.mode} cycle, started ${report.startedAt})`;
}

export function failedSection(report: CycleReport): AlertSection {
  const why = report.failure === null ? 'no reason was recorded' : withoutPersonalData(report.failure);
  return {
    heading: 'A scheduled cycle failed',
    lines: [
      `${run(report)} failed: ${why}`,
      'The next cycles keep trying on schedule. No further alert is sent while they fail; one follows when a cycle succeeds.',
    ],
  };
}

export function recoveredSection(
  report: CycleReport,
  failedSince: string | null,
  staleSince: string | null,
): AlertSection {
  const lines = [`${run(report)} succeeded${report.exitCode === 3 ? ', with some records held' : ''}.`];
  if (failedSince !== null) lines.push(`Cycles had failed since ${failedSince}.`);
  if (staleSince !== null) lines.push(`Nothing had synced successfully since ${staleSince}.`);
  return { heading: 'Syncing again', lines };
}

export function staleSection(
  lastSuccess: { at: string; startOfService: boolean },
  staleAfterMs: number,
  lastFailure: string | null,
): AlertSection {
  const since = lastSuccess.startOfService
    ? `since the service started at ${lastSuccess.at}`
    : `since ${lastSuccess.at}`;
  const lines = [`No scheduled cycle has succeeded ${since} (the limit is ${formatDuration(staleAfterMs)}).`];
  if (lastFailure !== null) lines.push(`The last one failed: ${withoutPersonalData(lastFailure)}`);
  lines.push('No further alert is sent until a cycle succeeds.');
  return { heading: `Nothing synced for ${formatDuration(staleAfterMs)}`, lines };
}

const fixPlaces = {
  hubspot: 'fix in HubSpot',
  'visma-nxt': 'fix in Business NXT',
  either: 'fix in either system',
};

function recordLine(record: HeldRecord): string {
  const related = record.related ? `, related ${token(record.related.replace(/ /gu, ':'))}` : '';
  const where = record.fixIn ? fixPlaces[record.fixIn] : 'see crm-sync status';
  return `${record.entity} ${token(record.system)} ${token(record.recordId)}: field ${token(record.field)}, rule ${token(record.rule)}${related}; ${where}`;
}

/** The records that need attention now: counts by rule, the first few by id. Never their messages or values. */
export function heldSection(fresh: readonly HeldRecord[], heldInAll: number): AlertSection {
  const counts = new Map<string, number>();
  for (const record of fresh) counts.set(token(record.rule), (counts.get(token(record.rule)) ?? 0) + 1);
  const byCount = [...counts].sort(([ruleA, a], [ruleB, b]) => b - a || ruleA.localeCompare(ruleB));
  const more = byCount.length > listedReasons ? `, and ${byCount.length - listedReasons} more rules` : '';
  const lines = [
    `By rule: ${byCount
      .slice(0, listedReasons)
      .map(([rule, count]) => `${rule} ${count}`)
      .join(', ')}${more}`,
  ];
  lines.push(...fresh.slice(0, listedRecords).map(recordLine));
  if (fresh.length > listedRecords) lines.push(`and ${fresh.length - listedRecords} more`);
  lines.push(`${heldInAll} held in all; \`crm-sync status\` lists every one with its message.`);
  return { heading: `${recordsNeed(fresh.length)} attention`, lines };
}

export function recordsNeed(count: number): string {
  return count === 1 ? '1 new record needs' : `${count} new records need`;
}
