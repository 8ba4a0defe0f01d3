import {
  type Entity,
  type FieldChange,
  planSync,
  type RecordPair,
  type SyncOperation,
} from '@port-service/mapping';
import { err, ok, type Result } from 'neverthrow';
import { maskEmails, maskPhones } from '../../logging/mask.js';
import type { StoredLink } from '../../state/state-store.js';
import type { CycleError } from '../cycle-error.js';
import { createHubSpotKeys } from '../hubspot-keys.js';
import {
  type Slice,
  type SliceDependencies,
  sliceOfAssociateNos,
  sliceOfCrmIds,
  sweepSlice,
} from '../slices.js';
import type { ActionDependencies } from './action-types.js';
import { recordLabel } from './record-labels.js';
import { separatedPairsFor } from './separated-pairs.js';

/** What a preview plans with besides the state: a link about to be recorded, a pair about to be separated. */
export interface PlannedWith {
  readonly link?: StoredLink | undefined;
  readonly separated?: RecordPair | undefined;
}

function planOf(
  dependencies: ActionDependencies,
  entity: Entity,
  slice: Slice,
  separated: readonly RecordPair[],
): SyncOperation[] {
  const { config } = dependencies;
  return [
    ...planSync({
      hubspot: { companies: slice.companies, contacts: slice.contacts },
      erp: {
        customers: slice.customers,
        contactPersons: slice.contactPersons,
        missingAssociateNos: slice.missingAssociateNos,
      },
      links: { customers: slice.customerLinks, contacts: slice.contactLinks },
      policy: config.policy,
      fingerprintKey: config.hashKey,
      erpTimeZone: config.visma.timeZone,
      separated: entity === 'customer' ? { customers: separated } : { contacts: separated },
    }).operations,
  ];
}

/**
 * Plans records as a targeted sync of them would now, reading both systems and writing nothing (no lock): the
 * HubSpot records with their counterparts, then the Business NXT rows those did not read; with `link`, the pair of
 * that link instead.
 */
export async function planRecordsNow(
  dependencies: ActionDependencies,
  entity: Entity,
  targets: { readonly crmIds: readonly string[]; readonly associateNos: readonly number[] },
  plannedWith: PlannedWith = {},
): Promise<Result<SyncOperation[], CycleError>> {
  const { store, clients, config } = dependencies;
  const slices: SliceDependencies = { ...clients, store, policy: config.policy };
  const stored = await separatedPairsFor(store, entity);
  const separated = [
    ...(stored.customers ?? stored.contacts ?? []),
    ...(plannedWith.separated === undefined ? [] : [plannedWith.separated]),
  ];
  if (plannedWith.link !== undefined) {
    const slice = await sweepSlice(slices, entity, [plannedWith.link]);
    return slice.isErr() ? err(slice.error) : ok(planOf(dependencies, entity, slice.value, separated));
  }
  const operations: SyncOperation[] = [];
  const seen = new Set<number>();
  if (targets.crmIds.length > 0) {
    const slice = await sliceOfCrmIds(slices, entity, targets.crmIds);
    if (slice.isErr()) return err(slice.error);
    for (const row of [...slice.value.customers, ...slice.value.contactPersons]) seen.add(row.associateNo);
    operations.push(...planOf(dependencies, entity, slice.value, separated));
  }
  const rest = targets.associateNos.filter((no) => !seen.has(no));
  if (rest.length > 0) {
    const slice = await sliceOfAssociateNos(slices, entity, rest, createHubSpotKeys(entity, config.policy));
    if (slice.isErr()) return err(slice.error);
    operations.push(...planOf(dependencies, entity, slice.value, separated));
  }
  return ok(operations);
}

function shown(value: string | null, reveal: boolean): string {
  if (value === null || value === '') return '∅';
  return reveal ? value : maskPhones(maskEmails(value));
}

function changesOf(changes: readonly FieldChange[], reveal: boolean): string {
  if (changes.length === 0) return 'nothing';
  return changes
    .map((change) =>
      change.reason === 'create'
        ? `${change.field}: ${shown(change.after, reveal)}`
        : `${change.field}: ${shown(change.before, reveal)} → ${shown(change.after, reveal)}`,
    )
    .join('; ');
}

/** One line per operation: what it writes on which system, or what it records or holds. */
function describe(operation: SyncOperation, reveal: boolean): string | null {
  const crm = recordLabel(operation.entity, 'hubspot');
  const erp = recordLabel(operation.entity, 'visma-nxt');
  switch (operation.kind) {
    case 'create-erp':
      return `Business NXT: create a ${operation.entity} from ${crm} ${operation.crmId} (${changesOf(operation.changes, reveal)}), and link them`;
    case 'create-crm':
      return `HubSpot: create a ${operation.entity} from ${erp} ${operation.associateNo} (${changesOf(operation.changes, reveal)}), and link them`;
    case 'update-erp':
      return `${erp} ${operation.associateNo}: ${changesOf(operation.changes, reveal)}`;
    case 'update-crm':
      return `${crm} ${operation.crmId}: ${changesOf(operation.changes, reveal)}`;
    case 'write-back':
      return `${crm} ${operation.crmId}: ${Object.entries(operation.properties)
        .map(([name, value]) => `${name} → ${value}`)
        .join('; ')}`;
    case 'link':
      return `Link: ${crm} ${operation.crmId} ↔ ${erp} ${operation.associateNo} (matched by ${operation.reason})`;
    case 'conflict':
      return `Held as a conflict: ${operation.field} of ${crm} ${operation.crmId} ↔ ${erp} ${operation.associateNo} (\`crm-sync conflicts\`)`;
    case 'skip':
      return `Held: ${operation.system} ${operation.recordId}: ${operation.message}`;
    case 'candidates':
      return `Held as candidates: ${operation.system} ${operation.recordId} (${operation.candidates
        .map((candidate) => `${candidate.system} ${candidate.recordId}`)
        .join(', ')}): ${operation.message}`;
    case 'orphan':
      return `Link marked orphaned: ${crm} ${operation.crmId} ↔ ${erp} ${operation.associateNo} (${operation.reason})`;
    case 'restore':
      return `Link active again: ${crm} ${operation.crmId} ↔ ${erp} ${operation.associateNo} (${operation.reason})`;
    case 'relink':
      return `Link moves from ${crm} ${operation.fromCrmId} to ${operation.toCrmId} (a HubSpot merge)`;
    case 'baseline':
      return null;
    default: {
      const unknown: never = operation;
      return `an operation of an unknown kind: ${JSON.stringify(unknown)}`;
    }
  }
}

/** What a plan writes and holds, in words (values masked unless `reveal`); says so when it writes nothing. */
export function describeOperations(operations: readonly SyncOperation[], reveal: boolean): string[] {
  const lines = operations.flatMap((operation) => describe(operation, reveal) ?? []);
  return lines.length > 0
    ? lines
    : ['Nothing to write on either system: both agree, or nothing syncs for them.'];
}
