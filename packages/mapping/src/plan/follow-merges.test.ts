import { describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../config/policy.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import { mergedIds } from './follow-merges.js';
import { type SyncOperation, writeKinds } from './operations.js';
import { planSync } from './plan.js';

const policy = defaultSyncPolicy();
type HubSpotType = 'companies' | 'contacts';

const creates = (operations: readonly SyncOperation[]) =>
  operations.filter((operation) => operation.kind === 'create-erp' || operation.kind === 'create-crm');
const writesFor = (operations: readonly SyncOperation[], crmId: string) =>
  operations.filter(
    (operation) => writeKinds.has(operation.kind) && 'crmId' in operation && operation.crmId === crmId,
  );
const ofEntity = (operations: readonly SyncOperation[], entity: SyncOperation['entity']) =>
  operations.filter((operation) => operation.entity === entity && operation.kind !== 'baseline');

/** Two customers, each with a contact person, synced both ways: every record linked. */
function syncedWorld(): InMemorySystems {
  const systems = new InMemorySystems();
  systems.addCompany('1', { name: 'Fjord AS', org_number: '923609016', lifecyclestage: 'customer' });
  systems.addCompany('2', { name: 'Havn AS', org_number: '974760673', lifecyclestage: 'customer' });
  systems.addContact('11', { firstname: 'Kari', lastname: 'Nordmann', email: 'kari@fjord.no' }, ['1']);
  systems.addContact('12', { firstname: 'Ola', lastname: 'Nordmann', email: 'ola@fjord.no' }, ['1']);
  for (let cycle = 0; cycle < 2; cycle += 1) systems.apply(planSync(systems.input(policy)));
  return systems;
}

const linkOf = (systems: InMemorySystems, type: HubSpotType, crmId: string) =>
  (type === 'companies' ? systems.customerLinks : systems.contactLinks).get(crmId)?.associateNo;

/**
 * A merge as HubSpot does it now: a new record with a new id; the primary's values win, the other's fill the
 * gaps; `hs_merged_object_ids` names both; both old ids are gone (they resolve to the new record).
 */
function mergeWithNewId(
  systems: InMemorySystems,
  type: HubSpotType,
  primaryId: string,
  otherId: string,
  newId: string,
): void {
  const records: Map<string, { properties: Record<string, string | null | undefined> }> =
    type === 'companies' ? systems.companies : systems.contacts;
  const primary = records.get(primaryId);
  const other = records.get(otherId);
  if (primary === undefined || other === undefined) throw new Error('merge of unknown records');
  const filled = Object.entries(primary.properties).filter(([, value]) => value !== '' && value != null);
  const properties = {
    ...other.properties,
    ...Object.fromEntries(filled),
    hs_merged_object_ids: `${primaryId};${otherId}`,
  };
  if (type === 'contacts') {
    const companyIds = [primaryId, otherId].flatMap((id) => systems.contacts.get(id)?.companyIds ?? []);
    systems.addContact(newId, properties, [...new Set(companyIds)]);
  } else {
    systems.addCompany(newId, properties);
    for (const contact of systems.contacts.values())
      contact.companyIds = [
        ...new Set((contact.companyIds ?? []).map((id) => (id === primaryId || id === otherId ? newId : id))),
      ];
  }
  records.delete(primaryId);
  records.delete(otherId);
}

describe('mergedIds', () => {
  it('reads hs_merged_object_ids, without blanks, repeats or the record’s own id', () => {
    expect(mergedIds({ id: '30', properties: { hs_merged_object_ids: ' 11; 12;;11;30' } })).toEqual([
      '11',
      '12',
    ]);
    expect(mergedIds({ id: '30', properties: {} })).toEqual([]);
  });
});

describe.each([
  { type: 'contacts' as const, entity: 'contact' as const, first: '11', second: '12' },
  { type: 'companies' as const, entity: 'customer' as const, first: '1', second: '2' },
])('following a HubSpot merge of $type', ({ type, entity, first, second }) => {
  it('moves the link to a new-id survivor of two records linked to the same record; nothing is created', () => {
    const systems = syncedWorld();
    const target = linkOf(systems, type, first) ?? 0;
    const links = entity === 'customer' ? systems.customerLinks : systems.contactLinks;
    // Duplicates of one record, both linked to it (the record the second was linked to is gone).
    systems.associates.delete(linkOf(systems, type, second) ?? 0);
    links.set(second, { ...(links.get(first) ?? { fingerprints: {} }), crmId: second, associateNo: target });
    mergeWithNewId(systems, type, first, second, '90');
    const plan = planSync(systems.input(policy));
    expect(ofEntity(plan.operations, entity).filter((operation) => operation.kind === 'relink')).toEqual([
      expect.objectContaining({ fromCrmId: first, toCrmId: '90', associateNo: target }),
      expect.objectContaining({ fromCrmId: second, toCrmId: '90', associateNo: target }),
    ]);
    expect(creates(plan.operations)).toEqual([]);
    systems.apply(plan);
    expect(linkOf(systems, type, '90')).toBe(target);
    expect(creates(planSync(systems.input(policy)).operations)).toEqual([]);
  });

  it('makes two records linked to different records one conflict: no relink, no create, no write, every cycle', () => {
    const systems = syncedWorld();
    const associateNos = [linkOf(systems, type, first), linkOf(systems, type, second)];
    mergeWithNewId(systems, type, first, second, '90');
    for (let cycle = 0; cycle < 2; cycle += 1) {
      const plan = planSync(systems.input(policy));
      expect(ofEntity(plan.operations, entity)).toEqual([
        expect.objectContaining({
          kind: 'conflict',
          crmId: '90',
          field: 'link',
          reason: 'merged-records-linked-differently',
          erpValue: associateNos.join(' / '),
        }),
      ]);
      expect(creates(plan.operations)).toEqual([]);
      expect(writesFor(plan.operations, '90')).toEqual([]);
      systems.apply(plan);
    }
    expect(linkOf(systems, type, '90')).toBeUndefined();
  });

  it('moves the link to the survivor when only one of the two was linked, and syncs the pair from there', () => {
    const systems = syncedWorld();
    const target = linkOf(systems, type, first);
    // A record added in HubSpot since the last cycle, not linked yet, becomes the merge's primary.
    if (type === 'contacts')
      systems.addContact('40', { firstname: 'Kari', lastname: 'Nordmann-Berg', phone: '+4733123456' }, ['1']);
    else systems.addCompany('40', { name: 'Fjord AS', phone: '+4733123456', lifecyclestage: 'customer' });
    mergeWithNewId(systems, type, '40', first, '90');
    const plan = planSync(systems.input(policy));
    expect(ofEntity(plan.operations, entity)[0]).toMatchObject({
      kind: 'relink',
      fromCrmId: first,
      toCrmId: '90',
      associateNo: target,
    });
    expect(creates(plan.operations)).toEqual([]);
    // The survivor is a linked pair now: its new phone goes to Business NXT like any edit.
    expect(ofEntity(plan.operations, entity)).toContainEqual(
      expect.objectContaining({
        kind: 'update-erp',
        crmId: '90',
        values: expect.objectContaining({ phone: '+4733123456' }),
      }),
    );
    systems.apply(plan);
    expect(linkOf(systems, type, '90')).toBe(target);
    expect(systems.associates.get(target ?? 0)?.phone).toBe('+4733123456');
    const next = planSync(systems.input(policy));
    expect(creates(next.operations)).toEqual([]);
    expect(writesFor(next.operations, '90')).toEqual([]);
  });

  it('keeps a survivor’s own link (a primary that kept its id) and drops the merged-away one to the same record', () => {
    const systems = syncedWorld();
    const target = linkOf(systems, type, first) ?? 0;
    const records = type === 'companies' ? systems.companies : systems.contacts;
    const survivor = records.get(first);
    if (survivor) survivor.properties.hs_merged_object_ids = '77';
    const links = entity === 'customer' ? systems.customerLinks : systems.contactLinks;
    links.set('77', { crmId: '77', associateNo: target, fingerprints: {} });
    const plan = planSync(systems.input(policy));
    expect(ofEntity(plan.operations, entity)).toEqual([
      expect.objectContaining({ kind: 'relink', fromCrmId: '77', toCrmId: first }),
    ]);
    systems.apply(plan);
    expect([...links.keys()]).not.toContain('77');
    expect(linkOf(systems, type, first)).toBe(target);
  });
});
