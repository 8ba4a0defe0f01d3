import type { CanonicalCustomer } from '../model/customer.js';
import type { Candidate } from '../plan/operations.js';
import { type Match, noMatch } from './match.js';
import { companyNameKey } from './name-key.js';

export interface MatchableCompany {
  readonly crmId: string;
  readonly record: CanonicalCustomer;
}
export interface MatchableCustomer {
  readonly associateNo: number;
  readonly record: CanonicalCustomer;
}

export interface CustomerMatcherInput {
  /** Every HubSpot company in view (linked or not, archived ones left out). */
  readonly companies: readonly MatchableCompany[];
  /** Every Business NXT customer in view (linked or not). */
  readonly customers: readonly MatchableCustomer[];
  /** The HubSpot id an associate is linked to, or `true` for an orphaned link; `undefined` when unlinked. */
  readonly linkOf: (associateNo: number) => string | true | undefined;
  /** Link a single name + postal code candidate without asking. */
  readonly autoLinkCandidates: boolean;
  /**
   * Pairs a person said are different customers: never matched by organization number or name, nor candidates of
   * each other. The actor number stored on the HubSpot company still links (a person sets it to link them).
   */
  readonly separated?: ((crmId: string, associateNo: number) => boolean) | undefined;
}

/**
 * What makes two customers name + postal code candidates: the same name key (`companyNameKey`) in the same postal
 * code; `null` when either is missing. Callers that fetch candidates from a whole system compare with it.
 */
export function customerCandidateKey(record: CanonicalCustomer): string | null {
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

const erpCandidate = (
  customer: MatchableCustomer,
  reason: Candidate['reason'],
  score: number,
): Candidate => ({
  system: 'visma-nxt',
  recordId: String(customer.associateNo),
  score,
  reason,
});

/**
 * First-link matching for customers (docs/DESIGN.md §4). `strong` finds sure matches: the actor number stored on the
 * HubSpot company (what `relink` relies on), then the organization number, exact and unambiguous. `weak` finds
 * name + postal code candidates. Call `strong` for every unlinked company before any `weak`, so a candidate never
 * points at a customer that a sure match takes in the same plan. A customer returned as `linked` is claimed.
 */
export function createCustomerMatcher(input: CustomerMatcherInput) {
  const byAssociateNo = new Map(input.customers.map((customer) => [customer.associateNo, customer]));
  const companiesByOrg = groupBy(input.companies, (company) => company.record.orgNumber);
  const customersByOrg = groupBy(input.customers, (customer) => customer.record.orgNumber);
  const unlinkedByNamePostal = groupBy(
    input.customers.filter((customer) => input.linkOf(customer.associateNo) === undefined),
    (customer) => customerCandidateKey(customer.record),
  );
  const claimed = new Set<number>();
  const held = new Set<number>();
  const apart = input.separated ?? (() => false);
  const available = (associateNo: number) =>
    input.linkOf(associateNo) === undefined && !claimed.has(associateNo);
  const linked = (
    customer: MatchableCustomer,
    reason: 'erp-number' | 'org-number' | 'name-and-postal-code',
  ) => {
    claimed.add(customer.associateNo);
    return { kind: 'linked', target: customer.associateNo, reason } as const;
  };
  const candidates = (list: Candidate[], reason: string): Match<number> => {
    for (const candidate of list) if (candidate.system === 'visma-nxt') held.add(Number(candidate.recordId));
    return { kind: 'candidates', candidates: list, reason };
  };

  return {
    strong(company: MatchableCompany): Match<number> {
      const { record } = company;
      if (record.erpActorNo !== null) {
        const named = byAssociateNo.get(record.erpActorNo);
        const holder = input.linkOf(record.erpActorNo);
        if (named !== undefined && available(record.erpActorNo)) return linked(named, 'erp-number');
        if (typeof holder === 'string') {
          return candidates(
            [{ system: 'hubspot', recordId: holder, score: 1, reason: 'erp-number' }],
            `its actor number ${record.erpActorNo} is linked to HubSpot company ${holder} already (a duplicate to merge in HubSpot?)`,
          );
        }
      }
      if (record.orgNumber === null) return noMatch;
      const sameOrg = (customersByOrg.get(record.orgNumber) ?? []).filter(
        (customer) => !apart(company.crmId, customer.associateNo),
      );
      const sameOrgCompanies = companiesByOrg.get(record.orgNumber) ?? [];
      const [only] = sameOrg;
      if (
        only !== undefined &&
        sameOrg.length === 1 &&
        sameOrgCompanies.length === 1 &&
        available(only.associateNo)
      ) {
        return linked(only, 'org-number');
      }
      if (sameOrg.length === 0 && sameOrgCompanies.length === 1) return noMatch;
      return candidates(
        sameOrg.map((customer) => erpCandidate(customer, 'org-number', 1)),
        sameOrg.length > 1
          ? `${sameOrg.length} Business NXT customers share its organization number`
          : sameOrgCompanies.length > 1
            ? `${sameOrgCompanies.length} HubSpot companies share its organization number`
            : 'the Business NXT customer with its organization number is linked to another HubSpot company',
      );
    },

    weak(company: MatchableCompany): Match<number> {
      const key = customerCandidateKey(company.record);
      const { orgNumber } = company.record;
      const found = (key === null ? [] : (unlinkedByNamePostal.get(key) ?? [])).filter(
        (customer) =>
          !claimed.has(customer.associateNo) &&
          !apart(company.crmId, customer.associateNo) &&
          // Both org numbers known and different: certainly not the same company, whatever the names say.
          (orgNumber === null ||
            customer.record.orgNumber === null ||
            customer.record.orgNumber === orgNumber),
      );
      const [single] = found;
      if (single !== undefined && found.length === 1 && input.autoLinkCandidates) {
        return linked(single, 'name-and-postal-code');
      }
      if (found.length === 0) return noMatch;
      return candidates(
        found.map((customer) => erpCandidate(customer, 'name-and-postal-code', 0.8)),
        'a Business NXT customer has the same name and postal code',
      );
    },

    /**
     * For an unlinked Business NXT customer that no company claimed: another record with its organization
     * number (a HubSpot company linked elsewhere, or a second Business NXT customer) makes it a candidate too.
     */
    forCustomer(customer: MatchableCustomer): Match<string> {
      const orgNumber = customer.record.orgNumber;
      if (orgNumber === null) return noMatch;
      const sameOrgCompanies = (companiesByOrg.get(orgNumber) ?? []).filter(
        (company) => !apart(company.crmId, customer.associateNo),
      );
      const others = (customersByOrg.get(orgNumber) ?? []).filter(
        (other) => other.associateNo !== customer.associateNo,
      );
      if (sameOrgCompanies.length === 0 && others.length === 0) return noMatch;
      for (const other of others) held.add(other.associateNo);
      return {
        kind: 'candidates',
        candidates: [
          ...sameOrgCompanies.map(
            (company): Candidate => ({
              system: 'hubspot',
              recordId: company.crmId,
              score: 1,
              reason: 'org-number',
            }),
          ),
          ...others.map((other) => erpCandidate(other, 'org-number', 1)),
        ],
        reason:
          others.length > 0
            ? `${others.length + 1} Business NXT customers share its organization number`
            : 'a HubSpot company with its organization number is linked to another Business NXT customer',
      };
    },

    isClaimed: (associateNo: number) => claimed.has(associateNo),
    /** Named as a candidate of another record already: reported there, so not created or reported again. */
    isHeld: (associateNo: number) => held.has(associateNo),
  };
}

export type CustomerMatcher = ReturnType<typeof createCustomerMatcher>;
