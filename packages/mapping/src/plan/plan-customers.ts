import { companyNameKey } from '../match/name-key.js';
import type { CanonicalCustomer, CustomerSyncField } from '../model/customer.js';
import { type AssociateInput, associateToCustomer, customerToAssociateValues } from '../sources/associate.js';
import type { Mapped } from '../sources/collect.js';
import {
  customerToHubSpotProperties,
  erpNumbersToHubSpotProperties,
  type HubSpotObjectInput,
  hubSpotCompanyToCustomer,
} from '../sources/hubspot.js';
import {
  blockingIssues,
  byNumericId,
  creationFields,
  indexLinks,
  isLinkedCrm,
  isLinkedErp,
  type LinkIndex,
  type LinkState,
  newerSide,
  type PlanContext,
} from './context.js';
import { mergePair, writeFingerprints } from './merge-pair.js';
import type { Candidate, LinkReason } from './operations.js';

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
}

function mergedIds(company: HubSpotObjectInput): string[] {
  const raw = company.properties.hs_merged_object_ids;
  return raw
    ? raw
        .split(';')
        .filter((id) => id.trim() !== '')
        .map((id) => id.trim())
    : [];
}

function isEligible(context: PlanContext, company: HubSpotObjectInput): boolean {
  const rule = context.policy.customers.createInErp;
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  const value = company.properties[rule.property];
  return value !== null && value !== undefined && rule.values.includes(value);
}

/** Plans customers (DESIGN §2 step 3): merges, linked pairs, first-link matching, creates. Customers go first. */
export function planCustomers(context: PlanContext, input: CustomerPlanInput): void {
  const { policy, operations } = context;
  const names = policy.hubspotProperties;

  const crmById = new Map<string, CrmCompany>();
  for (const company of input.companies) {
    crmById.set(company.id, { input: company, mapped: hubSpotCompanyToCustomer(company, names) });
  }
  const erpByNo = new Map<number, ErpCustomer>();
  for (const customer of input.customers) {
    erpByNo.set(customer.associateNo, { input: customer, mapped: associateToCustomer(customer) });
  }
  const links = indexLinks(input.links);

  followMerges(context, [...crmById.values()], links);

  const linkedCrmIds = [...links.byCrm.keys()].sort(byNumericId);
  for (const crmId of linkedCrmIds) {
    const link = links.byCrm.get(crmId);
    if (link === undefined) continue;
    const ref = { kind: 'linked', crmId, associateNo: link.associateNo } as const;
    context.customersByCrmId.set(crmId, ref);
    context.customersByAssociateNo.set(link.associateNo, ref);
    const crm = crmById.get(crmId);
    const erp = erpByNo.get(link.associateNo);
    if (crm?.input.archived) {
      operations.push({
        id: `customer:orphan:${crmId}`,
        entity: 'customer',
        kind: 'orphan',
        crmId,
        associateNo: link.associateNo,
        side: 'crm',
        reason: 'archived-in-hubspot',
      });
    } else if (input.missingAssociateNos.has(link.associateNo)) {
      operations.push({
        id: `customer:orphan:${crmId}`,
        entity: 'customer',
        kind: 'orphan',
        crmId,
        associateNo: link.associateNo,
        side: 'erp',
        reason: 'deleted-in-business-nxt',
      });
    } else if (crm !== undefined && erp !== undefined) {
      mergeLinkedCustomer(context, crm, erp, link.fingerprints);
    }
  }

  matchAndCreate(context, crmById, erpByNo, links);
}

/**
 * A HubSpot merge leaves the survivor with `hs_merged_object_ids`. A link of a merged-away record moves to the
 * survivor; if the records involved were linked to different Business NXT customers, that is a conflict.
 */
