import { createCustomerMatcher } from '../match/customer-matcher.js';
import type { Match } from '../match/match.js';
import type { CanonicalCustomer, CustomerSyncField } from '../model/customer.js';
import { type AssociateInput, associateToCustomer, customerToAssociateValues } from '../sources/associate.js';
import type { Mapped } from '../sources/collect.js';
import {
  customerToHubSpotProperties,
  erpNumbersToHubSpotProperties,
  type HubSpotObjectInput,
  hubSpotCompanyToCustomer,
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
import type { Candidate } from './operations.js';

interface CrmCompany {
  readonly input: HubSpotObjectInput;
  readonly mapped: Mapped<CanonicalCustomer>;
}
interface ErpCustomer {
  readonly input: AssociateInput;
  readonly mapped: Mapped<CanonicalCustomer>;
}

export interface CustomerPlanInput {
  readonly companies: readonly HubSpotObjectInput[];
  readonly customers: readonly AssociateInput[];
  readonly links: readonly LinkState[];
  readonly missingAssociateNos: ReadonlySet<number>;
  /** Pairs a person said are different customers: never matched with each other. */
  readonly separated?: SeparatedTest | undefined;
}

function isEligible(context: PlanContext, company: HubSpotObjectInput): boolean {
  const rule = context.policy.customers.createInErp;
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  const value = company.properties[rule.property];
  return value !== null && value !== undefined && rule.values.includes(value);
}

/**
 * Plans customers (docs/DESIGN.md §2 step 3): merges, linked pairs, first-link matching, creates. Customers go
 * first.
 */
export function planCustomers(context: PlanContext, input: CustomerPlanInput): void {
  const { policy } = context;
  const names = policy.hubspotProperties;

  const crmById = new Map<string, CrmCompany>();
  for (const company of input.companies) {
    crmById.set(company.id, { input: company, mapped: hubSpotCompanyToCustomer(company, names) });
  }
  const erpByNo = new Map<number, ErpCustomer>();
  for (const customer of input.customers) {
    erpByNo.set(customer.associateNo, { input: customer, mapped: associateToCustomer(customer) });
  }
  const links = decidedLinkIndex(context, 'customer', input, crmById.values(), erpByNo.keys());

  const held = followMerges(context, 'customer', input.companies, links);

  const linkedCrmIds = [...links.byCrm.keys()].sort(byNumericId);
  for (const crmId of linkedCrmIds) {
    const link = links.byCrm.get(crmId);
    if (link === undefined) continue;
    const ref = { kind: 'linked', crmId, associateNo: link.associateNo } as const;
    context.customersByCrmId.set(crmId, ref);
    context.customersByAssociateNo.set(link.associateNo, ref);
    const crm = crmById.get(crmId);
    const erp = erpByNo.get(link.associateNo);
    const gone = orphanIfGone(
      context,
      'customer',
      link,
      crm?.input.archived === true,
      input.missingAssociateNos.has(link.associateNo),
    );
    if (!gone && crm !== undefined && erp !== undefined && !held.has(crmId)) {
      mergeLinkedCustomer(context, crm, erp, link.fingerprints);
    }
  }

  matchAndCreate(context, crmById, erpByNo, links, held, input.separated);
}

function syncValues(record: CanonicalCustomer): Record<CustomerSyncField, string | null> {
  return {
    orgNumber: record.orgNumber,
    name: record.name,
    addressLine1: record.addressLine1,
    addressLine2: record.addressLine2,
    postalCode: record.postalCode,
    city: record.city,
    country: record.country,
    phone: record.phone,
    email: record.email,
  };
}

function mergeLinkedCustomer(
  context: PlanContext,
  crm: CrmCompany,
  erp: ErpCustomer,
  base: LinkState['fingerprints'],
): void {
  const { policy, operations } = context;
  const crmId = crm.input.id;
  const associateNo = erp.input.associateNo;
  const planned = planLinkedPair(context, {
    entity: 'customer',
    crmId,
    associateNo,
    crm: {
      values: syncValues(crm.mapped.record),
      issues: crm.mapped.issues,
      timestamp: crm.input.updatedAt,
      fieldTimestamps: hubSpotFieldTimestamps(crm.input, 'customer', policy.hubspotProperties),
    },
    erp: {
      values: syncValues(erp.mapped.record),
      issues: erp.mapped.issues,
      timestamp: erp.input.changedTimestamp,
    },
    fields: context.syncedCustomerFields,
    rules: policy.customers.fields,
    base,
    toAssociateValues: customerToAssociateValues,
    toHubSpotProperties: (fields) => customerToHubSpotProperties(fields, policy.hubspotProperties),
  });
  if (!planned) return;
  const id = `customer:${crmId}:${associateNo}`;
  const { erpCustomerNo, erpActorNo } = erp.mapped.record;
  if (crm.mapped.record.erpCustomerNo !== erpCustomerNo || crm.mapped.record.erpActorNo !== erpActorNo) {
    operations.push({
      id: `${id}:write-back`,
      entity: 'customer',
      kind: 'write-back',
      crmId,
      associateNo,
      properties: erpNumbersToHubSpotProperties(
        { erpCustomerNo, erpActorNo: associateNo },
        policy.hubspotProperties,
      ),
    });
  }
}

function matchAndCreate(
  context: PlanContext,
  crmById: ReadonlyMap<string, CrmCompany>,
  erpByNo: ReadonlyMap<number, ErpCustomer>,
  links: LinkIndex,
  held: ReadonlySet<string>,
  separated: SeparatedTest | undefined,
): void {
  const { policy, operations } = context;
  const rules = policy.customers.fields;
  const allCrm = [...crmById.values()].filter((company) => !company.input.archived);
  const allErp = [...erpByNo.values()];
  // A survivor held by a merge conflict stays in view for matching others, but is neither matched nor created.
  const unlinkedCrm = allCrm.filter(
    (company) => !isLinkedCrm(links, company.input.id) && !held.has(company.input.id),
  );
  const anyUnlinkedErp = allErp.some((customer) => !isLinkedErp(links, customer.input.associateNo));
  // Most cycles only see linked records: then there is nothing to match.
  if (unlinkedCrm.length === 0 && !anyUnlinkedErp) return;
  const matcher = createCustomerMatcher({
    companies: allCrm.map((company) => ({ crmId: company.input.id, record: company.mapped.record })),
    customers: allErp.map((customer) => ({
      associateNo: customer.input.associateNo,
      record: customer.mapped.record,
    })),
    linkOf: (associateNo) =>
      links.byErp.get(associateNo)?.crmId ?? (links.retiredAssociateNos.has(associateNo) ? true : undefined),
    autoLinkCandidates: policy.matching.autoLinkCandidates,
    separated,
  });

  const settle = (crm: CrmCompany, match: Match<number>): boolean => {
    const crmId = crm.input.id;
    if (match.kind === 'linked') {
      const erp = erpByNo.get(match.target);
      if (erp === undefined) return false;
      operations.push({
        id: `customer:link:${crmId}`,
        entity: 'customer',
        kind: 'link',
        crmId,
        associateNo: match.target,
        reason: match.reason,
      });
      const ref = { kind: 'linked', crmId, associateNo: match.target } as const;
      context.customersByCrmId.set(crmId, ref);
      context.customersByAssociateNo.set(match.target, ref);
      mergeLinkedCustomer(context, crm, erp, {});
      return true;
    }
    if (match.kind === 'candidates') {
      reportCandidates(context, 'hubspot', crmId, match.candidates, match.reason);
      return true;
    }
    return false;
  };

  unlinkedCrm.sort((a, b) => byNumericId(a.input.id, b.input.id));
  const valid = unlinkedCrm.filter(
    (crm) =>
      !skipInvalid(context, 'customer', 'hubspot', crm.input.id, blockingIssues(crm.mapped.issues, rules)),
  );
  // Every sure match first, so a candidate never points at a customer that a sure match takes in this plan.
  const unmatched = valid.filter(
    (crm) => !settle(crm, matcher.strong({ crmId: crm.input.id, record: crm.mapped.record })),
  );
  for (const crm of unmatched) {
    if (settle(crm, matcher.weak({ crmId: crm.input.id, record: crm.mapped.record }))) continue;
    if (!isEligible(context, crm.input)) {
      operations.push({
        id: `customer:skip:hubspot:${crm.input.id}`,
        entity: 'customer',
        kind: 'skip',
        system: 'hubspot',
        recordId: crm.input.id,
        reason: 'not-eligible',
        message: 'not a customer by the configured filter (customers.createInErp)',
        issues: [],
      });
      continue;
    }
    createInErp(context, crm);
  }

  const unlinkedErp = allErp.filter(
    (customer) =>
      !isLinkedErp(links, customer.input.associateNo) && !matcher.isClaimed(customer.input.associateNo),
  );
  unlinkedErp.sort((a, b) => a.input.associateNo - b.input.associateNo);
  for (const erp of unlinkedErp) {
    const associateNo = erp.input.associateNo;
    if (matcher.isHeld(associateNo)) continue;
    if (
      skipInvalid(
        context,
        'customer',
        'visma-nxt',
        String(associateNo),
        blockingIssues(erp.mapped.issues, rules),
      )
    )
      continue;
    const match = matcher.forCustomer({ associateNo, record: erp.mapped.record });
    if (match.kind === 'candidates')
      reportCandidates(context, 'visma-nxt', String(associateNo), match.candidates, match.reason);
    else if (policy.customers.createInCrm) createInCrm(context, erp);
  }
}

function reportCandidates(
  context: PlanContext,
  system: 'hubspot' | 'visma-nxt',
  recordId: string,
  candidates: readonly Candidate[],
  why: string,
): void {
  context.operations.push({
    id: `customer:candidates:${system}:${recordId}`,
    entity: 'customer',
    kind: 'candidates',
    system,
    recordId,
    candidates,
    message: `${why}; nothing is created until they are linked: set ${context.policy.hubspotProperties.erpActorNo} on the HubSpot company to the right actor number, or fix the data`,
  });
}

function createInErp(context: PlanContext, crm: CrmCompany): void {
  const rules = context.policy.customers.fields;
  const crmId = crm.input.id;
  const created = creationFields(
    context.syncedCustomerFields,
    rules,
    syncValues(crm.mapped.record),
    'crm',
    context.fingerprint,
  );
  const erpWrite = customerToAssociateValues(created.values, null);
  if (skipInvalid(context, 'customer', 'hubspot', crmId, [...erpWrite.issues])) return;
  const id = `customer:create-erp:${crmId}`;
  context.operations.push({
    id,
    entity: 'customer',
    kind: 'create-erp',
    crmId,
    // The policy's column defaults for new customers (create only); a value the mapping sets is kept.
    values: { ...context.policy.customers.createDefaults, ...erpWrite.values },
    changes: created.changes,
    fingerprints: created.fingerprints,
  });
  context.customersByCrmId.set(crmId, { kind: 'planned', operationId: id });
}

function createInCrm(context: PlanContext, erp: ErpCustomer): void {
  const { policy } = context;
  const associateNo = erp.input.associateNo;
  const record = erp.mapped.record;
  const created = creationFields(
    context.syncedCustomerFields,
    policy.customers.fields,
    syncValues(record),
    'erp',
    context.fingerprint,
  );
  const id = `customer:create-crm:${associateNo}`;
  context.operations.push({
    id,
    entity: 'customer',
    kind: 'create-crm',
    associateNo,
    properties: {
      ...customerToHubSpotProperties(created.values, policy.hubspotProperties),
      ...erpNumbersToHubSpotProperties(
        { erpCustomerNo: record.erpCustomerNo, erpActorNo: associateNo },
        policy.hubspotProperties,
      ),
    },
    changes: created.changes,
    fingerprints: created.fingerprints,
  });
  context.customersByAssociateNo.set(associateNo, { kind: 'planned', operationId: id });
}
