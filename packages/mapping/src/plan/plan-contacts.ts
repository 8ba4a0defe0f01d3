import type { FieldIssue } from '../issues.js';
import { createContactMatcher } from '../match/contact-matcher.js';
import type { Match } from '../match/match.js';
import { mergeField } from '../merge/merge-field.js';
import type { CanonicalContact, ContactSyncField } from '../model/contact.js';
import { type AssociateInput, associateToContact, contactToAssociateValues } from '../sources/associate.js';
import type { Mapped } from '../sources/collect.js';
import {
  contactCompanyId,
  contactToHubSpotProperties,
  erpNumbersToHubSpotProperties,
  type HubSpotContactInput,
  hubSpotContactToContact,
  hubSpotFieldTimestamps,
} from '../sources/hubspot.js';
import {
  blockingIssues,
  byNumericId,
  creationFields,
  isLinkedCrm,
  isLinkedErp,
  type LinkIndex,
  type LinkState,
  orphanIfGone,
  type PlanContext,
  type SeparatedTest,
  skipInvalid,
} from './context.js';
import { followMerges } from './follow-merges.js';
import { decidedLinkIndex } from './link-decisions.js';
import { planLinkedPair } from './linked-pair.js';
import type { CustomerRef, FieldChange, SkipReason, SyncOperation, System } from './operations.js';

interface CrmContact {
  readonly input: HubSpotContactInput;
  readonly mapped: Mapped<CanonicalContact>;
  readonly customer: CustomerRef | undefined;
}
interface ErpContact {
  readonly input: AssociateInput;
  readonly mapped: Mapped<CanonicalContact>;
  readonly customer: CustomerRef | undefined;
}

export interface ContactPlanInput {
  readonly contacts: readonly HubSpotContactInput[];
  readonly contactPersons: readonly AssociateInput[];
  readonly links: readonly LinkState[];
  readonly missingAssociateNos: ReadonlySet<number>;
  /** Pairs a person said are different people: never matched with each other. */
  readonly separated?: SeparatedTest | undefined;
}

function syncValues(record: CanonicalContact): Record<ContactSyncField, string | null> {
  return { name: record.name, email: record.email, phone: record.phone, mobile: record.mobile };
}

function customerKey(ref: CustomerRef | undefined): string | null {
  if (ref === undefined) return null;
  return ref.kind === 'linked' ? `linked:${ref.associateNo}` : `planned:${ref.operationId}`;
}

function skip(
  context: PlanContext,
  system: System,
  recordId: string,
  reason: SkipReason,
  message: string,
  issues: readonly FieldIssue[] = [],
  related?: ReadonlyArray<{ readonly system: System; readonly recordId: string }>,
): void {
  context.operations.push({
    id: `contact:skip:${system}:${recordId}`,
    entity: 'contact',
    kind: 'skip',
    system,
    recordId,
    reason,
    message,
    issues,
    ...(related === undefined ? {} : { related }),
  });
}

/** Plans contact persons after customers, so a contact can follow its customer's create in the same plan. */
export function planContacts(context: PlanContext, input: ContactPlanInput): void {
  const names = context.policy.hubspotProperties;
  const crmById = new Map<string, CrmContact>();
  for (const contact of input.contacts) {
    const companyId = contactCompanyId(contact);
    crmById.set(contact.id, {
      input: contact,
      mapped: hubSpotContactToContact(contact, names),
      customer: companyId === null ? undefined : context.customersByCrmId.get(companyId),
    });
  }
  const erpByNo = new Map<number, ErpContact>();
  for (const person of input.contactPersons) {
    const mapped = associateToContact(person);
    const parent = mapped.record.customerActorNo;
    erpByNo.set(person.associateNo, {
      input: person,
      mapped,
      customer: parent === null ? undefined : context.customersByAssociateNo.get(parent),
    });
  }
  const links = decidedLinkIndex(context, 'contact', input, crmById.values(), erpByNo.keys());

  // Before the linked pairs: a merge survivor that takes a link is then merged as a linked pair.
  const held = followMerges(context, 'contact', input.contacts, links);

  for (const crmId of [...links.byCrm.keys()].sort(byNumericId)) {
    const link = links.byCrm.get(crmId);
    if (link === undefined) continue;
    const crm = crmById.get(crmId);
    const erp = erpByNo.get(link.associateNo);
    const gone = orphanIfGone(
      context,
      'contact',
      link,
      crm?.input.archived === true,
      input.missingAssociateNos.has(link.associateNo),
    );
    if (!gone && crm !== undefined && erp !== undefined && !held.has(crmId)) {
      mergeLinkedContact(context, crm, erp, link.fingerprints);
    }
  }

  matchAndCreate(context, crmById, erpByNo, links, held, input.separated);
}