function followMerges(context: PlanContext, companies: readonly CrmCompany[], links: LinkIndex): void {
  const survivors = companies.filter(
    (company) => !company.input.archived && mergedIds(company.input).length > 0,
  );
  survivors.sort((a, b) => byNumericId(a.input.id, b.input.id));
  for (const survivor of survivors) {
    const survivorId = survivor.input.id;
    const loserLinks = mergedIds(survivor.input)
      .map((id) => links.byCrm.get(id))
      .filter((link): link is LinkState => link !== undefined);
    if (loserLinks.length === 0) continue;
    const own = links.byCrm.get(survivorId);
    const associateNos = new Set([...loserLinks, ...(own ? [own] : [])].map((link) => link.associateNo));
    if (associateNos.size > 1) {
      const [first, second] = [...associateNos].sort((a, b) => a - b);
      context.operations.push({
        id: `customer:conflict:${survivorId}:merge`,
        entity: 'customer',
        kind: 'conflict',
        crmId: survivorId,
        associateNo: first ?? 0,
        field: 'link',
        crmValue: survivorId,
        erpValue: `${first} / ${second}`,
        reason: 'merged-records-linked-differently',
        base: undefined,
      });
      continue;
    }
    for (const loser of loserLinks) {
      links.byCrm.delete(loser.crmId);
      if (own === undefined) {
        const moved: LinkState = { ...loser, crmId: survivorId };
        links.byCrm.set(survivorId, moved);
        links.byErp.set(moved.associateNo, moved);
      }
      context.operations.push({
        id: `customer:relink:${loser.crmId}`,
        entity: 'customer',
        kind: 'relink',
        fromCrmId: loser.crmId,
        toCrmId: survivorId,
        associateNo: loser.associateNo,
        reason: 'hubspot-merge',
      });
    }
  }
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

/** Reports a record's blocking issues as one skip; returns whether there were any. */
function skipIfInvalid(
  context: PlanContext,
  system: 'hubspot' | 'visma-nxt',
  recordId: string,
  issues: ReturnType<typeof blockingIssues>,
): boolean {
  if (issues.length === 0) return false;
  context.operations.push({
    id: `customer:skip:${system}:${recordId}`,
    entity: 'customer',
    kind: 'skip',
    system,
    recordId,
    reason: 'invalid-data',
    message: issues.map((issue) => issue.message).join('; '),
    issues,
  });
  return true;
}

function mergeLinkedCustomer(
  context: PlanContext,
  crm: CrmCompany,
  erp: ErpCustomer,
  base: LinkState['fingerprints'],
): void {
  const { policy, operations, fingerprint } = context;
  const rules = policy.customers.fields;
  const crmId = crm.input.id;
  const associateNo = erp.input.associateNo;
  const crmInvalid = skipIfInvalid(context, 'hubspot', crmId, blockingIssues(crm.mapped.issues, rules));
  const erpInvalid = skipIfInvalid(
    context,
    'visma-nxt',
    String(associateNo),
    blockingIssues(erp.mapped.issues, rules),
  );
  if (crmInvalid || erpInvalid) return;

  const merge = mergePair(
    {
      fields: context.syncedCustomerFields,
      rules,
      crm: syncValues(crm.mapped.record),
      erp: syncValues(erp.mapped.record),
      base,
      newer: () =>
        newerSide(
          context.readTimestamp(crm.input.updatedAt),
          context.readTimestamp(erp.input.changedTimestamp),
        ),
    },
    fingerprint,
  );
  const erpWrite = customerToAssociateValues(merge.toErp, String(associateNo));
  if (skipIfInvalid(context, 'hubspot', crmId, [...erpWrite.issues])) return;

  const id = `customer:${crmId}:${associateNo}`;
  const prints = writeFingerprints(merge);
  if (Object.keys(merge.baseline).length > 0) {
    operations.push({
      id: `${id}:baseline`,
      entity: 'customer',
      kind: 'baseline',
      crmId,
      associateNo,
      fingerprints: merge.baseline,
    });
  }
  if (merge.erpChanges.length > 0) {
    operations.push({
      id: `${id}:update-erp`,
      entity: 'customer',
      kind: 'update-erp',
      crmId,
      associateNo,
      values: erpWrite.values,
      changes: merge.erpChanges,
      fingerprints: prints.erp,
    });
  }
  if (merge.crmChanges.length > 0) {
    operations.push({
      id: `${id}:update-crm`,
      entity: 'customer',
      kind: 'update-crm',
      crmId,
      associateNo,
      properties: customerToHubSpotProperties(merge.toCrm, policy.hubspotProperties),
      changes: merge.crmChanges,
      fingerprints: prints.crm,
    });
  }
  for (const field of merge.conflicts) {
    operations.push({
      id: `${id}:conflict:${field}`,
      entity: 'customer',
      kind: 'conflict',
      crmId,
      associateNo,
      field,
      crmValue: crm.mapped.record[field],
      erpValue: erp.mapped.record[field],
      reason: 'both-changed',
      base: base[field],
    });
  }
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

/** Both org numbers known and different: certainly not the same company, whatever the names say. */
function differentOrgNumbers(a: CanonicalCustomer, b: CanonicalCustomer): boolean {
  return a.orgNumber !== null && b.orgNumber !== null && a.orgNumber !== b.orgNumber;
}

function nameAndPostalKey(record: CanonicalCustomer): string | null {
  if (record.name === null || record.postalCode === null) return null;
  return `${companyNameKey(record.name)}|${record.postalCode}`;
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === null) continue;
    const group = groups.get(value);
    if (group) group.push(item);
    else groups.set(value, [item]);
  }
  return groups;
}

