import type { SyncPolicy } from '../config/policy.js';
import { createFingerprinter } from '../merge/fingerprint.js';
import { createTimestampReader } from '../merge/timestamps.js';
import { contactSyncFields } from '../model/contact.js';
import { customerSyncFields } from '../model/customer.js';
import type { AssociateInput } from '../sources/associate.js';
import type { HubSpotContactInput, HubSpotObjectInput } from '../sources/hubspot.js';
import { type LinkState, type PlanContext, type RecordPair, separatedTest } from './context.js';
import type { OperationKind, SyncPlan } from './operations.js';
import { planContacts } from './plan-contacts.js';
import { planCustomers } from './plan-customers.js';

export interface PlanInput {
  readonly hubspot: {
    readonly companies: readonly HubSpotObjectInput[];
    readonly contacts: readonly HubSpotContactInput[];
  };
  readonly erp: {
    readonly customers: readonly AssociateInput[];
    readonly contactPersons: readonly AssociateInput[];
    /** Linked associate numbers that were looked up and not found: deleted in Business NXT. */
    readonly missingAssociateNos?: readonly number[];
  };
  readonly links: { readonly customers: readonly LinkState[]; readonly contacts: readonly LinkState[] };
  /**
   * Pairs a person said are two different records (e.g. candidates kept apart): neither is matched with the other
   * or reported as its candidate, so each is planned as unmatched unless something else matches it.
   */
  readonly separated?: {
    readonly customers?: readonly RecordPair[];
    readonly contacts?: readonly RecordPair[];
  };
  readonly policy: SyncPolicy;
  /** The installation's secret for fingerprints (at least 16 characters). */
  readonly fingerprintKey: string;
  /** IANA zone for Business NXT timestamps without an offset. Default Europe/Oslo. */
  readonly erpTimeZone?: string;
}

/**
 * Plans one sync cycle from what was read on both sides and the stored links (docs/DESIGN.md §2 step 3). Pure and
 * deterministic: the same input gives the same operations in the same order. Customers come before contacts,
 * and a contact whose customer is created in this plan refers to that create by operation id.
 */
export function planSync(input: PlanInput): SyncPlan {
  const context: PlanContext = {
    policy: input.policy,
    fingerprint: createFingerprinter(input.fingerprintKey),
    readTimestamp: createTimestampReader(input.erpTimeZone),
    operations: [],
    syncedCustomerFields: customerSyncFields.filter(
      (field) => input.policy.customers.fields[field].direction !== 'none',
    ),
    syncedContactFields: contactSyncFields.filter(
      (field) => input.policy.contacts.fields[field].direction !== 'none',
    ),
    customersByCrmId: new Map(),
    customersByAssociateNo: new Map(),
  };
  const missingAssociateNos = new Set(input.erp.missingAssociateNos ?? []);
  planCustomers(context, {
    companies: input.hubspot.companies,
    customers: input.erp.customers,
    links: input.links.customers,
    missingAssociateNos,
    separated: separatedTest(input.separated?.customers),
  });
  planContacts(context, {
    contacts: input.hubspot.contacts,
    contactPersons: input.erp.contactPersons,
    links: input.links.contacts,
    missingAssociateNos,
    separated: separatedTest(input.separated?.contacts),
  });
  const counts: Partial<Record<OperationKind, number>> = {};
  for (const operation of context.operations) counts[operation.kind] = (counts[operation.kind] ?? 0) + 1;
  return { operations: context.operations, counts };
}
