import {
  defaultProperties,
  modifiedProperty,
  type ObjectType,
  type PropertyDefinition,
} from './properties.js';

export interface HubSpotRecord {
  readonly id: string;
  readonly type: ObjectType;
  readonly properties: Map<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /** Search sees a write only after the index lag. */
  searchableAt: number;
  /** For a merged-away record: the id of the record it was merged into. */
  mergedInto: string | null;
  /** Each property's values, newest first (`propertiesWithHistory`); none for the modified dates. */
  readonly history: Map<string, PropertyChange[]>;
}

/**
 * Who set a value: `API` for writes through the API, `CRM_UI` for edits in-process (`store.create`/`update` called
 * directly, the admin surface: "as a user in HubSpot"). HubSpot knows more source types; the simulator uses two.
 */
export type SourceType = 'API' | 'CRM_UI' | 'IMPORT';

/** One value in a property's history (the OpenAPI document's `ValueWithTimestamp`); `''` for a cleared value. */
export interface PropertyChange {
  readonly value: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly sourceType: SourceType;
}

export type WriteProblem =
  | { readonly kind: 'unknown-property'; readonly name: string }
  | { readonly kind: 'read-only'; readonly name: string }
  | { readonly kind: 'unique'; readonly name: string; readonly existingId: string };

/** What a merge made: the new record, and how many of its properties came from the non-primary record. */
export interface MergeResult {
  readonly record: HubSpotRecord;
  readonly propertiesMoved: number;
}

// Set by HubSpot on every record, never taken over from a merged record.
const systemProperties = new Set([
  'hs_object_id',
  'createdate',
  'hs_lastmodifieddate',
  'lastmodifieddate',
  'hs_merged_object_ids',
  'hs_additional_emails',
]);

// Change on every write: no history kept for them.
const untracked = new Set(Object.values(modifiedProperty));

/** HubSpot-defined association types the simulator knows (the associations API, v4 and 2026-09). */
export const associationTypeIds = {
  contactToCompany: 279,
  companyToContact: 280,
  contactToPrimaryCompany: 1,
  companyToPrimaryContact: 2,
} as const;

/** One HubSpot portal: records, property definitions, groups and associations, with HubSpot's rules. */
export class HubSpotStore {
  readonly records: Record<ObjectType, Map<string, HubSpotRecord>> = {
    companies: new Map(),
    contacts: new Map(),
  };
  readonly properties: Record<ObjectType, Map<string, PropertyDefinition>> = {
    companies: new Map(defaultProperties('companies').map((property) => [property.name, property])),
    contacts: new Map(defaultProperties('contacts').map((property) => [property.name, property])),
  };
  readonly groups: Record<ObjectType, Map<string, { name: string; label: string; displayOrder: number }>> = {
    companies: new Map([
      ['companyinformation', { name: 'companyinformation', label: 'Company information', displayOrder: 0 }],
    ]),
    contacts: new Map([
      ['contactinformation', { name: 'contactinformation', label: 'Contact information', displayOrder: 0 }],
    ]),
  };
  /** `${type}:${id}` → (other id → association type ids), both directions. */
  readonly associations = new Map<string, Map<string, Set<number>>>();
  private nextId: Record<ObjectType, number> = { companies: 10_000_000_001, contacts: 20_000_000_001 };

  /**
   * @param searchLagMs How long a write takes to reach search. Settable while running (`/admin/settings`); a new
   * value applies to the writes after it.
   */
  constructor(
    private readonly now: () => number,
    public searchLagMs: number,
  ) {}

  /** Checks written properties: unknown and read-only ones are refused, and unique values must stay unique. */
  check(
    type: ObjectType,
    properties: Readonly<Record<string, string>>,
    selfId: string | null,
  ): WriteProblem | null {
    for (const [name, value] of Object.entries(properties)) {
      const definition = this.properties[type].get(name);
      if (definition === undefined) return { kind: 'unknown-property', name };
      if (definition.readOnly) return { kind: 'read-only', name };
      if (definition.hasUniqueValue && value !== '') {
        const holder = this.findByUnique(type, name, value);
        if (holder !== undefined && holder.id !== selfId)
          return { kind: 'unique', name, existingId: holder.id };
      }
    }
    return null;
  }

