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
}

export type WriteProblem =
  | { readonly kind: 'unknown-property'; readonly name: string }
  | { readonly kind: 'read-only'; readonly name: string }
  | { readonly kind: 'unique'; readonly name: string; readonly existingId: string };

/** HubSpot-defined association types the simulator knows (associations v4). */
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

  constructor(
    private readonly now: () => number,
    private readonly searchLagMs: number,
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

  create(type: ObjectType, properties: Readonly<Record<string, string>>): HubSpotRecord {
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
    };
    for (const [name, value] of Object.entries(properties))
      if (value !== '') record.properties.set(name, value);
    record.properties.set('hs_object_id', id);
    record.properties.set('createdate', new Date(now).toISOString());
    record.properties.set(modifiedProperty[type], new Date(now).toISOString());
    this.records[type].set(id, record);
    this.reindex(record, new Map());
    return record;
  }

  /** Sets properties (`""` clears one) and moves the modified date. */
  update(record: HubSpotRecord, properties: Readonly<Record<string, string>>): HubSpotRecord {
    const now = Math.max(this.now(), record.updatedAt + 1);
    const before = new Map(record.properties);
    for (const [name, value] of Object.entries(properties)) {
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

  /** Merges `loser` into `primary`: the loser is archived, its id recorded on the survivor, associations moved. */
  merge(primary: HubSpotRecord, loser: HubSpotRecord): HubSpotRecord {
    const merged = new Set(
      (primary.properties.get('hs_merged_object_ids') ?? '').split(';').filter((id) => id !== ''),
    );
    merged.add(loser.id);
    for (const id of (loser.properties.get('hs_merged_object_ids') ?? '').split(';'))
      if (id !== '') merged.add(id);
    primary.properties.set('hs_merged_object_ids', [...merged].join(';'));
    for (const [name, value] of loser.properties)
      if (!primary.properties.has(name)) primary.properties.set(name, value);
    const loserKey = `${loser.type}:${loser.id}`;
    for (const [otherKey, types] of this.associations.get(loserKey) ?? []) {
      const [otherType, otherId] = otherKey.split(':') as [ObjectType, string];
      for (const typeId of types) this.associate(primary.type, primary.id, otherType, otherId, typeId);
    }
    this.associations.delete(loserKey);
    // The survivor took over values the loser held: rebuild the indexes of this type when next used.
    for (const key of [...this.indexes.keys()])
      if (key.startsWith(`${primary.type}:`)) this.indexes.delete(key);
    this.archive(loser);
    loser.mergedInto = primary.id;
    return this.update(primary, {});
  }

  /** Adds an association (a primary one implies the default one), in both directions. */
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number): void {
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

function uniqueKey(name: string, value: string): string {
  return name === 'email' ? value.toLowerCase() : value;
}
