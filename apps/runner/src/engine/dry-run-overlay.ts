import type { HubSpotClient, HubSpotObject } from '@port-service/hubspot';
import { associationTypes } from '@port-service/hubspot';
import type { AssociateValues, Entity } from '@port-service/mapping';
import type { Associate, VismaNxtClient } from '@port-service/visma-nxt';
import { ok } from 'neverthrow';
import type { OwedContacts, StateStore, StoredLink } from '../state/state-store.js';
import type { SliceDependencies } from './slices.js';

// Why this exists: a dry run (`crm-sync plan`) applies nothing, yet a run's later slices plan against what its
// earlier ones did: a contact follows the customer linked or created before it, a Business NXT row is held when
// a HubSpot record created earlier in the cycle has its org number. So a dry run reads through this overlay: the
// state store's links plus the links its plans would record, and the records its plans would create, under
// placeholder ids (a negative associate number, `new-company-1`) that never reach an API or the state store.
// Business NXT suggests the real numbers on insert; the plan cannot know them. Memory: about what the plan itself
// holds (`crm-sync plan` prints every operation), as the records to create are kept with their values.

const newCrmIdPrefix = 'new-';
// The lookups by associate number, where a placeholder may be asked for.
const numberFields = new Set<keyof Associate>(['associateNo', 'contactPersonForAssociateNo']);

/** A HubSpot id or associate number the dry run made up for a record the run would create. */
export function isPlaceholder(id: string | number): boolean {
  return typeof id === 'number' ? id < 0 : id.startsWith(newCrmIdPrefix);
}

export interface DryRunOverlay {
  /** A placeholder associate number for a row the run would create in Business NXT. */
  newAssociateNo(entity: Entity, values: AssociateValues, customer: number | null): number;
  /** A placeholder id for a record the run would create in HubSpot (its reads answer it from memory). */
  newCrmId(entity: Entity, properties: Readonly<Record<string, string>>, companyId: string | null): string;
}

function plannedLinks() {
  return { byCrm: new Map<string, StoredLink>(), byErp: new Map<number, StoredLink>() };
}

/**
 * The slice dependencies of a dry run: the same clients and store, read through the overlay. Writes the dry run
 * makes (links, owed contacts) stay in memory; the others (held records, conflicts, …) are dropped.
 */