  /** The live record holding a unique value (emails compared without case), through an index kept as records change. */
  findByUnique(type: ObjectType, name: string, value: string): HubSpotRecord | undefined {
    const wanted = uniqueKey(name, value);
    const found = this.records[type].get(this.uniqueIndex(type, name).get(wanted) ?? '');
    if (found && !found.archived && uniqueKey(name, found.properties.get(name) ?? '') === wanted)
      return found;
    if (found === undefined) return undefined;
    // The entry went stale (the holder was archived or merged): rebuild this index once and ask again.
    this.indexes.delete(`${type}:${name}`);
    const again = this.records[type].get(this.uniqueIndex(type, name).get(wanted) ?? '');
    return again && !again.archived ? again : undefined;
  }

  // Value → record id per `type:property`, built on first use (one scan), then kept up to date by create/update.
  private readonly indexes = new Map<string, Map<string, string>>();

  private uniqueIndex(type: ObjectType, name: string): Map<string, string> {
    const key = `${type}:${name}`;
    let index = this.indexes.get(key);
    if (index === undefined) {
      index = new Map();
      for (const record of this.records[type].values()) {
        const own = record.properties.get(name);
        if (!record.archived && own !== undefined && !index.has(uniqueKey(name, own)))
          index.set(uniqueKey(name, own), record.id);
      }
      this.indexes.set(key, index);
    }
    return index;
  }

  /** Keeps the built indexes of a type in step with a record's new values (and drops its old ones). */
  private reindex(record: HubSpotRecord, before: ReadonlyMap<string, string>): void {
    for (const [key, index] of this.indexes) {
      const [type, name] = key.split(':') as [ObjectType, string];
      if (type !== record.type) continue;
      const old = before.get(name);
      const now = record.properties.get(name);
      if (old === now) continue;
      if (old !== undefined && index.get(uniqueKey(name, old)) === record.id)
        index.delete(uniqueKey(name, old));
      if (now !== undefined && !index.has(uniqueKey(name, now))) index.set(uniqueKey(name, now), record.id);
    }
  }

  create(
    type: ObjectType,
    properties: Readonly<Record<string, string>>,
    source: SourceType = 'CRM_UI',
  ): HubSpotRecord {
    const id = String(this.nextId[type]++);
    const now = this.now();
    const record: HubSpotRecord = {
      id,
      type,
      properties: new Map(),
      createdAt: now,
      updatedAt: now,
      archived: false,
      archivedAt: null,
      searchableAt: now + this.searchLagMs,
      mergedInto: null,
      history: new Map(),
    };
    for (const [name, value] of Object.entries(properties))
      if (value !== '') record.properties.set(name, value);
    record.properties.set('hs_object_id', id);
    record.properties.set('createdate', new Date(now).toISOString());
    record.properties.set(modifiedProperty[type], new Date(now).toISOString());
    for (const [name, value] of record.properties) remember(record, name, value, now, source);
    this.records[type].set(id, record);
    this.reindex(record, new Map());
    return record;
  }

  /** Sets properties (`""` clears one) and moves the modified date; a changed value goes into the history. */
  update(
    record: HubSpotRecord,
    properties: Readonly<Record<string, string>>,
    source: SourceType = 'CRM_UI',
  ): HubSpotRecord {
    const now = Math.max(this.now(), record.updatedAt + 1);
    const before = new Map(record.properties);
    for (const [name, value] of Object.entries(properties)) {
      if (value !== (before.get(name) ?? '')) remember(record, name, value, now, source);
      if (value === '') record.properties.delete(name);
      else record.properties.set(name, value);
    }
    record.updatedAt = now;
    record.searchableAt = now + this.searchLagMs;
    record.properties.set(modifiedProperty[record.type], new Date(now).toISOString());
    this.reindex(record, before);
    return record;
  }

