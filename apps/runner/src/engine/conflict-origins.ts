import type { HubSpotClient } from '@port-service/hubspot';
import {
  type ConflictOperation,
  type Entity,
  type HubSpotPropertyChange,
  hubSpotFieldProperties,
  type SyncOperation,
  type SyncPolicy,
} from '@port-service/mapping';
import type { VismaNxtClient } from '@port-service/visma-nxt';
import { maskPersonalData } from '../logging/mask.js';
import type { ConflictSide, StateStore } from '../state/state-store.js';
import { batchReadWithHistory, latestChangesOf } from './slices.js';

/** Who changed each side of a conflict, and when, as read when it is opened. */
export interface ConflictOrigin {
  readonly hubspot: Omit<ConflictSide, 'value'>;
  readonly businessNxt: Omit<ConflictSide, 'value'>;
}

const unknown = { changedAt: null, changedBy: null } as const;

// A HubSpot merge shows in the survivor's `hs_merged_object_ids`: when it was set, and by what.
const mergeProperty = 'hs_merged_object_ids';

/** HubSpot's source of a value: `CRM_UI`, `API 1234` (an app), `… user 42`, as its history says. */
export function describeHubSpotSource(change: HubSpotPropertyChange): string {
  const parts = [change.sourceType ?? 'unknown source'];
  if (change.sourceId) parts.push(change.sourceId);
  if (change.updatedByUserId !== undefined && change.updatedByUserId !== null)
    parts.push(`user ${change.updatedByUserId}`);
  return parts.join(' ');
}

function isNewConflict(operation: SyncOperation): operation is ConflictOperation {
  return operation.kind === 'conflict';
}

/**
 * Who changed what, for the conflicts a plan opens (those not open already): HubSpot's property history of the
 * field (source type, source id, time; for a merge, of `hs_merged_object_ids`), 50 records per request, and the
 * Business NXT row's `changedTimestamp` (Business NXT keeps one per row, and no user that its API returns). Conflicts
 * are rare, so this is at most one request per system and entity in most plans, and none in most cycles. A read
 * that fails leaves the origin unknown; it never fails the cycle.
 */
export async function conflictOrigins(
  context: {
    readonly hubspot: HubSpotClient;
    readonly visma: VismaNxtClient;
    readonly store: StateStore;
    readonly policy: SyncPolicy;
  },
  operations: readonly SyncOperation[],
): Promise<Map<string, ConflictOrigin>> {
  const origins = new Map<string, ConflictOrigin>();
  const conflicts = operations.filter(isNewConflict);
  if (conflicts.length === 0) return origins;
  const open = new Set(
    (await context.store.conflicts('open')).map((known) => `${known.entity}:${known.crmId}:${known.field}`),
  );
  const fresh = conflicts.filter(
    (operation) => !open.has(`${operation.entity}:${operation.crmId}:${operation.field}`),
  );
  for (const entity of ['customer', 'contact'] as const) {
    const mine = fresh.filter((operation) => operation.entity === entity);
    if (mine.length === 0) continue;
    const hubspot = await hubSpotOrigins(context, entity, mine);
    const erp = await erpOrigins(context, entity, mine);
    for (const operation of mine)
      origins.set(operation.id, {
        hubspot: hubspot.get(operation.id) ?? unknown,
        businessNxt: erp.get(operation.associateNo) ?? unknown,
      });
  }
  return origins;
}

function propertiesOf(entity: Entity, policy: SyncPolicy, field: string): readonly string[] {
  return field === 'link'
    ? [mergeProperty]
    : (hubSpotFieldProperties(entity, policy.hubspotProperties)[field] ?? []);
}

async function hubSpotOrigins(
  { hubspot, policy }: { readonly hubspot: HubSpotClient; readonly policy: SyncPolicy },
  entity: Entity,
  conflicts: readonly ConflictOperation[],
): Promise<Map<string, Omit<ConflictSide, 'value'>>> {
  const found = new Map<string, Omit<ConflictSide, 'value'>>();
  const names = [...new Set(conflicts.flatMap((operation) => propertiesOf(entity, policy, operation.field)))];
  if (names.length === 0) return found;
  const api = entity === 'customer' ? hubspot.companies : hubspot.contacts;
  const read = await batchReadWithHistory(
    api,
    conflicts.map((operation) => operation.crmId),
    names,
    names,
  );
  if (read.isErr()) return found;
  for (const operation of conflicts) {
    const record = read.value.get(operation.crmId);
    if (!record?.isOk()) continue;
    const latest = latestChangesOf(record.value, record.value.properties, names);
    let newest: HubSpotPropertyChange | undefined;
    for (const name of propertiesOf(entity, policy, operation.field)) {
      const change = latest[name];
      if (change && (newest === undefined || Date.parse(change.timestamp) > Date.parse(newest.timestamp)))
        newest = change;
    }
    if (newest)
      found.set(operation.id, { changedAt: newest.timestamp, changedBy: describeHubSpotSource(newest) });
  }
  return found;
}

async function erpOrigins(
  { visma }: { readonly visma: VismaNxtClient },
  entity: Entity,
  conflicts: readonly ConflictOperation[],
): Promise<Map<number, Omit<ConflictSide, 'value'>>> {
  const found = new Map<number, Omit<ConflictSide, 'value'>>();
  // A merge conflict is about HubSpot's records: no Business NXT change to name.
  const nos = [
    ...new Set(
      conflicts.filter((operation) => operation.field !== 'link').map((operation) => operation.associateNo),
    ),
  ];
  if (nos.length === 0) return found;
  const rows = await (entity === 'customer' ? visma.customers : visma.contactPersons).byAssociateNos(nos);
  if (rows.isErr()) return found;
  for (const row of rows.value)
    found.set(row.associateNo, { changedAt: row.changedTimestamp ?? null, changedBy: null });
  return found;
}

/**
 * What a conflict records of both sides: the values the plan saw (emails and phone numbers masked, as the state
 * keeps no personal data; `''` for an empty value) and, when read, who changed each and when.
 */
export function conflictSides(
  operation: ConflictOperation,
  origin: ConflictOrigin | undefined,
): { hubspot: ConflictSide; businessNxt: ConflictSide } {
  // A merge conflict's values are ids (the survivor, the Business NXT records), nothing to mask.
  const shown = (value: string | null) =>
    operation.field === 'link' ? (value ?? '') : String(maskPersonalData(value ?? '', operation.field));
  return {
    hubspot: { value: shown(operation.crmValue), ...(origin?.hubspot ?? unknown) },
    businessNxt: { value: shown(operation.erpValue), ...(origin?.businessNxt ?? unknown) },
  };
}
