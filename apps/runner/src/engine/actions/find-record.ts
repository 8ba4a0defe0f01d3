import type { Entity } from '@port-service/mapping';
import type { StateStore } from '../../state/state-store.js';
import type { ActionDependencies, RecordRef } from './action-types.js';

/** Which entity a record is, or why that cannot be told. */
export type FoundRecord =
  | { readonly ok: true; readonly ref: RecordRef }
  | { readonly ok: false; readonly message: string };

const entities = ['customer', 'contact'] as const;

/** A record id as each system writes it: HubSpot's numeric ids, Business NXT's positive associate numbers. */
export function idProblem(system: RecordRef['system'], id: string): string | null {
  if (system === 'hubspot') return /^\d+$/u.test(id) ? null : `HubSpot ids are numbers, not "${id}"`;
  const no = Number(id);
  return Number.isInteger(no) && no > 0 && String(no) === id
    ? null
    : `Business NXT associate numbers are whole positive numbers, not "${id}"`;
}

/** The entities the state knows the record as: by its links, held records and exclusions. */
async function knownAs(store: StateStore, system: RecordRef['system'], id: string): Promise<Set<Entity>> {
  const found = new Set<Entity>();
  for (const entity of entities) {
    const links =
      system === 'hubspot'
        ? await store.linksByCrmIds(entity, [id])
        : await store.linksByAssociateNos(entity, [Number(id)]);
    if (links.length > 0) found.add(entity);
  }
  const same = (record: { system: string; recordId: string }) =>
    record.system === system && record.recordId === id;
  for (const error of await store.errors()) if (same(error)) found.add(error.entity);
  for (const exclusion of await store.exclusions()) if (same(exclusion)) found.add(exclusion.entity);
  return found;
}

/** The entities the system has the record as (HubSpot: a company or a contact; Business NXT: a customer or a contact person). */
async function readAs(
  { clients }: ActionDependencies,
  system: RecordRef['system'],
  id: string,
): Promise<{ ok: true; entities: Entity[] } | { ok: false; message: string }> {
  const found: Entity[] = [];
  for (const entity of entities) {
    if (system === 'hubspot') {
      // Batch read by id (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/guide,
      // and the same for contacts): an id HubSpot does not know comes back as not found.
      const api = entity === 'customer' ? clients.hubspot.companies : clients.hubspot.contacts;
      const read = await api.batchRead([id], { properties: [] });
      if (read.isErr()) return { ok: false, message: `HubSpot, reading ${id}: ${read.error.message}` };
      if (read.value.get(id)?.isOk() === true) found.push(entity);
    } else {
      // The `associate` table by number (https://docs.vismasoftware.no/businessnxtapi/schema/queries/):
      // a customer has a customer number, a contact person the customer it is a contact for.
      const api = entity === 'customer' ? clients.visma.customers : clients.visma.contactPersons;
      const read = await api.byAssociateNos([Number(id)]);
      if (read.isErr()) return { ok: false, message: `Business NXT, reading ${id}: ${read.error.message}` };
      if (read.value.length > 0) found.push(entity);
    }
  }
  return { ok: true, entities: found };
}

/**
 * The record an operator names by system and id: the entity given, else the one the state knows it as (its link,
 * held record or exclusion), else the one the system has it as. Two at once (a HubSpot company and contact can
 * share an id) must be told apart with `entity`.
 */
export async function findRecord(
  dependencies: ActionDependencies,
  system: RecordRef['system'],
  id: string,
  entity?: Entity,
): Promise<FoundRecord> {
  const problem = idProblem(system, id);
  if (problem !== null) return { ok: false, message: problem };
  if (entity !== undefined) return { ok: true, ref: { entity, system, id } };
  const known = [...(await knownAs(dependencies.store, system, id))];
  const read = known.length === 0 ? await readAs(dependencies, system, id) : null;
  if (read !== null && !read.ok) return read;
  const candidates = read === null ? known : read.entities;
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return { ok: true, ref: { entity: only, system, id } };
  const where = system === 'hubspot' ? `HubSpot record ${id}` : `Business NXT associate ${id}`;
  if (candidates.length === 0)
    return {
      ok: false,
      message: `${where} is neither a customer nor a contact the sync knows or can read (archived, deleted, or a typo?)`,
    };
  return {
    ok: false,
    message: `${where} is both a customer and a contact: say which (entity customer or contact)`,
  };
}