  /** The live record for an id, following merges (a merged-away id resolves to its survivor). */
  resolve(type: ObjectType, id: string): HubSpotRecord | undefined {
    let record = this.records[type].get(id);
    while (record?.mergedInto) record = this.records[type].get(record.mergedInto);
    return record;
  }

  archive(record: HubSpotRecord): void {
    record.archived = true;
    record.archivedAt = this.now();
    record.updatedAt = this.now();
  }

  /** Restores an archived record (HubSpot's recycle bin, within 90 days): live again, modified now. */
  restore(record: HubSpotRecord): void {
    // A merged-away record is not in the recycle bin: it lives on as the merged record.
    if (record.mergedInto !== null) throw new Error(`${record.type} ${record.id} was merged, not archived`);
    // HubSpot keeps unique values unique: a record whose email (or other unique value) is taken meanwhile stays.
    for (const [name, definition] of this.properties[record.type]) {
      const value = record.properties.get(name);
      if (!definition.hasUniqueValue || value === undefined || value === '') continue;
      const holder = this.findByUnique(record.type, name, value);
      if (holder !== undefined && holder.id !== record.id)
        throw new Error(`${record.type} ${record.id} cannot be restored: ${holder.id} has its ${name} now`);
    }
    record.archived = false;
    record.archivedAt = null;
    this.update(record, {});
  }

  /**
   * Merges two records the way HubSpot does now: a new record with a new id. HubSpot documents that "the primary's
   * values win": it takes the primary's values, and the other's only where the primary has none; it takes the
   * associations of both; `hs_merged_object_ids` names both old ids (and what they had merged before). Both old
   * records leave lists and search, and their ids resolve to the new record. The new record keeps the property
   * history of both ("The history of property values from both records will be in the property history of the
   * resulting record", HubSpot's knowledge base): see `mergeHistory`.
   */
  merge(primary: HubSpotRecord, other: HubSpotRecord, source: SourceType = 'CRM_UI'): MergeResult {
    const type = primary.type;
    const id = String(this.nextId[type]++);
    const now = Math.max(this.now(), primary.updatedAt + 1, other.updatedAt + 1);
    const createdAt = Math.min(primary.createdAt, other.createdAt);
    const properties = new Map(primary.properties);
    let propertiesMoved = 0;
    for (const [name, value] of other.properties) {
      if (properties.has(name) || systemProperties.has(name)) continue;
      properties.set(name, value);
      propertiesMoved += 1;
    }
    const mergedIds = new Set([...idList(primary), primary.id, ...idList(other), other.id]);
    properties.set('hs_merged_object_ids', [...mergedIds].join(';'));
    if (type === 'contacts') setAdditionalEmails(properties, [primary, other]);
    properties.set('hs_object_id', id);
    properties.set('createdate', new Date(createdAt).toISOString());
    properties.set(modifiedProperty[type], new Date(now).toISOString());
    const record: HubSpotRecord = {
      id,
      type,
      properties,
      createdAt,
      updatedAt: now,
      archived: false,
      archivedAt: null,
      searchableAt: now + this.searchLagMs,
      mergedInto: null,
      history: mergeHistory(primary, other, properties, now, source),
    };
    this.records[type].set(id, record);
    for (const old of [primary, other]) {
      old.archived = true;
      old.archivedAt = now;
      old.updatedAt = now;
      old.mergedInto = id;
    }
    // The primary's associations first: its primary company stays the contact's primary company.
    this.moveAssociations(type, [primary.id, other.id], id);
    // The new record holds values the old ones held: rebuild the indexes of this type when next used.
    for (const key of [...this.indexes.keys()]) if (key.startsWith(`${type}:`)) this.indexes.delete(key);
    return { record, propertiesMoved };
  }