function matchAndCreate(
  context: PlanContext,
  crmById: ReadonlyMap<string, CrmCompany>,
  erpByNo: ReadonlyMap<number, ErpCustomer>,
  links: LinkIndex,
): void {
  const { policy, operations } = context;
  const rules = policy.customers.fields;
  const allCrm = [...crmById.values()].filter((company) => !company.input.archived);
  const allErp = [...erpByNo.values()];
  const unlinkedCrm = allCrm.filter((company) => !isLinkedCrm(links, company.input.id));
  const anyUnlinkedErp = allErp.some((customer) => !isLinkedErp(links, customer.input.associateNo));
  // Most cycles only see linked records: the matching indexes below are then not needed.
  if (unlinkedCrm.length === 0 && !anyUnlinkedErp) return;
  const crmByOrg = groupBy(allCrm, (company) => company.mapped.record.orgNumber);
  const erpByOrg = groupBy(allErp, (customer) => customer.mapped.record.orgNumber);
  const erpByNamePostal = groupBy(
    allErp.filter((customer) => !isLinkedErp(links, customer.input.associateNo)),
    (customer) => nameAndPostalKey(customer.mapped.record),
  );
  const claimedErp = new Set<number>();
  const heldErp = new Set<number>();

  const link = (crm: CrmCompany, erp: ErpCustomer, reason: LinkReason) => {
    const crmId = crm.input.id;
    const associateNo = erp.input.associateNo;
    claimedErp.add(associateNo);
    operations.push({
      id: `customer:link:${crmId}`,
      entity: 'customer',
      kind: 'link',
      crmId,
      associateNo,
      reason,
    });
    const ref = { kind: 'linked', crmId, associateNo } as const;
    context.customersByCrmId.set(crmId, ref);
    context.customersByAssociateNo.set(associateNo, ref);
    mergeLinkedCustomer(context, crm, erp, {});
  };
  const reportCandidates = (
    system: 'hubspot' | 'visma-nxt',
    recordId: string,
    candidates: Candidate[],
    why: string,
  ) => {
    for (const candidate of candidates)
      if (candidate.system === 'visma-nxt') heldErp.add(Number(candidate.recordId));
    operations.push({
      id: `customer:candidates:${system}:${recordId}`,
      entity: 'customer',
      kind: 'candidates',
      system,
      recordId,
      candidates,
      message: `${why}; nothing is created until they are linked: set ${policy.hubspotProperties.erpActorNo} on the HubSpot company to the right actor number, or fix the data`,
    });
  };
  const erpCandidate = (customer: ErpCustomer, reason: Candidate['reason'], score: number): Candidate => ({
    system: 'visma-nxt',
    recordId: String(customer.input.associateNo),
    score,
    reason,
  });

  unlinkedCrm.sort((a, b) => byNumericId(a.input.id, b.input.id));
  // Strong matches first (ERP number, org number), so a weak candidate never points at a record that a strong
  // match claims in the same plan (it would turn into a create one cycle later).
  const weak: CrmCompany[] = [];
  for (const crm of unlinkedCrm) {
    const crmId = crm.input.id;
    const record = crm.mapped.record;
    if (skipIfInvalid(context, 'hubspot', crmId, blockingIssues(crm.mapped.issues, rules))) continue;

    if (record.erpActorNo !== null) {
      const named = erpByNo.get(record.erpActorNo);
      const holder = links.byErp.get(record.erpActorNo);
      if (named !== undefined && holder === undefined && !claimedErp.has(record.erpActorNo)) {
        link(crm, named, 'erp-number');
        continue;
      }
      if (holder !== undefined) {
        operations.push({
          id: `customer:skip:hubspot:${crmId}`,
          entity: 'customer',
          kind: 'skip',
          system: 'hubspot',
          recordId: crmId,
          reason: 'erp-number-linked-elsewhere',
          message: `its ${policy.hubspotProperties.erpActorNo} names actor ${record.erpActorNo}, which is linked to HubSpot company ${holder.crmId}; merge the two companies in HubSpot`,
          issues: [],
        });
        continue;
      }
    }

    if (record.orgNumber !== null) {
      const sameOrgErp = erpByOrg.get(record.orgNumber) ?? [];
      const sameOrgCrm = crmByOrg.get(record.orgNumber) ?? [];
      const [only] = sameOrgErp;
      const onlyUnlinkedHere =
        only !== undefined &&
        sameOrgErp.length === 1 &&
        sameOrgCrm.length === 1 &&
        !isLinkedErp(links, only.input.associateNo) &&
        !claimedErp.has(only.input.associateNo);
      if (onlyUnlinkedHere) {
        link(crm, only, 'org-number');
        continue;
      }
      if (sameOrgErp.length > 0 || sameOrgCrm.length > 1) {
        reportCandidates(
          'hubspot',
          crmId,
          sameOrgErp.map((customer) => erpCandidate(customer, 'org-number', 1)),
          sameOrgErp.length > 1
            ? `${sameOrgErp.length} Business NXT customers share its organization number`
            : sameOrgCrm.length > 1
              ? `${sameOrgCrm.length} HubSpot companies share its organization number`
              : 'the Business NXT customer with its organization number is linked to another HubSpot company',
        );
        continue;
      }
    }

    weak.push(crm);
  }

  for (const crm of weak) {
    const crmId = crm.input.id;
    const record = crm.mapped.record;
    const key = nameAndPostalKey(record);
    const candidates = (key === null ? [] : (erpByNamePostal.get(key) ?? []))
      .filter((customer) => !claimedErp.has(customer.input.associateNo))
      .filter((customer) => !differentOrgNumbers(record, customer.mapped.record));
    const [single] = candidates;
    if (single !== undefined && candidates.length === 1 && policy.matching.autoLinkCandidates) {
      link(crm, single, 'name-and-postal-code');
      continue;
    }
    if (candidates.length > 0) {
      reportCandidates(
        'hubspot',
        crmId,
        candidates.map((customer) => erpCandidate(customer, 'name-and-postal-code', 0.8)),
        'a Business NXT customer has the same name and postal code',
      );
      continue;
    }

    if (!isEligible(context, crm.input)) {
      operations.push({
        id: `customer:skip:hubspot:${crmId}`,
        entity: 'customer',
        kind: 'skip',
        system: 'hubspot',
        recordId: crmId,
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
      !isLinkedErp(links, customer.input.associateNo) && !claimedErp.has(customer.input.associateNo),
  );
  unlinkedErp.sort((a, b) => a.input.associateNo - b.input.associateNo);
  for (const erp of unlinkedErp) {
    const associateNo = erp.input.associateNo;
    if (heldErp.has(associateNo)) continue;
    if (skipIfInvalid(context, 'visma-nxt', String(associateNo), blockingIssues(erp.mapped.issues, rules)))
      continue;
    const orgNumber = erp.mapped.record.orgNumber;
    const sameOrgCrm = orgNumber === null ? [] : (crmByOrg.get(orgNumber) ?? []);
    const sameOrgErp = orgNumber === null ? [] : (erpByOrg.get(orgNumber) ?? []);
    if (sameOrgCrm.length > 0 || sameOrgErp.length > 1) {
      reportCandidates(
        'visma-nxt',
        String(associateNo),
        [
          ...sameOrgCrm.map(
            (company): Candidate => ({
              system: 'hubspot',
              recordId: company.input.id,
              score: 1,
              reason: 'org-number',
            }),
          ),
          ...sameOrgErp
            .filter((other) => other.input.associateNo !== associateNo)
            .map((other) => erpCandidate(other, 'org-number', 1)),
        ],
        sameOrgErp.length > 1
          ? `${sameOrgErp.length} Business NXT customers share its organization number`
          : 'a HubSpot company with its organization number is linked to another Business NXT customer',
      );
      continue;
    }
    if (policy.customers.createInCrm) createInCrm(context, erp);
  }
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
  if (skipIfInvalid(context, 'hubspot', crmId, [...erpWrite.issues])) return;
  const id = `customer:create-erp:${crmId}`;
  context.operations.push({
    id,
    entity: 'customer',
    kind: 'create-erp',
    crmId,
    values: erpWrite.values,
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
