import type { Entity, SyncOperation } from '@port-service/mapping';
import { maskEmails, maskPhones } from '../logging/mask.js';
import { table } from './table.js';

export interface PlannedOperation {
  readonly entity: Entity;
  readonly operation: SyncOperation;
}

function show(value: string | null, reveal: boolean): string {
  if (value === null || value === '') return '∅';
  return reveal ? value : maskPhones(maskEmails(value));
}

function ids(operation: SyncOperation): [string, string] {
  switch (operation.kind) {
    case 'create-erp':
      return [operation.crmId, '(new)'];
    case 'create-crm':
      return ['(new)', String(operation.associateNo)];
    case 'relink':
      return [`${operation.fromCrmId}→${operation.toCrmId}`, String(operation.associateNo)];
    case 'skip':
    case 'candidates':
      return operation.system === 'hubspot' ? [operation.recordId, '-'] : ['-', operation.recordId];
    default:
      return [operation.crmId, String(operation.associateNo)];
  }
}

/** One line per field change (before → after), and one per other operation with its reason. */
function lines(operation: SyncOperation, reveal: boolean): Array<[string, string]> {
  switch (operation.kind) {
    case 'create-erp':
    case 'create-crm':
    case 'update-erp':
    case 'update-crm':
      return operation.changes.map((change) => [
        change.field,
        `${show(change.before, reveal)} → ${show(change.after, reveal)} (${change.reason})`,
      ]);
    case 'write-back':
      return Object.entries(operation.properties).map(([name, value]) => [name, `→ ${value}`]);
    case 'conflict':
      return [
        [
          operation.field,
          `HubSpot ${show(operation.crmValue, reveal)} ≠ NXT ${show(operation.erpValue, reveal)} (${operation.reason})`,
        ],
      ];
    case 'link':
      return [['', `matched by ${operation.reason}`]];
    case 'skip':
      return [['', `${operation.reason}: ${operation.message}`]];
    case 'candidates':
      return [['', operation.message]];
    case 'orphan':
    case 'restore':
      return [['', operation.reason]];
    case 'relink':
      return [['', operation.reason]];
    case 'baseline':
      return [['', 'both sides agree: fingerprints recorded']];
  }
}

/** `crm-sync plan`: the plan as a table, writes first; emails and phone numbers masked unless `reveal`. */
export function formatPlan(planned: readonly PlannedOperation[], reveal: boolean): string {
  const shown = planned.filter(({ operation }) => operation.kind !== 'baseline');
  if (shown.length === 0) return 'Nothing to do: both systems agree.';
  const rows: string[][] = [];
  for (const { entity, operation } of shown) {
    const [crm, erp] = ids(operation);
    for (const [index, [field, detail]] of lines(operation, reveal).entries()) {
      rows.push(
        index === 0 ? [entity, operation.kind, crm, erp, field, detail] : ['', '', '', '', field, detail],
      );
    }
  }
  return table(['entity', 'operation', 'HubSpot', 'NXT actor', 'field', 'before → after / why'], rows);
}
