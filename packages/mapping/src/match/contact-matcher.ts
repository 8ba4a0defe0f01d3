import type { CanonicalContact } from '../model/contact.js';
import type { Candidate } from '../plan/operations.js';
import { type Match, noMatch } from './match.js';
import { personNameKey } from './name-key.js';

export interface MatchablePerson {
  readonly associateNo: number;
  readonly record: CanonicalContact;
  /** Which customer the person is a contact for (any stable key; the planner uses the customer reference). */
  readonly customerKey: string | null;
}
export interface MatchableContact {
  readonly crmId: string;
  readonly record: CanonicalContact;
  readonly customerKey: string | null;
}

export interface ContactMatcherInput {
  /** Every Business NXT contact person in view. */
  readonly persons: readonly MatchablePerson[];
  /** Whether an associate already has a link (active or orphaned). */
  readonly isLinked: (associateNo: number) => boolean;
  /** Link a single same-name candidate without asking. */
  readonly autoLinkCandidates: boolean;
  /**
   * Pairs a person said are different people: never matched by email or name, nor candidates of each other. The
   * actor number stored on the HubSpot contact still links (a person sets it to link them).
   */
  readonly separated?: ((crmId: string, associateNo: number) => boolean) | undefined;
}

const candidate = (person: MatchablePerson, reason: Candidate['reason'], score: number): Candidate => ({
  system: 'visma-nxt',
  recordId: String(person.associateNo),
  score,
  reason,
});

/**
 * First-link matching for contact persons (docs/DESIGN.md §4): `strong` links by the actor number stored in HubSpot,
 * then by email among the persons of the same customer; `weak` finds same-name persons of that customer as
 * candidates. As for customers, run `strong` for every contact before any `weak`.
 */
export function createContactMatcher(input: ContactMatcherInput) {
  const byAssociateNo = new Map(input.persons.map((person) => [person.associateNo, person]));
  const byCustomer = new Map<string, MatchablePerson[]>();
  for (const person of input.persons) {
    if (person.customerKey === null || input.isLinked(person.associateNo)) continue;
    byCustomer.set(person.customerKey, [...(byCustomer.get(person.customerKey) ?? []), person]);
  }
  const claimed = new Set<number>();
  const held = new Set<number>();
  const apart = input.separated ?? (() => false);
  // The unclaimed persons of the contact's customer, less those a person said are someone else.
  const siblingsOf = (contact: MatchableContact) =>
    contact.customerKey === null
      ? []
      : (byCustomer.get(contact.customerKey) ?? []).filter(
          (person) => !claimed.has(person.associateNo) && !apart(contact.crmId, person.associateNo),
        );
  const withEmail = (people: MatchablePerson[], email: string | null) =>
    email === null ? [] : people.filter((person) => person.record.email === email);
  const linked = (person: MatchablePerson, reason: 'erp-number' | 'email' | 'name') => {
    claimed.add(person.associateNo);
    return { kind: 'linked', target: person.associateNo, reason } as const;
  };
  const candidates = (list: Candidate[], reason: string): Match<number> => {
    for (const entry of list) held.add(Number(entry.recordId));
    return { kind: 'candidates', candidates: list, reason };
  };

  return {
    strong(contact: MatchableContact): Match<number> {
      const { erpActorNo, email } = contact.record;
      if (erpActorNo !== null) {
        const named = byAssociateNo.get(erpActorNo);
        if (named !== undefined && !input.isLinked(erpActorNo) && !claimed.has(erpActorNo)) {
          return linked(named, 'erp-number');
        }
      }
      const byEmail = withEmail(siblingsOf(contact), email);
      const [only] = byEmail;
      return only !== undefined && byEmail.length === 1 ? linked(only, 'email') : noMatch;
    },

    weak(contact: MatchableContact): Match<number> {
      const { name, email } = contact.record;
      const siblings = siblingsOf(contact);
      const byEmail = withEmail(siblings, email);
      if (byEmail.length > 1) {
        return candidates(
          byEmail.map((person) => candidate(person, 'email', 1)),
          'several Business NXT contact persons of its customer have its email',
        );
      }
      const byName =
        name === null
          ? []
          : siblings.filter(
              (person) =>
                person.record.name !== null &&
                personNameKey(person.record.name) === personNameKey(name) &&
                // Two different known emails: two people who share a name.
                (person.record.email === null || email === null),
            );
      const [single] = byName;
      if (single !== undefined && byName.length === 1 && input.autoLinkCandidates)
        return linked(single, 'name');
      if (byName.length === 0) return noMatch;
      return candidates(
        byName.map((person) => candidate(person, 'name', 0.7)),
        'a Business NXT contact person of its customer has the same name',
      );
    },

    isClaimed: (associateNo: number) => claimed.has(associateNo),
    isHeld: (associateNo: number) => held.has(associateNo),
  };
}

export type ContactMatcher = ReturnType<typeof createContactMatcher>;