  /** Moves the associations of merged-away records to the new one: no duplicates, none to itself. */
  private moveAssociations(type: ObjectType, fromIds: readonly string[], toId: string): void {
    const gone = new Set(fromIds.map((id) => `${type}:${id}`));
    for (const fromKey of gone) {
      const associations = this.associations.get(fromKey) ?? new Map<string, Set<number>>();
      this.associations.delete(fromKey);
      for (const [otherKey, typeIds] of associations) {
        this.associations.get(otherKey)?.delete(fromKey);
        if (gone.has(otherKey) || otherKey === `${type}:${toId}`) continue;
        const [otherType, otherId] = otherKey.split(':') as [ObjectType, string];
        for (const typeId of typeIds) {
          // A contact has one primary company: the other record's becomes a plain association.
          const taken = typeId === 1 && type === 'contacts' && this.hasOtherPrimaryCompany(toId, otherId);
          this.associate(
            type,
            toId,
            otherType,
            otherId,
            taken ? associationTypeIds.contactToCompany : typeId,
          );
        }
      }
    }
  }

  private hasOtherPrimaryCompany(contactId: string, companyId: string): boolean {
    for (const [key, typeIds] of this.associations.get(`contacts:${contactId}`) ?? [])
      if (typeIds.has(associationTypeIds.contactToPrimaryCompany) && key !== `companies:${companyId}`)
        return true;
    return false;
  }

  /**
   * Removes one association type between a pair, in both directions. Removing the unlabelled type (279/280) removes
   * the association with all its labels; removing a primary label (1/2) keeps the unlabelled association.
   */
  removeAssociationType(
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    toId: string,
    typeId: number,
  ): void {
    const inverse = ({ 279: 280, 280: 279, 1: 2, 2: 1 } as Record<number, number>)[typeId] ?? typeId;
    const unlabelled = typeId === 279 || typeId === 280;
    for (const [aKey, bKey, type] of [
      [`${fromType}:${fromId}`, `${toType}:${toId}`, typeId],
      [`${toType}:${toId}`, `${fromType}:${fromId}`, inverse],
    ] as const) {
      const map = this.associations.get(aKey);
      const types = map?.get(bKey);
      if (map === undefined || types === undefined) continue;
      if (unlabelled) map.delete(bKey);
      else {
        types.delete(type);
        if (types.size === 0) map.delete(bKey);
      }
    }
  }

  /** Removes every association (every label) between a pair, in both directions. */
  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.associations.get(`${fromType}:${fromId}`)?.delete(`${toType}:${toId}`);
    this.associations.get(`${toType}:${toId}`)?.delete(`${fromType}:${fromId}`);
  }

  /** Deletes a record for good (GDPR delete): gone from every list, lookup and association, not restorable. */
  erase(record: HubSpotRecord): void {
    this.records[record.type].delete(record.id);
    for (const otherKey of this.associations.get(`${record.type}:${record.id}`)?.keys() ?? [])
      this.associations.get(otherKey)?.delete(`${record.type}:${record.id}`);
    this.associations.delete(`${record.type}:${record.id}`);
    for (const key of [...this.indexes.keys()])
      if (key.startsWith(`${record.type}:`)) this.indexes.delete(key);
  }

  /** Adds an association (a primary one implies the default one), in both directions. */
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number): void {
    // One primary company per contact: a new primary replaces the old one, which stays associated unlabelled.
    const primaryOf =
      typeId === 1 && fromType === 'contacts' && toType === 'companies'
        ? { contactId: fromId, companyId: toId }
        : typeId === 2 && fromType === 'companies' && toType === 'contacts'
          ? { contactId: toId, companyId: fromId }
          : null;
    if (primaryOf !== null) {
      for (const [key, typeIds] of this.associations.get(`contacts:${primaryOf.contactId}`) ?? []) {
        if (key === `companies:${primaryOf.companyId}` || !typeIds.has(1)) continue;
        const companyId = key.slice('companies:'.length);
        this.removeAssociationType('contacts', primaryOf.contactId, 'companies', companyId, 1);
      }
    }
    const add = (aType: ObjectType, aId: string, bType: ObjectType, bId: string, type: number) => {
      const key = `${aType}:${aId}`;
      const map = this.associations.get(key) ?? new Map<string, Set<number>>();
      const set = map.get(`${bType}:${bId}`) ?? new Set<number>();
      set.add(type);
      map.set(`${bType}:${bId}`, set);
      this.associations.set(key, map);
    };
    const inverse = (type: number) => ({ 279: 280, 280: 279, 1: 2, 2: 1 })[type as 279 | 280 | 1 | 2] ?? type;
    const types = typeId === 1 ? [1, 279] : typeId === 2 ? [2, 280] : [typeId];
    for (const type of types) {
      add(fromType, fromId, toType, toId, type);
      add(toType, toId, fromType, fromId, inverse(type));
    }
  }

  associationsOf(
    type: ObjectType,
    id: string,
    toType: ObjectType,
  ): Array<{ toId: string; typeIds: number[] }> {
    const map = this.associations.get(`${type}:${id}`) ?? new Map<string, Set<number>>();
    return [...map.entries()]
      .filter(([key]) => key.startsWith(`${toType}:`))
      .map(([key, types]) => ({ toId: key.split(':')[1] ?? '', typeIds: [...types].sort((a, b) => a - b) }));
  }
}