function mergeLinkedContact(
  context: PlanContext,
  crm: CrmContact,
  erp: ErpContact,
  base: LinkState['fingerprints'],
): void {
  const { policy, operations } = context;
  const crmId = crm.input.id;
  const associateNo = erp.input.associateNo;
  const first = operations.length;
  const planned = planLinkedPair(context, {
    entity: 'contact',
    crmId,
    associateNo,
    crm: {
      values: syncValues(crm.mapped.record),
      issues: crm.mapped.issues,
      timestamp: crm.input.updatedAt,
      fieldTimestamps: hubSpotFieldTimestamps(crm.input, 'contact', policy.hubspotProperties),
    },
    erp: {
      values: syncValues(erp.mapped.record),
      issues: erp.mapped.issues,
      timestamp: erp.input.changedTimestamp,
    },
    fields: context.syncedContactFields,
    rules: policy.contacts.fields,
    base,
    toAssociateValues: contactToAssociateValues,
    toHubSpotProperties: contactToHubSpotProperties,
  });
  if (!planned) return;
  planCustomerRelation(context, crm, erp, base, first);
  const id = `contact:${crmId}:${associateNo}`;
  if (crm.mapped.record.erpActorNo !== associateNo) {
    operations.push({
      id: `${id}:write-back`,
      entity: 'contact',
      kind: 'write-back',
      crmId,
      associateNo,
      properties: erpNumbersToHubSpotProperties({ erpActorNo: associateNo }, policy.hubspotProperties),
    });
  }
}

/** The fingerprint key under which a contact link keeps the customer (its actor number) it was last synced with. */
export const customerRelationField = 'customer';

/**
 * Which customer a linked contact belongs to: the HubSpot contact's company (primary, else the lowest associated)
 * through its customer link, against the Business NXT contact person's customer, three-way against the customer
 * last synced (`customer` fingerprint), under `contacts.customer` of the policy. A move on one side follows on the
 * other (an `update-erp` of `contactPersonForAssociateNo`, or an `update-crm` of the primary company, folded into
 * the pair's field update when there is one). A move to a company or customer that is not a synced customer is
 * held, naming the contact, the `customer` field, the rule and the company: nothing moves either way until it is
 * synced or the contact moves back. A side with no company at all moves nothing. Fields sync in every case.
 */
