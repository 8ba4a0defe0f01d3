import type { FieldRule, SyncPolicy } from '../config/policy.js';
import type { FieldIssue } from '../issues.js';
import { compareKey } from '../merge/compare-key.js';
import type { Fingerprint, Fingerprinter } from '../merge/fingerprint.js';
import type { ContactSyncField } from '../model/contact.js';
import type { CustomerSyncField } from '../model/customer.js';
import { recordFingerprintField, recordPrintOf } from './merge-pair.js';
import type { CustomerRef, Entity, FieldChange, SyncOperation, System } from './operations.js';

/** What one planning run shares between the customer and contact planners. */
export interface PlanContext {
  readonly policy: SyncPolicy;
  readonly fingerprint: Fingerprinter;
  readonly readTimestamp: (value: string | null | undefined) => number | null;
  readonly operations: SyncOperation[];
  /** The fields that sync at all (direction not `none`), per entity. */
  readonly syncedCustomerFields: readonly CustomerSyncField[];
  readonly syncedContactFields: readonly ContactSyncField[];
  /** Customers by HubSpot company id and by Business NXT associate number, for the contacts that follow. */
  readonly customersByCrmId: Map<string, CustomerRef>;
  readonly customersByAssociateNo: Map<number, CustomerRef>;
}

/** Stored state of one link, as the runner's state store keeps it. */
export interface LinkState {
  readonly crmId: string;
  readonly associateNo: number;
  /** Per-field fingerprints of the last synced values (and `*` for the whole record). */
  readonly fingerprints: Readonly<Record<string, Fingerprint>>;
  /** `orphaned` once one side was archived or deleted; such links are left alone. */
  readonly status?: 'active' | 'orphaned' | undefined;
  /** Why a link is orphaned (`archived-in-hubspot`, `deleted-in-business-nxt`). */
  readonly statusReason?: string | null | undefined;
}

/** A HubSpot record and a Business NXT row, by id. */
export interface RecordPair {
  readonly crmId: string;
  readonly associateNo: number;
}

/** Whether a person said these two are different records: then they are never matched with each other. */
export type SeparatedTest = (crmId: string, associateNo: number) => boolean;

export function separatedTest(pairs: readonly RecordPair[] = []): SeparatedTest {
  if (pairs.length === 0) return () => false;
  const keys = new Set(pairs.map((pair) => `${pair.crmId}|${pair.associateNo}`));
  return (crmId, associateNo) => keys.has(`${crmId}|${associateNo}`);
}

/** Active links by either side, and the records of orphaned links, which are never matched or created again. */
export interface LinkIndex {
  readonly byCrm: Map<string, LinkState>;
  readonly byErp: Map<number, LinkState>;
  readonly retiredCrmIds: ReadonlySet<string>;
  readonly retiredAssociateNos: ReadonlySet<number>;
}

/** Indexes links; `held` associate numbers are left alone like those of orphaned links (never matched or created). */
export function indexLinks(links: readonly LinkState[], held: Iterable<number> = []): LinkIndex {
  const index = {
    byCrm: new Map<string, LinkState>(),
    byErp: new Map<number, LinkState>(),
    retiredCrmIds: new Set<string>(),
    retiredAssociateNos: new Set<number>(held),
  };
  for (const link of links) {
    if (link.status === 'orphaned') {
      index.retiredCrmIds.add(link.crmId);
      index.retiredAssociateNos.add(link.associateNo);
    } else {
      index.byCrm.set(link.crmId, link);
      index.byErp.set(link.associateNo, link);
    }
  }
  return index;
}

/** Whether a record already has (or had) a counterpart, so matching and creating must leave it alone. */
export function isLinkedCrm(links: LinkIndex, crmId: string): boolean {
  return links.byCrm.has(crmId) || links.retiredCrmIds.has(crmId);
}

export function isLinkedErp(links: LinkIndex, associateNo: number): boolean {
  return links.byErp.has(associateNo) || links.retiredAssociateNos.has(associateNo);
}

