import type { FieldIssue } from '../issues.js';
import type { Fingerprint } from '../merge/fingerprint.js';
import type { MergeReason } from '../merge/merge-field.js';
import type { AssociateValues } from '../sources/associate.js';

export type Entity = 'customer' | 'contact';
export type System = 'hubspot' | 'visma-nxt';

/** One field's change, for reports and `crm-sync plan`: the target's value before, and what it becomes. */
export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly reason: MergeReason | 'create';
}

/** Where a contact's customer is: already linked, or created by an earlier operation of the same plan. */
export type CustomerRef =
  | { readonly kind: 'linked'; readonly crmId: string; readonly associateNo: number }
  | { readonly kind: 'planned'; readonly operationId: string };

/** Fingerprints to store for a link once an operation succeeds (merged into what the link had). */
export type FingerprintUpdate = Readonly<Record<string, Fingerprint>>;

interface Base {
  /** Unique within a plan and stable between plans of the same input. */
  readonly id: string;
  readonly entity: Entity;
}

/** Create the record in Business NXT, record the link, then write its assigned numbers back to HubSpot. */
export interface CreateErpOperation extends Base {
  readonly kind: 'create-erp';
  readonly crmId: string;
  readonly values: AssociateValues;
  readonly changes: readonly FieldChange[];
  readonly fingerprints: FingerprintUpdate;
  /** Contacts: the customer they are a contact person for. */
  readonly customer?: CustomerRef;
  /**
   * Fingerprints the new link stores besides `fingerprints` (which also identify the create after a crash): a
   * contact's customer, when it is linked already.
   */
  readonly relationFingerprints?: FingerprintUpdate;
}

/** Create the record in HubSpot (ERP numbers included), associate a contact with its company, record the link. */
export interface CreateCrmOperation extends Base {
  readonly kind: 'create-crm';
  readonly associateNo: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly changes: readonly FieldChange[];
  readonly fingerprints: FingerprintUpdate;
  readonly customer?: CustomerRef;
  /** As for `create-erp`. */
  readonly relationFingerprints?: FingerprintUpdate;
}

export interface UpdateErpOperation extends Base {
  readonly kind: 'update-erp';
  readonly crmId: string;
  readonly associateNo: number;
  /** Contacts: `contactPersonForAssociateNo` moves the contact person to another (linked) customer. */
  readonly values: AssociateValues;
  readonly changes: readonly FieldChange[];
  readonly fingerprints: FingerprintUpdate;
}

export interface UpdateCrmOperation extends Base {
  readonly kind: 'update-crm';
  readonly crmId: string;
  readonly associateNo: number;
  /** May be empty when only the primary company moves. */
  readonly properties: Readonly<Record<string, string>>;
  readonly changes: readonly FieldChange[];
  readonly fingerprints: FingerprintUpdate;
  /**
   * Contacts: make `crmId` (a linked customer's company) the contact's primary company, because its Business NXT
   * contact person moved to that customer. `previousCrmId` loses the primary label and stays associated.
   */
  readonly primaryCompany?: { readonly crmId: string; readonly previousCrmId: string | null };
}

export type LinkReason = 'erp-number' | 'org-number' | 'email' | 'name-and-postal-code' | 'name';

/** Record a link between two existing records (first match). Field merges for the pair follow it. */
export interface LinkOperation extends Base {
  readonly kind: 'link';
  readonly crmId: string;
  readonly associateNo: number;
  readonly reason: LinkReason;
}

/** Write Business NXT's numbers (customer number, actor number) to HubSpot: they only ever flow this way. */
export interface WriteBackOperation extends Base {
  readonly kind: 'write-back';
  readonly crmId: string;
  readonly associateNo: number;
  readonly properties: Readonly<Record<string, string>>;
}

/** Both sides changed a `manual` field differently: queued for a person (`crm-sync conflicts`). */
export interface ConflictOperation extends Base {
  readonly kind: 'conflict';
  readonly crmId: string;
  readonly associateNo: number;
  readonly field: string;
  readonly crmValue: string | null;
  readonly erpValue: string | null;
  readonly reason: 'both-changed' | 'merged-records-linked-differently';
  readonly base: Fingerprint | undefined;
}

export type SkipReason =
  | 'invalid-data'
  | 'not-eligible'
  | 'no-company'
  | 'company-not-synced'
  | 'customer-not-synced'
  | 'email-at-other-company'
  | 'contact-customer-differs'
  | 'merged-in-hubspot';

/** Nothing is written for this record this cycle, for the reason given. */
export interface SkipOperation extends Base {
  readonly kind: 'skip';
  readonly system: System;
  readonly recordId: string;
  readonly reason: SkipReason;
  readonly message: string;
  readonly issues: readonly FieldIssue[];
  /** The other record(s) involved (the contact holding the same email, …), when there are any. */
  readonly related?: ReadonlyArray<{ readonly system: System; readonly recordId: string }>;
}

export interface Candidate {
  readonly system: System;
  readonly recordId: string;
  readonly score: number;
  readonly reason: 'erp-number' | 'org-number' | 'name-and-postal-code' | 'name' | 'email';
}

/** Possible matches found: no record is created until a person links them (or auto-linking is configured). */
export interface CandidatesOperation extends Base {
  readonly kind: 'candidates';
  readonly system: System;
  readonly recordId: string;
  readonly candidates: readonly Candidate[];
  readonly message: string;
}

/** State only: both sides already agree; the stored fingerprints catch up. No API write. */
export interface BaselineOperation extends Base {
  readonly kind: 'baseline';
  readonly crmId: string;
  readonly associateNo: number;
  readonly fingerprints: FingerprintUpdate;
}

/** A linked record was archived in HubSpot or deleted in Business NXT: the other side is kept, the link marked. */
export interface OrphanOperation extends Base {
  readonly kind: 'orphan';
  readonly crmId: string;
  readonly associateNo: number;
  readonly side: 'crm' | 'erp';
  readonly reason: 'archived-in-hubspot' | 'deleted-in-business-nxt';
}

/** An orphaned link whose HubSpot record was restored (it is live again, and its Business NXT row is there). */
export interface RestoreOperation extends Base {
  readonly kind: 'restore';
  readonly crmId: string;
  readonly associateNo: number;
  readonly reason: 'restored-in-hubspot';
}

/** A HubSpot merge: the link of the merged-away record moves to the surviving record. */
export interface RelinkOperation extends Base {
  readonly kind: 'relink';
  readonly fromCrmId: string;
  readonly toCrmId: string;
  readonly associateNo: number;
  readonly reason: 'hubspot-merge';
}

export type SyncOperation =
  | CreateErpOperation
  | CreateCrmOperation
  | UpdateErpOperation
  | UpdateCrmOperation
  | LinkOperation
  | WriteBackOperation
  | ConflictOperation
  | SkipOperation
  | CandidatesOperation
  | BaselineOperation
  | OrphanOperation
  | RestoreOperation
  | RelinkOperation;

export type OperationKind = SyncOperation['kind'];

/** Operation kinds that write to HubSpot or Business NXT (the rest only touch the state store or the report). */
export const writeKinds: ReadonlySet<OperationKind> = new Set([
  'create-erp',
  'create-crm',
  'update-erp',
  'update-crm',
  'write-back',
]);

export interface SyncPlan {
  readonly operations: readonly SyncOperation[];
  readonly counts: Readonly<Partial<Record<OperationKind, number>>>;
}