/** Adds a value to the front of a property's history (not for the modified dates). */
function remember(record: HubSpotRecord, name: string, value: string, at: number, source: SourceType): void {
  if (untracked.has(name)) return;
  const changes = record.history.get(name) ?? [];
  changes.unshift({ value, timestamp: at, sourceType: source });
  record.history.set(name, changes);
}

/**
 * The history of a merged record: per property, the values of both records, newest first, with the current value
 * first: the newest entry of the record the value came from (the primary's, or the other's where the primary had
 * none), or, for a value the merge itself set (`hs_object_id`, `hs_merged_object_ids`…), a new entry.
 */
function mergeHistory(
  primary: HubSpotRecord,
  other: HubSpotRecord,
  properties: ReadonlyMap<string, string>,
  at: number,
  source: SourceType,
): Map<string, PropertyChange[]> {
  const history = new Map<string, PropertyChange[]>();
  const names = new Set([...primary.history.keys(), ...other.history.keys(), ...properties.keys()]);
  for (const name of names) {
    if (untracked.has(name)) continue;
    const value = properties.get(name);
    const from = [primary, other].find(
      (record) => value !== undefined && record.properties.get(name) === value,
    );
    const newest = from?.history.get(name)?.[0];
    const current = newest?.value === value ? newest : undefined;
    const rest = [...(primary.history.get(name) ?? []), ...(other.history.get(name) ?? [])]
      .filter((change) => change !== current)
      .sort((a, b) => b.timestamp - a.timestamp);
    const first = current ?? (value === undefined ? undefined : { value, timestamp: at, sourceType: source });
    const changes = first ? [first, ...rest] : rest;
    if (changes.length > 0) history.set(name, changes);
  }
  return history;
}

/** A `;`-separated id or email list property as a list. */
function listOf(record: HubSpotRecord, name: string): string[] {
  return (record.properties.get(name) ?? '').split(';').filter((value) => value !== '');
}

const idList = (record: HubSpotRecord) => listOf(record, 'hs_merged_object_ids');

/** A contact merge keeps every email: the ones the new record does not have as `email` become additional. */
function setAdditionalEmails(properties: Map<string, string>, merged: readonly HubSpotRecord[]): void {
  const primaryEmail = (properties.get('email') ?? '').toLowerCase();
  const additional = new Map<string, string>();
  for (const record of merged) {
    for (const email of [record.properties.get('email') ?? '', ...listOf(record, 'hs_additional_emails')])
      if (email !== '' && email.toLowerCase() !== primaryEmail) additional.set(email.toLowerCase(), email);
  }
  if (additional.size > 0) properties.set('hs_additional_emails', [...additional.values()].join(';'));
  else properties.delete('hs_additional_emails');
}

function uniqueKey(name: string, value: string): string {
  return name === 'email' ? value.toLowerCase() : value;
}
