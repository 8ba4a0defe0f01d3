import { recordLabel } from './record-labels.js';
import type { RecordState } from './record-state.js';

/** `HubSpot company 123, linked to Business NXT customer 7` (or `, not linked`). */
export function describeRecord(state: RecordState): string {
  const { ref, counterpart, link } = state;
  const own = `${recordLabel(ref.entity, ref.system)} ${ref.id}`;
  if (counterpart === null || link === undefined) return `${own}, not linked`;
  const status = link.status === 'orphaned' ? ` (orphaned: ${link.statusReason ?? 'one side gone'})` : '';
  return `${own}, linked to ${recordLabel(ref.entity, counterpart.system)} ${counterpart.id}${status}`;
}

/** Why an excluded record is left alone by an action, and how to bring it back. */
export function excludedRefusal(state: RecordState): string | null {
  const { exclusion } = state;
  if (exclusion === undefined) return null;
  const own = exclusion.system === state.ref.system && exclusion.recordId === state.ref.id;
  return `${own ? 'it is' : `its linked ${exclusion.system} ${exclusion.recordId} is`} excluded from the sync (by ${exclusion.excludedBy} since ${exclusion.excludedAt}): include it first with \`crm-sync include ${exclusion.system} ${exclusion.recordId}\``;
}

/** What the state holds the record (and its counterpart) for now, one line each. */
export function heldLines(state: RecordState): string[] {
  if (state.held.length === 0) return ['Held for nothing now.'];
  return state.held.map(
    (error) =>
      `Held now: ${error.system} ${error.recordId}, ${error.field} (${error.rule}): ${error.message}${error.related ? ` [other: ${error.related}]` : ''}`,
  );
}