function planCustomerRelation(
  context: PlanContext,
  crm: CrmContact,
  erp: ErpContact,
  base: LinkState['fingerprints'],
  first: number,
): void {
  const rule = context.policy.contacts.customer;
  if (rule.direction === 'none') return;
  const companyId = contactCompanyId(crm.input);
  const parent = erp.mapped.record.customerActorNo;
  if (companyId === null || parent === null) return;
  const crmId = crm.input.id;
  const associateNo = erp.input.associateNo;
  const crmCustomer = crm.customer?.kind === 'linked' ? crm.customer : undefined;
  const erpCustomer = erp.customer?.kind === 'linked' ? erp.customer : undefined;
  const contactPerson = { system: 'visma-nxt', recordId: String(associateNo) } as const;
  const hubSpotContact = { system: 'hubspot', recordId: crmId } as const;
  if (crmCustomer === undefined) {
    const message = `its company ${companyId} in HubSpot is not a synced customer: Business NXT contact person ${associateNo} stays with customer actor ${parent} until the company is synced or the contact is moved back; its fields still sync`;
    skip(
      context,
      'hubspot',
      crmId,
      'customer-not-synced',
      message,
      [
        {
          system: 'hubspot',
          recordId: crmId,
          field: customerRelationField,
          rule: 'customer-not-synced',
          message,
        },
      ],
      [{ system: 'hubspot', recordId: companyId }, contactPerson],
    );
  }
  if (erpCustomer === undefined) {
    const message = `its customer (actor ${parent}) in Business NXT is not a synced customer: HubSpot contact ${crmId} keeps its company until that customer is synced or the contact person is moved back; its fields still sync`;
    skip(
      context,
      'visma-nxt',
      String(associateNo),
      'customer-not-synced',
      message,
      [
        {
          system: 'visma-nxt',
          recordId: String(associateNo),
          field: customerRelationField,
          rule: 'customer-not-synced',
          message,
        },
      ],
      [{ system: 'visma-nxt', recordId: String(parent) }, hubSpotContact],
    );
  }
  if (crmCustomer === undefined || erpCustomer === undefined) return;

  const crmNo = String(crmCustomer.associateNo);
  const erpNo = String(erpCustomer.associateNo);
  const decision = mergeField(
    {
      field: customerRelationField,
      crm: crmNo,
      erp: erpNo,
      crmKey: crmNo,
      erpKey: erpNo,
      base: base[customerRelationField],
      rule: { direction: rule.direction, policy: rule.policy, clearOnEmpty: false },
      // Record timestamps say nothing about the relation: HubSpot keeps associations apart from properties.
      newer: () => null,
    },
    context.fingerprint,
  );
  const id = `contact:${crmId}:${associateNo}`;
  switch (decision.action) {
    case 'baseline':
      amend(context, first, {
        id: `${id}:baseline`,
        entity: 'contact',
        kind: 'baseline',
        crmId,
        associateNo,
        fingerprints: { [customerRelationField]: decision.fingerprint },
      });
      return;
    case 'write-erp': {
      const change: FieldChange = {
        field: customerRelationField,
        before: erpNo,
        after: crmNo,
        reason: decision.reason,
      };
      amend(context, first, {
        id: `${id}:update-erp`,
        entity: 'contact',
        kind: 'update-erp',
        crmId,
        associateNo,
        values: { contactPersonForAssociateNo: crmCustomer.associateNo },
        changes: [change],
        fingerprints: { [customerRelationField]: decision.fingerprint },
      });
      return;
    }
    case 'write-crm': {
      const change: FieldChange = {
        field: customerRelationField,
        before: companyId,
        after: erpCustomer.crmId,
        reason: decision.reason,
      };
      amend(context, first, {
        id: `${id}:update-crm`,
        entity: 'contact',
        kind: 'update-crm',
        crmId,
        associateNo,
        properties: {},
        changes: [change],
        fingerprints: { [customerRelationField]: decision.fingerprint },
        primaryCompany: { crmId: erpCustomer.crmId, previousCrmId: companyId },
      });
      return;
    }
    case 'conflict': {
      const message = `its company in HubSpot (${companyId}) and its customer in Business NXT (actor ${parent}) differ, and which one moved is not known (both moved, or the pair was never synced with its customer); its fields still sync: move it in one system to match the other`;
      skip(
        context,
        'hubspot',
        crmId,
        'contact-customer-differs',
        message,
        [
          {
            system: 'hubspot',
            recordId: crmId,
            field: customerRelationField,
            rule: 'contact-customer-differs',
            message,
          },
        ],
        [
          { system: 'hubspot', recordId: companyId },
          { system: 'visma-nxt', recordId: String(parent) },
          contactPerson,
        ],
      );
      return;
    }
    case 'none':
    case 'hold':
      return;
  }
}

/** A new contact link's base for its customer, when the customer is linked already (else the next plan stores it). */
function relationFingerprints(
  context: PlanContext,
  customer: CustomerRef,
): { relationFingerprints?: Record<string, string> } {
  if (customer.kind !== 'linked') return {};
  return {
    relationFingerprints: {
      [customerRelationField]: context.fingerprint(customerRelationField, String(customer.associateNo)),
    },
  };
}

type Amendable = Extract<SyncOperation, { kind: 'baseline' | 'update-erp' | 'update-crm' }>;

/**
 * Adds an operation for the pair, or folds it into the one of the same id the pair's field merge planned (searched
 * among the operations planned since `first` only): one write per side and record.
 */
function amend(context: PlanContext, first: number, operation: Amendable): void {
  const { operations } = context;
  for (let index = first; index < operations.length; index += 1) {
    const existing = operations[index];
    if (existing?.id !== operation.id || existing.kind !== operation.kind) continue;
    operations[index] = merged(existing, operation);
    return;
  }
  operations.push(operation);
}

