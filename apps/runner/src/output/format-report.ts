import type { CycleReport } from '../engine/report.js';
import { table } from './table.js';

const exitMeaning: Record<CycleReport['exitCode'], string> = {
  0: 'clean',
  3: 'some records need attention',
  1: 'the cycle failed',
  130: 'stopped by SIGINT',
  143: 'stopped by SIGTERM',
};

/** The cycle report for a person: counts per entity, API calls, and every record that needs attention. */
export function formatReport(report: CycleReport): string {
  const lines: string[] = [];
  const seconds = (report.durationMs / 1000).toFixed(1);
  lines.push(
    `crm-sync ${report.dryRun ? 'dry run' : 'run'} ${report.runId.slice(0, 8)} · ${report.mode} · ${seconds} s · exit ${report.exitCode} (${exitMeaning[report.exitCode]})`,
  );
  if (report.interrupted !== null) lines.push(`INTERRUPTED: ${report.failure ?? report.interrupted}`);
  else if (report.failure) lines.push(`FAILED: ${report.failure}`);
  lines.push('');
  const counts = report.dryRun ? 'planned' : 'applied';
  const rows = (['customer', 'contact'] as const).map((entity) => {
    const entityCounts = report.entities[entity];
    const done = entityCounts[counts];
    return [
      entity === 'customer' ? 'customers' : 'contacts',
      entityCounts.read.hubspot,
      entityCounts.read.vismaNxt,
      done['create-erp'] ?? 0,
      done['create-crm'] ?? 0,
      done['update-erp'] ?? 0,
      done['update-crm'] ?? 0,
      done.link ?? 0,
      done['write-back'] ?? 0,
      done.conflict ?? 0,
      done.skip ?? 0,
      done.candidates ?? 0,
      (done.orphan ?? 0) + (done.relink ?? 0),
      entityCounts.failed,
    ];
  });
  lines.push(
    table(
      [
        report.dryRun ? 'planned' : '',
        'read HubSpot',
        'read NXT',
        'create NXT',
        'create HubSpot',
        'update NXT',
        'update HubSpot',
        'link',
        'write-back',
        'conflict',
        'skip',
        'candidates',
        'orphan/relink',
        'failed',
      ],
      rows,
    ),
  );
  lines.push('');
  const calls = report.apiCalls;
  lines.push(
    `API requests: HubSpot ${calls.hubspot} (429 answers: ${calls.hubspotRateLimited}), Business NXT ${calls.vismaNxt} (429 answers: ${calls.vismaNxtRateLimited})`,
  );
  const intents = report.intents;
  if (intents.resolvedCreated + intents.resolvedAbandoned + intents.stillPending > 0) {
    lines.push(
      `Creates left by an interrupted cycle: ${intents.resolvedCreated} found and linked, ${intents.resolvedAbandoned} had not happened (planned again)${intents.stillPending > 0 ? `, ${intents.stillPending} pending (resolved by the next real run)` : ''}`,
    );
  }
  if (report.items.length > 0) {
    lines.push('', `Records to look at (${report.items.length}):`);
    lines.push(
      table(
        ['entity', 'outcome', 'HubSpot', 'NXT actor', 'reason', 'why'],
        report.items.map((item) => [
          item.entity,
          item.outcome,
          item.crmId ?? (item.system === 'hubspot' ? '?' : '-'),
          item.associateNo === null ? '-' : String(item.associateNo),
          item.reason,
          item.message,
        ]),
      ),
    );
  }
  return lines.join('\n');
}
