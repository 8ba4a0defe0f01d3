import {
  type AssociateInput,
  associateToContact,
  associateToCustomer,
  contactCompanyId,
  customerCandidateKey,
  type Entity,
  type HubSpotContactInput,
  type HubSpotObjectInput,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
  mergedActorNumbers,
  personNameKey,
  type SyncPolicy,
} from '@port-service/mapping';

// Why this exists: an unlinked Business NXT row may match a HubSpot record by organization number (customers),
// email (contacts), the actor number the record carries, or name (candidates). An incremental cycle finds those by
// lookups; a full cycle has read every HubSpot record already, and records created in this cycle are not in
// HubSpot's search index yet. So every HubSpot record a cycle reads or creates is indexed here by those keys, and
// the Business NXT pass fetches (by id, no search) the records an unlinked row's keys point at. The planner then
// sees them, linked or not, and holds the row instead of creating a duplicate. Memory: the keys of each record
// (about 100 bytes), never the whole record.

/** The keys a HubSpot record or Business NXT row can be matched by, for one entity. */
function keysOfRecord(entity: Entity, record: HubSpotObjectInput, policy: SyncPolicy): string[] {
  // A merge survivor also stands for the actor numbers of the records merged into it.
  const merged = mergedActorNumbers(record, policy.hubspotProperties.erpActorNo).map((no) => `actor:${no}`);
  return [...ownKeys(entity, record, policy), ...merged];
}

function ownKeys(entity: Entity, record: HubSpotContactInput, policy: SyncPolicy): string[] {
  if (entity === 'customer') {
    const customer = hubSpotCompanyToCustomer(record, policy.hubspotProperties).record;
    return present([
      customer.orgNumber && `org:${customer.orgNumber}`,
      customer.erpActorNo !== null && `actor:${customer.erpActorNo}`,
      customerCandidateKey(customer) && `name:${customerCandidateKey(customer)}`,
    ]);
  }
  const contact = hubSpotContactToContact(record, policy.hubspotProperties).record;
  const company = contactCompanyId(record);
  return present([
    contact.email && `email:${contact.email}`,
    contact.erpActorNo !== null && `actor:${contact.erpActorNo}`,
    contact.name !== null && company !== null && `name:${company}|${personNameKey(contact.name)}`,
  ]);
}

function keysOfRow(
  entity: Entity,
  row: AssociateInput,
  companyOfCustomer: ReadonlyMap<number, string>,
): string[] {
  if (entity === 'customer') {
    const customer = associateToCustomer(row).record;
    return present([
      customer.orgNumber && `org:${customer.orgNumber}`,
      `actor:${row.associateNo}`,
      customerCandidateKey(customer) && `name:${customerCandidateKey(customer)}`,
    ]);
  }
  const person = associateToContact(row).record;
  const company = companyOfCustomer.get(row.contactPersonForAssociateNo ?? 0);
  return present([
    person.email && `email:${person.email}`,
    `actor:${row.associateNo}`,
    person.name !== null && company !== undefined && `name:${company}|${personNameKey(person.name)}`,
  ]);
}

function present(keys: ReadonlyArray<string | false | null>): string[] {
  return keys.filter((key): key is string => typeof key === 'string' && key !== '');
}

export interface HubSpotKeys {
  /**
   * Remembers an archived HubSpot record that carries an ERP actor number (a full cycle lists them): people archived
   * it, so its Business NXT row is held, not created in HubSpot again.
   */
  addArchived(record: HubSpotObjectInput): void;
  /** The archived records that carry these rows' actor numbers. */
  archivedFor(rows: readonly AssociateInput[]): HubSpotObjectInput[];
  /** Indexes a HubSpot record this cycle read (with its companies, for a contact) or created. */
  add(record: HubSpotObjectInput | HubSpotContactInput): void;
  /**
   * The HubSpot ids indexed under any key of these rows (a contact person's name counts within the HubSpot company
   * its customer is linked to: `companyOfCustomer`, associate number → HubSpot id).
   */
  idsFor(rows: readonly AssociateInput[], companyOfCustomer?: ReadonlyMap<number, string>): string[];
}

export function createHubSpotKeys(entity: Entity, policy: SyncPolicy): HubSpotKeys {
  // One id per key almost always: a string, and a list only when records share a key (memory is per key).
  const byKey = new Map<string, string | string[]>();
  const archivedByActorNo = new Map<number, HubSpotObjectInput>();
  return {
    addArchived(record) {
      const actorNo = Number(record.properties[policy.hubspotProperties.erpActorNo] ?? '');
      if (Number.isInteger(actorNo) && actorNo > 0)
        archivedByActorNo.set(actorNo, { ...record, archived: true });
    },
    archivedFor(rows) {
      return rows.flatMap((row) => archivedByActorNo.get(row.associateNo) ?? []);
    },
    add(record) {
      if (record.archived === true) return;
      for (const key of keysOfRecord(entity, record, policy)) {
        const ids = byKey.get(key);
        if (ids === undefined || ids === record.id) byKey.set(key, record.id);
        else if (typeof ids === 'string') byKey.set(key, [ids, record.id]);
        else if (!ids.includes(record.id)) ids.push(record.id);
      }
    },
    idsFor(rows, companyOfCustomer = new Map()) {
      const ids = new Set<string>();
      for (const row of rows)
        for (const key of keysOfRow(entity, row, companyOfCustomer))
          for (const id of [byKey.get(key) ?? []].flat()) ids.add(id);
      return [...ids];
    },
  };
}
