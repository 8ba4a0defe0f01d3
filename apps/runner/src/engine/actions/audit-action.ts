import { maskPersonalData } from '../../logging/mask.js';
import type { AuditEntry, StateStore } from '../../state/state-store.js';
import type { CycleReport } from '../report.js';

/**
 * Records an operator action in the audit log (who, what, when, the state before and after), emails and phone
 * numbers masked as everywhere in the state (docs/DESIGN.md §4).
 */
export async function auditAction(store: Pick<StateStore, 'recordAudit'>, entry: AuditEntry): Promise<void> {
  await store.recordAudit({
    ...entry,
    before: maskPersonalData(entry.before),
    after: maskPersonalData(entry.after),
  });
}

/** A run an action started, as the audit log keeps it: its id, outcome and what it said about the records. */
export function auditedRun(report: CycleReport): Record<string, unknown> {
  return {
    runId: report.runId,
    mode: report.mode,
    exitCode: report.exitCode,
    failure: report.failure,
    applied: { customer: report.entities.customer.applied, contact: report.entities.contact.applied },
    items: report.items.map((item) => ({
      entity: item.entity,
      outcome: item.outcome,
      reason: item.reason,
      crmId: item.crmId,
      associateNo: item.associateNo,
      message: item.message,
    })),
  };
}
