import type { TargetedRecords } from '../engine/targeted-sync.js';
import type { StoredInboxEvent } from '../state/state-store.js';

export interface CoalescedEvents {
  /** The records to sync, each once however many events named it. */
  readonly targets: TargetedRecords;
  /** Events caused by the sync's own writes: settled without a sync (the fingerprints would plan nothing). */
  readonly ownEchoes: readonly StoredInboxEvent[];
  readonly toSync: readonly StoredInboxEvent[];
}

/**
 * Pending events per record (docs/DESIGN.md §5b): ten edits of one company are one read of it. A HubSpot event's
 * related records (the ids a merge absorbed, the other end of an association) are synced with it; a Business NXT
 * event names an `Associate` row, a customer or a contact person.
 */
export function coalesceEvents(events: readonly StoredInboxEvent[]): CoalescedEvents {
  const companies = new Set<string>();
  const contacts = new Set<string>();
  const associateNos = new Set<number>();
  const ownEchoes: StoredInboxEvent[] = [];
  const toSync: StoredInboxEvent[] = [];
  for (const event of events) {
    if (event.ownEcho) {
      ownEchoes.push(event);
      continue;
    }
    toSync.push(event);
    if (event.system === 'visma-nxt') {
      const associateNo = Number(event.recordId);
      if (Number.isInteger(associateNo) && associateNo > 0) associateNos.add(associateNo);
      continue;
    }
    for (const record of [{ entity: event.entity, recordId: event.recordId }, ...event.related]) {
      if (record.entity === 'customer') companies.add(record.recordId);
      else if (record.entity === 'contact') contacts.add(record.recordId);
    }
  }
  return {
    targets: {
      crmIds: { customer: [...companies], contact: [...contacts] },
      associateNos: [...associateNos],
    },
    ownEchoes,
    toSync,
  };
}

/** Whether there is anything to sync. */
export function hasTargets(targets: TargetedRecords): boolean {
  return (
    targets.crmIds.customer.length > 0 || targets.crmIds.contact.length > 0 || targets.associateNos.length > 0
  );
}