/** The issues that block a sync: those on fields that sync at all (direction not `none`). */
export function blockingIssues<Field extends string>(
  issues: readonly FieldIssue[],
  rules: Readonly<Record<Field, FieldRule>>,
): FieldIssue[] {
  if (issues.length === 0) return [];
  const isRuled = (field: string): field is Field => Object.hasOwn(rules, field);
  return issues.filter((issue) => isRuled(issue.field) && rules[issue.field].direction !== 'none');
}

/** Reports a record's blocking issues as one skip; returns whether there were any. */
export function skipInvalid(
  context: PlanContext,
  entity: Entity,
  system: System,
  recordId: string,
  issues: readonly FieldIssue[],
): boolean {
  if (issues.length === 0) return false;
  context.operations.push({
    id: `${entity}:skip:${system}:${recordId}`,
    entity,
    kind: 'skip',
    system,
    recordId,
    reason: 'invalid-data',
    message: issues.map((issue) => issue.message).join('; '),
    issues,
  });
  return true;
}

/**
 * A linked record archived in HubSpot or deleted in Business NXT: the link is marked, nothing is deleted on the
 * other side (docs/DESIGN.md §4). Returns whether the pair was orphaned.
 */
export function orphanIfGone(
  context: PlanContext,
  entity: Entity,
  link: LinkState,
  crmArchived: boolean,
  erpDeleted: boolean,
): boolean {
  if (!crmArchived && !erpDeleted) return false;
  context.operations.push({
    id: `${entity}:orphan:${link.crmId}`,
    entity,
    kind: 'orphan',
    crmId: link.crmId,
    associateNo: link.associateNo,
    side: erpDeleted ? 'erp' : 'crm',
    reason: erpDeleted ? 'deleted-in-business-nxt' : 'archived-in-hubspot',
  });
  return true;
}

/** Which record changed last, for `newest-wins`: `null` when either timestamp is unknown or they are equal. */
export function newerSide(crmMs: number | null, erpMs: number | null): 'crm' | 'erp' | null {
  if (crmMs === null && erpMs === null) return null;
  // A Business NXT row without changedTimestamp has not changed since October 2024: HubSpot's edit is newer.
  if (erpMs === null) return 'crm';
  if (crmMs === null) return 'erp';
  if (crmMs === erpMs) return null;
  return crmMs > erpMs ? 'crm' : 'erp';
}

/**
 * The fields and fingerprints a create writes: every non-empty value whose direction lets it flow from
 * `from` to the other side. When that is every synced field that has a value, the new record equals its
 * source, and the record fingerprint is stored too (the next cycle then plans nothing for the pair).
 */
export function creationFields<Field extends string>(
  synced: readonly Field[],
  rules: Readonly<Record<Field, FieldRule>>,
  record: Readonly<Record<Field, string | null>>,
  from: 'crm' | 'erp',
  fingerprint: Fingerprinter,
): {
  values: Partial<Record<Field, string>>;
  changes: FieldChange[];
  fingerprints: Record<string, Fingerprint>;
} {
  const blocked = from === 'crm' ? 'erp-to-crm' : 'crm-to-erp';
  const values: Partial<Record<Field, string>> = {};
  const changes: FieldChange[] = [];
  const fingerprints: Record<string, Fingerprint> = {};
  const keys: Array<string | null> = [];
  let complete = true;
  for (const field of synced) {
    const value = record[field];
    const key = compareKey(field, value);
    keys.push(key);
    if (value === null) {
      // Empty at the source stays empty on the new record: both sides agree.
      fingerprints[field] = fingerprint(field, null);
      continue;
    }
    if (rules[field].direction === blocked) {
      complete = false;
      continue;
    }
    values[field] = value;
    changes.push({ field, before: null, after: value, reason: 'create' });
    fingerprints[field] = fingerprint(field, key);
  }
  if (complete) fingerprints[recordFingerprintField] = recordPrintOf(keys, fingerprint);
  return { values, changes, fingerprints };
}

/** Sorts HubSpot ids (numeric strings) numerically, so plans come out in a stable order. */
export function byNumericId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
