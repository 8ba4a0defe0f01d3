/**
 * HubSpot and Business NXT held in memory, answering the calls a full cycle makes, for the state section of
 * `pnpm bench` (state.bench.ts): no HTTP, no JSON, no rate limits, so what a cycle costs there is the engine's, the
 * planner's and the state store's. Only what a full cycle calls is here; anything else fails the cycle, which the
 * bench then reports (it checks every cycle's exit code).
 */
import { type AssociatedRecord, type HubSpotClient, syncPropertySpecs } from '@port-service/hubspot';
import type { SyncPolicy } from '@port-service/mapping';
import {
  type Associate,
  type AssociateValues,
  createDateTimeCodec,
  type VismaNxtClient,
} from '@port-service/visma-nxt';
import { err, ok, okAsync } from 'neverthrow';
import type { SyncClients } from '../src/engine/sync-clients.js';
import { type Customers, customerColumns, personColumns } from './data.js';

type Properties = Record<string, string | null>;

interface StoredObject {
  readonly id: string;
  readonly properties: Properties;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

type ObjectType = 'companies' | 'contacts';

// HubSpot's association types seen from the other end: a contact's primary company (1) is the company's primary
// contact (2); the unlabelled contact-to-company (279) is company-to-contact (280).
const inverseTypes: Readonly<Record<number, number>> = { 1: 2, 279: 280 };

/** Both systems' records, and the clients a cycle calls them through. */
export interface MemorySystems {
  readonly clients: SyncClients;
  /** Changes every Business NXT row (customers' phone, contact persons' mobile), as people editing them would. */
  editEveryRow(): void;
}

const pageOf = <T>(items: readonly T[], start: number, size: number) => items.slice(start, start + size);

/** A Business NXT `DateTime` (its server's wall time, no zone), a given number of minutes into 2026-11-01. */
const erpStamp = (minutes: number) =>
  `2026-11-01 ${String(8 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

function businessNxt(timeZone: string) {
  const rows = new Map<number, Associate>();
  let nextAssociateNo = 1;
  let nextCustomerNo = 10_000;
  let minutes = 0;
  const isCustomer = (row: Associate) => (row.customerNo ?? 0) > 0;
  const isPerson = (row: Associate) => (row.contactPersonForAssociateNo ?? 0) > 0;
  const lookup =
    (scope: (row: Associate) => boolean, field: keyof Associate) =>
    (values: readonly (string | number)[]) => {
      const wanted = new Set(values.map(String));
      return okAsync([...rows.values()].filter((row) => scope(row) && wanted.has(String(row[field]))));
    };
  async function* pages(scope: (row: Associate) => boolean) {
    const all = [...rows.values()].filter(scope);
    for (let start = 0; start === 0 || start < all.length; start += 500) {
      const items = pageOf(all, start, 500);
      yield ok({
        items,
        totalCount: all.length,
        endCursor: String(start + items.length),
        hasNextPage: start + 500 < all.length,
      });
    }
  }
  const update = (updates: ReadonlyArray<{ associateNo: number; values: AssociateValues }>) =>
    okAsync(
      updates.map(({ associateNo, values }) => {
        const row = rows.get(associateNo);
        if (row === undefined)
          return err({
            kind: 'not-found' as const,
            message: `no associate ${associateNo}`,
            retryable: false,
          });
        const changed = { ...row, ...values, changedTimestamp: erpStamp(minutes) };
        rows.set(associateNo, changed);
        return ok(changed);
      }),
    );
  const insert = (values: AssociateValues & { contactPersonForAssociateNo?: number }) => {
    const row: Associate = {
      ...values,
      associateNo: nextAssociateNo++,
      customerNo: values.contactPersonForAssociateNo ? null : nextCustomerNo++,
      changedTimestamp: erpStamp(minutes),
    };
    rows.set(row.associateNo, row);
    return row;
  };
  const client = {
    fieldNames: { contactPersonForAssociateNo: 'contactPersonForAssociateNo' },
    dateTime: createDateTimeCodec(timeZone),
    customers: {
      pages: () => pages(isCustomer),
      byAssociateNos: lookup(isCustomer, 'associateNo'),
      byCustomerNos: lookup(isCustomer, 'customerNo'),
      byOrgNumbers: lookup(isCustomer, 'companyNo'),
      byPostalCodes: lookup(isCustomer, 'postCode'),
      byEmails: lookup(isCustomer, 'emailAddress'),
      create: (values: readonly AssociateValues[]) => okAsync(values.map((row) => ok(insert(row)))),
      update,
    },
    contactPersons: {
      pages: () => pages(isPerson),
      byAssociateNos: lookup(isPerson, 'associateNo'),
      byEmails: lookup(isPerson, 'emailAddress'),
      ofCustomers: lookup(isPerson, 'contactPersonForAssociateNo'),
      create: (values: readonly AssociateValues[]) => okAsync(values.map((row) => ok(insert(row)))),
      update,
    },
    associates: {
      byAssociateNos: lookup(() => true, 'associateNo'),
      latestChange: () =>
        okAsync(
          [...rows.values()].reduce<string | null>(
            (latest, row) =>
              row.changedTimestamp && (latest === null || row.changedTimestamp > latest)
                ? row.changedTimestamp
                : latest,
            null,
          ),
        ),
    },
  };
  return {
    client: client as unknown as VismaNxtClient,
    insert,
    rows,
    /** Later edits get later stamps, as Business NXT's clock moves on. */
    tick: () => {
      minutes += 1;
    },
  };
}

function hubSpot(policy: SyncPolicy) {
  const records: Record<ObjectType, Map<string, StoredObject>> = {
    companies: new Map(),
    contacts: new Map(),
  };
  // From a contact to its companies, and back, with the association types (1: the primary company).
  const associations = new Map<string, AssociatedRecord[]>();
  let nextId = 1_000_000;
  let clock = Date.parse('2026-11-01T07:00:00.000Z');
  // HubSpot's clock: a second on with each write.
  const stamp = () => {
    clock += 1000;
    return new Date(clock).toISOString();
  };
  const associate = (from: string, to: AssociatedRecord) =>
    associations.set(from, [...(associations.get(from) ?? []), to]);

  const objects = (type: ObjectType) => {
    const store = records[type];
    const notFound = (id: string) =>
      err({ kind: 'not-found' as const, message: `${type} ${id} was not returned`, retryable: false });
    return {
      async *pages(options: { archived?: boolean }) {
        const all = options.archived === true ? [] : [...store.values()];
        for (let start = 0; start === 0 || start < all.length; start += 100)
          yield ok({
            results: pageOf(all, start, 100),
            after: start + 100 < all.length ? String(start + 100) : null,
          });
      },
      batchRead: (ids: readonly string[], options: { idProperty?: string }) => {
        // By id, or by a unique property's value (`idProperty`), as HubSpot's batch read keys its answer.
        const key = options.idProperty;
        const byKey =
          key === undefined
            ? store
            : new Map([...store.values()].map((record) => [record.properties[key] ?? '', record]));
        return okAsync(
          new Map(
            ids.map((id) => {
              const record = byKey.get(id);
              return [id, record === undefined ? notFound(id) : ok(record)];
            }),
          ),
        );
      },
      batchCreate: (
        inputs: ReadonlyArray<{
          properties: Properties;
          associations?: ReadonlyArray<{ toId: string; typeId: number }>;
        }>,
      ) =>
        okAsync(
          inputs.map((input) => {
            const at = stamp();
            const record = {
              id: String(nextId++),
              properties: input.properties,
              createdAt: at,
              updatedAt: at,
              archived: false,
            };
            store.set(record.id, record);
            for (const { toId, typeId } of input.associations ?? []) {
              associate(record.id, { toObjectId: toId, typeIds: [typeId] });
              associate(toId, { toObjectId: record.id, typeIds: [inverseTypes[typeId] ?? typeId] });
            }
            return ok(record);
          }),
        ),
      batchUpdate: (inputs: ReadonlyArray<{ id: string; properties: Properties }>) =>
        okAsync(
          inputs.map((input) => {
            const record = store.get(input.id);
            if (record === undefined) return notFound(input.id);
            const updated = {
              ...record,
              properties: { ...record.properties, ...input.properties },
              updatedAt: stamp(),
            };
            store.set(record.id, updated);
            return ok(updated);
          }),
        ),
      latestModified: () =>
        okAsync(
          [...store.values()].reduce<number | null>(
            (latest, record) => Math.max(latest ?? 0, Date.parse(record.updatedAt)),
            null,
          ),
        ),
    };
  };
  const client = {
    companies: objects('companies'),
    contacts: objects('contacts'),
    associations: {
      batchRead: (_from: ObjectType, to: ObjectType, ids: readonly string[]) =>
        okAsync(
          new Map(
            ids.map((id) => [
              id,
              (associations.get(id) ?? []).filter((entry) => records[to].has(entry.toObjectId)),
            ]),
          ),
        ),
    },
    properties: {
      list: (type: ObjectType) =>
        okAsync(syncPropertySpecs(policy.hubspotProperties)[type].map((spec) => ({ name: spec.name }))),
    },
  };
  return { client: client as unknown as HubSpotClient };
}

/**
 * The bench's data in Business NXT, HubSpot empty (the first cycle creates every record there, as the sync bench's
 * first scenario does against the simulators).
 */
export function memorySystems(customers: Customers, policy: SyncPolicy, timeZone: string): MemorySystems {
  const erp = businessNxt(timeZone);
  const crm = hubSpot(policy);
  for (const customer of customers) {
    const row = erp.insert(customerColumns(customer));
    for (const person of customer.people)
      erp.insert({ ...personColumns(person), contactPersonForAssociateNo: row.associateNo });
  }
  let edits = 0;
  return {
    clients: { hubspot: crm.client, visma: erp.client },
    editEveryRow() {
      erp.tick();
      edits += 1;
      for (const row of [...erp.rows.values()]) {
        // Valid Norwegian numbers (eight digits; landlines from 22, mobiles from 40), new with each edit.
        const digits = `${String(row.associateNo).padStart(5, '0')}${edits % 10}`;
        const changed = (row.customerNo ?? 0) > 0 ? { phone: `22${digits}` } : { mobilePhone: `40${digits}` };
        erp.client.customers.update([{ associateNo: row.associateNo, values: changed }]);
      }
    },
  };
}