export function dryRunSlices(live: SliceDependencies): SliceDependencies {
  const links = { customer: plannedLinks(), contact: plannedLinks() };
  const owed: OwedContacts[] = [];
  const records = new Map<string, { object: HubSpotObject; companyId: string | null }>();
  const contactsOf = new Map<string, string[]>();
  const rows = new Map<number, { entity: Entity; row: Associate }>();
  let created = 0;
  const real = <Id extends string | number>(ids: readonly Id[]) => ids.filter((id) => !isPlaceholder(id));
  const { store, hubspot, visma } = live;

  const overlayStore: StateStore = {
    ...store,
    linksByCrmIds: async (entity, crmIds) => [
      ...(await store.linksByCrmIds(entity, real(crmIds))),
      ...[...new Set(crmIds)].flatMap((crmId) => links[entity].byCrm.get(crmId) ?? []),
    ],
    linksByAssociateNos: async (entity, associateNos) => [
      ...(await store.linksByAssociateNos(entity, real(associateNos))),
      ...[...new Set(associateNos)].flatMap((associateNo) => links[entity].byErp.get(associateNo) ?? []),
    ],
    owedContacts: async () => [...(await store.owedContacts()), ...owed],
    transaction: (work) => work(),
    insertLink: async (entity, link) => {
      const stored = {
        ...link,
        status: 'active',
        statusReason: null,
        updatedAt: new Date().toISOString(),
      } as const;
      links[entity].byCrm.set(link.crmId, stored);
      links[entity].byErp.set(link.associateNo, stored);
    },
    oweContacts: async (customer) => {
      owed.push(customer);
    },
    mergeFingerprints: async () => {},
    markOrphaned: async () => {},
    reactivateLink: async () => {},
    moveLink: async () => {},
    openConflict: async () => {},
    recordError: async () => {},
    clearErrors: async () => {},
    recordIntent: async () => {},
    resolveIntent: async () => {},
    settleOwedContacts: async () => {},
    setWatermark: async () => {},
  };

  // HubSpot: placeholder ids are answered from memory (a planned contact with its company), the rest is asked.
  const objects = (api: HubSpotClient['companies']): HubSpotClient['companies'] => ({
    ...api,
    batchRead: (ids, options) =>
      api.batchRead(options.idProperty === undefined ? real(ids) : ids, options).map((found) => {
        for (const id of ids) {
          const record = records.get(id);
          if (record !== undefined) found.set(id, ok(record.object));
        }
        return found;
      }),
  });
  const overlayHubSpot: HubSpotClient = {
    ...hubspot,
    companies: objects(hubspot.companies),
    contacts: objects(hubspot.contacts),
    associations: {
      ...hubspot.associations,
      batchRead: (from, to, ids) =>
        hubspot.associations.batchRead(from, to, real(ids)).map((found) => {
          for (const id of ids) {
            const companyId = records.get(id)?.companyId ?? null;
            if (from === 'contacts' && to === 'companies' && companyId !== null)
              found.set(id, [{ toObjectId: companyId, typeIds: [associationTypes.contactToPrimaryCompany] }]);
            if (from === 'companies' && to === 'contacts')
              for (const contactId of contactsOf.get(id) ?? [])
                found.set(id, [
                  ...(found.get(id) ?? []),
                  { toObjectId: contactId, typeIds: [associationTypes.companyToContact] },
                ]);
            if (!found.has(id)) found.set(id, []);
          }
          return found;
        }),
    },
  };

  // Business NXT: placeholder numbers are never sent; the planned rows are found as the created ones would be
  // (Business NXT reads what was just written, unlike HubSpot's search).
  type Lookup = VismaNxtClient['customers']['byAssociateNos'];
  const withPlanned =
    (lookUp: Lookup, entity: Entity, field: keyof Associate): Lookup =>
    (values) => {
      const wanted = new Set(values);
      return lookUp(numberFields.has(field) ? real(values) : values).map((found) => [
        ...found,
        ...[...rows.values()].flatMap((row) => {
          const value = row.row[field];
          return row.entity === entity && value != null && wanted.has(value) ? [row.row] : [];
        }),
      ]);
    };
  const { customers, contactPersons } = visma;
  const overlayVisma: VismaNxtClient = {
    ...visma,
    customers: {
      ...customers,
      byAssociateNos: withPlanned(customers.byAssociateNos, 'customer', 'associateNo'),
      byOrgNumbers: withPlanned(customers.byOrgNumbers, 'customer', 'companyNo'),
      byPostalCodes: withPlanned(customers.byPostalCodes, 'customer', 'postCode'),
    },
    contactPersons: {
      ...contactPersons,
      byAssociateNos: withPlanned(contactPersons.byAssociateNos, 'contact', 'associateNo'),
      byEmails: withPlanned(contactPersons.byEmails, 'contact', 'emailAddress'),
      ofCustomers: withPlanned(contactPersons.ofCustomers, 'contact', 'contactPersonForAssociateNo'),
    },
  };

  const overlay: DryRunOverlay = {
    newAssociateNo(entity, values, customer) {
      created += 1;
      const associateNo = -created;
      const parent =
        entity === 'contact' && customer !== null ? { contactPersonForAssociateNo: customer } : {};
      rows.set(associateNo, { entity, row: { ...values, ...parent, associateNo } });
      return associateNo;
    },
    newCrmId(entity, properties, companyId) {
      created += 1;
      const id = `${newCrmIdPrefix}${entity === 'customer' ? 'company' : 'contact'}-${created}`;
      const now = new Date().toISOString();
      records.set(id, {
        object: { id, properties: { ...properties }, createdAt: now, updatedAt: now, archived: false },
        companyId,
      });
      if (entity === 'contact' && companyId !== null) {
        const contacts = contactsOf.get(companyId) ?? [];
        contacts.push(id);
        contactsOf.set(companyId, contacts);
      }
      return id;
    },
  };
  return { ...live, store: overlayStore, hubspot: overlayHubSpot, visma: overlayVisma, dryRun: overlay };
}