function merged(existing: Amendable, added: Amendable): Amendable {
  const fingerprints = { ...existing.fingerprints, ...added.fingerprints };
  if (existing.kind === 'update-erp' && added.kind === 'update-erp')
    return {
      ...existing,
      values: { ...existing.values, ...added.values },
      changes: [...existing.changes, ...added.changes],
      fingerprints,
    };
  if (existing.kind === 'update-crm' && added.kind === 'update-crm')
    return {
      ...existing,
      changes: [...existing.changes, ...added.changes],
      fingerprints,
      ...(added.primaryCompany === undefined ? {} : { primaryCompany: added.primaryCompany }),
    };
  return { ...existing, fingerprints };
}

function matchAndCreate(
  context: PlanContext,
  crmById: ReadonlyMap<string, CrmContact>,
  erpByNo: ReadonlyMap<number, ErpContact>,
  links: LinkIndex,
  held: ReadonlySet<string>,
  separated: SeparatedTest | undefined,
): void {
  const { policy, operations } = context;
  const rules = policy.contacts.fields;
  const unlinkedCrm = [...crmById.values()].filter(
    (contact) =>
      !contact.input.archived && !isLinkedCrm(links, contact.input.id) && !held.has(contact.input.id),
  );
  const unlinkedErp = [...erpByNo.values()].filter((person) => !isLinkedErp(links, person.input.associateNo));
  if (unlinkedCrm.length === 0 && unlinkedErp.length === 0) return;
  const matcher = createContactMatcher({
    persons: [...erpByNo.values()].map((person) => ({
      associateNo: person.input.associateNo,
      record: person.mapped.record,
      customerKey: customerKey(person.customer),
    })),
    isLinked: (associateNo) => isLinkedErp(links, associateNo),
    autoLinkCandidates: policy.matching.autoLinkCandidates,
    separated,
  });
  const matchable = (contact: CrmContact) => ({
    crmId: contact.input.id,
    record: contact.mapped.record,
    customerKey: customerKey(contact.customer),
  });
  const settle = (crm: CrmContact, match: Match<number>): boolean => {
    const crmId = crm.input.id;
    if (match.kind === 'linked') {
      const erp = erpByNo.get(match.target);
      if (erp === undefined) return false;
      operations.push({
        id: `contact:link:${crmId}`,
        entity: 'contact',
        kind: 'link',
        crmId,
        associateNo: match.target,
        reason: match.reason,
      });
      mergeLinkedContact(context, crm, erp, {});
      return true;
    }
    if (match.kind === 'candidates') {
      operations.push({
        id: `contact:candidates:hubspot:${crmId}`,
        entity: 'contact',
        kind: 'candidates',
        system: 'hubspot',
        recordId: crmId,
        candidates: match.candidates,
        message: `${match.reason}; nothing is created until they are linked: set ${policy.hubspotProperties.erpActorNo} on the HubSpot contact to the right actor number, or fix the data`,
      });
      return true;
    }
    return false;
  };

  unlinkedCrm.sort((a, b) => byNumericId(a.input.id, b.input.id));
  const valid = unlinkedCrm.filter(
    (crm) =>
      !skipInvalid(context, 'contact', 'hubspot', crm.input.id, blockingIssues(crm.mapped.issues, rules)),
  );
  // Every sure match first (stored actor number, email within the customer), then same-name candidates.
  const unmatched = valid.filter((crm) => !settle(crm, matcher.strong(matchable(crm))));
  for (const crm of unmatched) {
    const crmId = crm.input.id;
    if (crm.customer === undefined) {
      const companyId = contactCompanyId(crm.input);
      if (companyId === null) skip(context, 'hubspot', crmId, 'no-company', 'is associated with no company');
      else {
        skip(
          context,
          'hubspot',
          crmId,
          'company-not-synced',
          `its company ${companyId} is not a synced customer, so it has no customer to be a contact person for`,
        );
      }
      continue;
    }
    if (settle(crm, matcher.weak(matchable(crm)))) continue;
    if (policy.contacts.createInErp) createInErp(context, crm, crm.customer);
  }

  const remaining = unlinkedErp.filter(
    (person) => !matcher.isClaimed(person.input.associateNo) && !matcher.isHeld(person.input.associateNo),
  );
  createMissingInCrm(context, remaining, crmById);
}

/**
 * Contact persons with no HubSpot contact, lowest associate number first. HubSpot allows one contact per email,
 * also within one batch create: a person whose email a HubSpot contact has, or a contact this plan creates with
 * it, is skipped naming that record.
 */
