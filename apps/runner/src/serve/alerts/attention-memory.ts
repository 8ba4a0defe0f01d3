import type { HeldRecord } from './compose-alerts.js';

// Failures the next cycle retries by itself (a read or write the API refused or did not answer): they need a
// person only when the retry failed too, so they count once seen by a second cycle.
const retriedRules = new Set(['read-failed', 'write-failed']);

function recordKey(record: HeldRecord): string {
  return JSON.stringify([record.entity, record.system, record.recordId, record.field, record.rule]);
}

/**
 * Which held records were announced: each record, field and rule once while it stays held. In memory only: records
 * first seen before `startedAt` (this process's start) count as announced, by an earlier process or before alerts
 * were set up, so a restart repeats nothing; the cost is a record first held in the moments before a crash.
 */
export function createAttentionMemory(startedAt: Date) {
  const announced = new Set<string>();
  return {
    /** The records of `held` (the store's whole list) not announced yet; they count as announced from now on. */
    fresh(held: readonly HeldRecord[]): HeldRecord[] {
      const current = new Set(held.map(recordKey));
      // A record missing from the list has synced: if it is held again later, it is new again.
      for (const key of announced) if (!current.has(key)) announced.delete(key);
      const fresh = held.filter(
        (record) =>
          !announced.has(recordKey(record)) &&
          !(Date.parse(record.firstSeenAt) < startedAt.getTime()) &&
          !(retriedRules.has(record.rule) && Date.parse(record.lastSeenAt) <= Date.parse(record.firstSeenAt)),
      );
      for (const record of fresh) announced.add(recordKey(record));
      return fresh;
    },
  };
}
