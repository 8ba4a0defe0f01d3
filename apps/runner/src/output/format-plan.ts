import type { CustomerRef, Entity, FieldChange, SyncOperation } from '@port-service/mapping';
import { isPlaceholder } from '../engine/dry-run-overlay.js';
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

/** A record's id, or `(new)` for one this run would create (a dry run's placeholder, see dry-run-overlay.ts). */
function id(value: string | number): string {
  return isPlaceholder(value) ? '(new)' : String(value);
}

function ids(operation: SyncOperation): [string, string] {
  switch (operation.kind) {
    case 'create-erp':
      return [id(operation.crmId), '(new)'];
    case 'create-crm':
      return ['(new)', id(operation.associateNo)];
    case 'relink':
      return [`${operation.fromCrmId}→${operation.toCrmId}`, id(operation.associateNo)];
    case 'skip':
    case 'candidates':
      return operation.system === 'hubspot' ? [operation.recordId, '-'] : ['-', operation.recordId];
    default:
      return [id(operation.crmId), id(operation.associateNo)];
  }
}

/** The customer a contact is created under: linked already, or one the run creates first. */
function customerLine(customer: CustomerRef | undefined): Array<[string, string]> {
  if (customer === undefined) return [];
  if (customer.kind === 'planned' || isPlaceholder(customer.crmId) || isPlaceholder(customer.associateNo))
    return [['customer', 'new customer (the run creates it first)']];
  return [['customer', `HubSpot ${customer.crmId} · NXT actor ${customer.associateNo}`]];
}

function changeLines(changes: readonly FieldChange[], reveal: boolean): Array<[string, string]> {
  return changes.map((change) => [
    change.field,
    `${show(change.before, reveal)} → ${show(change.after, reveal)} (${change.reason})`,
  ]);
}

/** One line per field change (before → after), and one per other operation with its reason. */
function lines(operation: SyncOperation, reveal: boolean): Array<[string, string]> {
  switch (operation.kind) {
    case 'create-erp':
    case 'create-crm':
      return [...customerLine(operation.customer), ...changeLines(operation.changes, reveal)];
    case 'update-erp':
    case 'update-crm':
      return changeLines(operation.changes, reveal);
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
  const plan = table(['entity', 'operation', 'HubSpot', 'NXT actor', 'field', 'before → after / why'], rows);
  const creates = shown.some(
    ({ operation }) => operation.kind === 'create-erp' || operation.kind === 'create-crm',
  );
  return creates
    ? `${plan}\n(new): a record the run creates; its id or number is known only then (Business NXT suggests customer and actor numbers on insert).`
    : plan;
}