function createMissingInCrm(
  context: PlanContext,
  persons: readonly ErpContact[],
  crmById: ReadonlyMap<string, CrmContact>,
): void {
  const rules = context.policy.contacts.fields;
  const crmByEmail = new Map<string, CrmContact[]>();
  for (const contact of crmById.values()) {
    const email = contact.mapped.record.email;
    if (email !== null && !contact.input.archived)
      crmByEmail.set(email, [...(crmByEmail.get(email) ?? []), contact]);
  }
  const createdByEmail = new Map<string, number>();
  for (const erp of [...persons].sort((a, b) => a.input.associateNo - b.input.associateNo)) {
    const recordId = String(erp.input.associateNo);
    if (skipInvalid(context, 'contact', 'visma-nxt', recordId, blockingIssues(erp.mapped.issues, rules)))
      continue;
    if (erp.customer === undefined) {
      skipWithoutCustomer(context, erp);
      continue;
    }
    const email = erp.mapped.record.email;
    const sameEmail = email === null ? [] : (crmByEmail.get(email) ?? []);
    if (sameEmail.length > 0) {
      // HubSpot contact emails are unique: creating would fail with 409, so name the existing contact instead.
      skip(
        context,
        'visma-nxt',
        recordId,
        'email-at-other-company',
        `HubSpot contact ${sameEmail.map((contact) => contact.input.id).join(', ')} already has its email but belongs to another company`,
      );
      continue;
    }
    const first = email === null ? undefined : createdByEmail.get(email);
    if (first !== undefined) {
      skip(
        context,
        'visma-nxt',
        recordId,
        'email-at-other-company',
        `contact person ${first} has the same email and becomes its HubSpot contact in this cycle; HubSpot allows one contact per email`,
      );
      continue;
    }
    if (!context.policy.contacts.createInCrm) continue;
    const written = createInCrm(context, erp, erp.customer);
    // Only a create that writes the email takes it: one without (email not flowing to HubSpot) holds nobody back.
    if (email !== null && written.email !== undefined) createdByEmail.set(email, erp.input.associateNo);
  }
}

function skipWithoutCustomer(context: PlanContext, erp: ErpContact): void {
  const parent = erp.mapped.record.customerActorNo;
  skip(
    context,
    'visma-nxt',
    String(erp.input.associateNo),
    'customer-not-synced',
    parent === null
      ? 'is a contact person for no customer'
      : `its customer (actor ${parent}) is not synced, so it has no HubSpot company to belong to`,
  );
}

function createInErp(context: PlanContext, crm: CrmContact, customer: CustomerRef): void {
  const crmId = crm.input.id;
  const created = creationFields(
    context.syncedContactFields,
    context.policy.contacts.fields,
    syncValues(crm.mapped.record),
    'crm',
    context.fingerprint,
  );
  const erpWrite = contactToAssociateValues(created.values, null);
  if (skipInvalid(context, 'contact', 'hubspot', crmId, [...erpWrite.issues])) return;
  context.operations.push({
    id: `contact:create-erp:${crmId}`,
    entity: 'contact',
    kind: 'create-erp',
    crmId,
    values: erpWrite.values,
    changes: created.changes,
    fingerprints: created.fingerprints,
    customer,
    ...relationFingerprints(context, customer),
  });
}

/** Plans the HubSpot create of a contact person; returns the properties it writes. */
function createInCrm(
  context: PlanContext,
  erp: ErpContact,
  customer: CustomerRef,
): Readonly<Record<string, string>> {
  const associateNo = erp.input.associateNo;
  const created = creationFields(
    context.syncedContactFields,
    context.policy.contacts.fields,
    syncValues(erp.mapped.record),
    'erp',
    context.fingerprint,
  );
  const properties = {
    ...contactToHubSpotProperties(created.values),
    ...erpNumbersToHubSpotProperties({ erpActorNo: associateNo }, context.policy.hubspotProperties),
  };
  context.operations.push({
    id: `contact:create-crm:${associateNo}`,
    entity: 'contact',
    kind: 'create-crm',
    associateNo,
    properties,
    changes: created.changes,
    fingerprints: created.fingerprints,
    customer,
    ...relationFingerprints(context, customer),
  });
  return properties;
}
