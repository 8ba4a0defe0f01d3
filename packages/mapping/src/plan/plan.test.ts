import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, parseSyncPolicy, type SyncPolicy } from '../config/policy.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import { type SyncOperation, writeKinds } from './operations.js';
import { planSync } from './plan.js';

const policy = defaultSyncPolicy();
const writes = (operations: readonly SyncOperation[]) =>
  operations.filter((operation) => writeKinds.has(operation.kind));
const kinds = (operations: readonly SyncOperation[]) => operations.map((operation) => operation.kind);

function policyWith(input: unknown): SyncPolicy {
  const result = parseSyncPolicy(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.policy;
}

function seed(systems: InMemorySystems): void {
  // Only in HubSpot, a customer: created in Business NXT, with its contact.
  systems.addCompany('101', {
    name: 'Fjordkraft Larvik AS',
    org_number: '923609016',
    address: 'Rødbølveien 22',
    zip: '3270',
    city: 'LARVIK',
    country: 'Norge',
    phone: '+47 99 58 22 44',
    lifecyclestage: 'customer',
  });
  systems.addContact(
    '201',
    { firstname: 'Iselin', lastname: 'Fox', email: 'Iselin@Fjordkraft.no', mobilephone: '920 99 720' },
    ['101'],
  );
  // In both systems with one org number: linked, not duplicated.
  systems.addCompany('102', {
    name: 'Brønnøy Båt AS',
    org_number: '974 760 673',
    zip: '8900',
    city: 'Brønnøysund',
    lifecyclestage: 'lead',
  });
  systems.addAssociate({
    associateNo: 1,
    customerNo: 10001,
    name: 'Brønnøy Båt AS',
    companyNo: '974760673',
    postCode: '8900',
    postalArea: 'BRØNNØYSUND',
    countryNo: 47,
    phone: '75 00 75 00',
  });
  systems.addContact('202', { firstname: 'Ola', lastname: 'Nordmann', email: 'ola@bronnoybat.no' }, ['102']);
  systems.addAssociate({
    associateNo: 2,
    name: 'Ola Nordmann',
    emailAddress: 'OLA@bronnoybat.no',
    phone: '+4741234567',
    contactPersonForAssociateNo: 1,
  });
  // Only in Business NXT: created in HubSpot, with its contact person.
  systems.addAssociate({
    associateNo: 3,
    customerNo: 10002,
    name: 'Statistikk Øst AS',
    companyNo: '971526920',
    addressLine1: 'Akersveien 26',
    postCode: '0177',
    postalArea: 'OSLO',
    countryNo: 47,
  });
  systems.addAssociate({
    associateNo: 4,
    name: 'Kari van der Berg',
    emailAddress: 'kari@ssb.example.no',
    mobilePhone: '48 12 34 56',
    contactPersonForAssociateNo: 3,
  });
}

describe('planSync: a first sync', () => {
  let systems: InMemorySystems;
  beforeEach(() => {
    systems = new InMemorySystems();
    seed(systems);
  });

  it('creates, links and orders customers before contacts', () => {
    const plan = planSync(systems.input(policy));
    const summary = plan.operations.map((operation) => `${operation.entity} ${operation.kind}`);
    // Customers before contacts; within each: strong matches, then creates from HubSpot, then from Business NXT.
    expect(summary).toEqual([
      'customer link',
      'customer baseline',
      'customer update-crm',
      'customer write-back',
      'customer create-erp',
      'customer create-crm',
      'contact link',
      'contact baseline',
      'contact update-crm',
      'contact write-back',
      'contact create-erp',
      'contact create-crm',
    ]);
    const createErp = plan.operations.find(
      (operation) => operation.kind === 'create-erp' && operation.entity === 'customer',
    );
    expect(createErp).toMatchObject({
      crmId: '101',
      values: {
        name: 'Fjordkraft Larvik AS',
        companyNo: '923609016',
        addressLine1: 'Rødbølveien 22',
        postCode: '3270',
        postalArea: 'LARVIK',
        countryNo: 47,
        phone: '+4799582244',
      },
    });
    const contactCreate = plan.operations.find(
      (operation) => operation.kind === 'create-erp' && operation.entity === 'contact',
    );
    expect(contactCreate).toMatchObject({
      crmId: '201',
      values: { name: 'Iselin Fox', emailAddress: 'iselin@fjordkraft.no', mobilePhone: '+4792099720' },
      customer: { kind: 'planned', operationId: 'customer:create-erp:101' },
    });
    const crmCreate = plan.operations.find(
      (operation) => operation.kind === 'create-crm' && operation.entity === 'contact',
    );
    expect(crmCreate).toMatchObject({
      properties: {
        firstname: 'Kari',
        lastname: 'van der Berg',
        email: 'kari@ssb.example.no',
        visma_actor_no: '4',
      },
      customer: { kind: 'planned', operationId: 'customer:create-crm:3' },
    });
    expect(
      plan.operations.find((operation) => operation.kind === 'link' && operation.entity === 'customer'),
    ).toMatchObject({
      crmId: '102',
      associateNo: 1,
      reason: 'org-number',
    });
  });

  it('converges: after applying, the next plan writes nothing, and the one after plans nothing at all', () => {
    systems.apply(planSync(systems.input(policy)));
    const second = planSync(systems.input(policy));
    expect(writes(second.operations)).toEqual([]);
    systems.apply(second);
    expect(planSync(systems.input(policy)).operations).toEqual([]);
    expect(systems.associates.size).toBe(6);
    expect(systems.companies.size).toBe(3);
    expect(systems.contacts.size).toBe(3);
  });

  it('is deterministic', () => {
    expect(planSync(systems.input(policy))).toEqual(planSync(systems.input(policy)));
  });
});

describe('planSync: incremental cycles', () => {
  let systems: InMemorySystems;
  beforeEach(() => {
    systems = new InMemorySystems();
    seed(systems);
    for (let cycle = 0; cycle < 2; cycle += 1) systems.apply(planSync(systems.input(policy)));
  });

  it('propagates a HubSpot edit to Business NXT only', () => {
    const company = systems.companies.get('101');
    if (company) company.properties.phone = '33 12 34 56';
    const plan = planSync(systems.input(policy));
    expect(plan.operations).toMatchObject([
      {
        kind: 'update-erp',
        crmId: '101',
        values: { phone: '+4733123456' },
        changes: [{ field: 'phone', reason: 'crm-changed' }],
      },
    ]);
  });

  it('propagates a Business NXT edit to HubSpot only, splitting the name', () => {
    const row = systems.associates.get(2);
    if (row) row.name = 'Ola Johan Nordmann';
    const plan = planSync(systems.input(policy));
    expect(plan.operations).toMatchObject([
      {
        kind: 'update-crm',
        entity: 'contact',
        crmId: '202',
        properties: { firstname: 'Ola Johan', lastname: 'Nordmann' },
      },
    ]);
  });

  it('treats a case-only city change as no change', () => {
    const company = systems.companies.get('102');
    if (company) company.properties.city = 'BRØNNØYSUND';
    expect(writes(planSync(systems.input(policy)).operations)).toEqual([]);
  });

  it('applies erp-wins to a legal field both sides changed', () => {
    const company = systems.companies.get('102');
    const row = systems.associates.get(1);
    if (company) company.properties.address = 'Sjøgata 1';
    if (row) row.addressLine1 = 'Havnegata 2';
    const plan = planSync(systems.input(policy));
    expect(plan.operations).toMatchObject([
      { kind: 'update-crm', properties: { address: 'Havnegata 2' }, changes: [{ reason: 'erp-wins' }] },
    ]);
  });

  it('applies newest-wins to reachability fields by record timestamps', () => {
    const contact = systems.contacts.get('202');
    const row = systems.associates.get(2);
    if (contact) {
      contact.properties.email = 'ola.n@bronnoybat.no';
      contact.updatedAt = '2026-11-24T10:00:00.000Z';
    }
    if (row) {
      row.emailAddress = 'ola@bronnoy.no';
      // Oslo local time 12:00 in November is 11:00 UTC: newer than HubSpot's 10:00 UTC.
      row.changedTimestamp = '2026-11-24T12:00:00';
    }
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      { kind: 'update-crm', properties: { email: 'ola@bronnoy.no' }, changes: [{ reason: 'erp-newer' }] },
    ]);
    if (row) row.changedTimestamp = '2026-11-24T10:30:00';
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      {
        kind: 'update-erp',
        values: { emailAddress: 'ola.n@bronnoybat.no' },
        changes: [{ reason: 'crm-newer' }],
      },
    ]);
  });

  it('queues a manual conflict and still syncs the other fields', () => {
    const manual = policyWith({ contacts: { fields: { email: { policy: 'manual' } } } });
    const contact = systems.contacts.get('202');
    const row = systems.associates.get(2);
    if (contact) {
      contact.properties.email = 'ola.n@bronnoybat.no';
      contact.properties.phone = '+47 41 11 22 33';
    }
    if (row) row.emailAddress = 'ola@bronnoy.no';
    expect(planSync(systems.input(manual)).operations).toMatchObject([
      { kind: 'update-erp', values: { phone: '+4741112233' } },
      {
        kind: 'conflict',
        field: 'email',
        crmValue: 'ola.n@bronnoybat.no',
        erpValue: 'ola@bronnoy.no',
        reason: 'both-changed',
      },
    ]);
  });

  it('restores the ERP numbers when someone edits them in HubSpot, and never sends them to Business NXT', () => {
    const company = systems.companies.get('102');
    if (company) company.properties.visma_customer_no = '99999';
    const plan = planSync(systems.input(policy));
    expect(plan.operations).toMatchObject([
      { kind: 'write-back', crmId: '102', properties: { visma_customer_no: '10001', visma_actor_no: '1' } },
    ]);
  });

  it('marks links of archived and deleted records and deletes nothing', () => {
    const company = systems.companies.get('101');
    if (company) company.archived = true;
    const plan = planSync(
      systems.input(policy, { erp: { ...systems.input(policy).erp, missingAssociateNos: [2] } }),
    );
    expect(plan.operations).toMatchObject([
      { kind: 'orphan', entity: 'customer', crmId: '101', side: 'crm', reason: 'archived-in-hubspot' },
      { kind: 'orphan', entity: 'contact', crmId: '202', side: 'erp', reason: 'deleted-in-business-nxt' },
    ]);
    systems.apply(plan);
    expect(writes(planSync(systems.input(policy)).operations)).toEqual([]);
  });

  it('follows a HubSpot merge: the link moves to the surviving company', () => {
    const survivorId = '103';
    systems.addCompany(survivorId, {
      ...systems.companies.get('102')?.properties,
      hs_merged_object_ids: '102',
    });
    systems.companies.delete('102');
    const plan = planSync(systems.input(policy));
    expect(plan.operations[0]).toMatchObject({
      kind: 'relink',
      fromCrmId: '102',
      toCrmId: survivorId,
      associateNo: 1,
    });
    expect(writes(plan.operations)).toEqual([]);
  });

  it('makes merged records linked to different customers a conflict', () => {
    systems.addCompany('104', {
      ...systems.companies.get('101')?.properties,
      hs_merged_object_ids: '101;102',
    });
    const plan = planSync(systems.input(policy));
    expect(plan.operations[0]).toMatchObject({
      kind: 'conflict',
      reason: 'merged-records-linked-differently',
    });
  });
});

describe('planSync: matching and bad input', () => {
  it('never auto-links two Business NXT customers that share an org number, and creates neither', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'Dobbel AS', org_number: '923609016', lifecyclestage: 'customer' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'Dobbel AS', companyNo: '923609016' });
    systems.addAssociate({
      associateNo: 8,
      customerNo: 2,
      name: 'Dobbel AS avd. Larvik',
      companyNo: '923609016',
    });
    const plan = planSync(systems.input(policy));
    expect(kinds(plan.operations)).toEqual(['candidates']);
    expect(plan.operations[0]).toMatchObject({
      recordId: '1',
      candidates: [
        { recordId: '7', reason: 'org-number' },
        { recordId: '8', reason: 'org-number' },
      ],
    });
  });

  it('holds two Business NXT customers that share an org number, naming each other', () => {
    const systems = new InMemorySystems();
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'Dobbel AS', companyNo: '923609016' });
    systems.addAssociate({
      associateNo: 8,
      customerNo: 2,
      name: 'Dobbel AS avd. Larvik',
      companyNo: '923609016',
    });
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      {
        kind: 'candidates',
        recordId: '7',
        candidates: [{ system: 'visma-nxt', recordId: '8', reason: 'org-number' }],
      },
    ]);
  });

  it('reports name + postal code matches as candidates, and links them only when configured', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'Larvik Havn AS', zip: '3263', lifecyclestage: 'customer' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'LARVIK HAVN', postCode: '3263' });
    expect(kinds(planSync(systems.input(policy)).operations)).toEqual(['candidates']);
    const auto = policyWith({ matching: { autoLinkCandidates: true } });
    expect(planSync(systems.input(auto)).operations[0]).toMatchObject({
      kind: 'link',
      reason: 'name-and-postal-code',
    });
  });

  it('links by the actor number stored in HubSpot (relink after a lost state store)', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A AS', visma_actor_no: '7', lifecyclestage: 'lead' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'A AS' });
    expect(planSync(systems.input(policy)).operations[0]).toMatchObject({
      kind: 'link',
      reason: 'erp-number',
      associateNo: 7,
    });
  });

  it('skips a record with bad data, naming every field and rule, and plans the rest', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', {
      name: 'Feil\u0007 AS',
      org_number: '923609017',
      phone: '12',
      lifecyclestage: 'customer',
    });
    systems.addCompany('2', { name: 'Riktig AS', org_number: '974760673', lifecyclestage: 'customer' });
    const plan = planSync(systems.input(policy));
    expect(kinds(plan.operations)).toEqual(['skip', 'create-erp']);
    expect(plan.operations[0]).toMatchObject({
      kind: 'skip',
      reason: 'invalid-data',
      recordId: '1',
      issues: [
        { system: 'hubspot', recordId: '1', field: 'orgNumber', rule: 'org-number-check-digit' },
        { field: 'name', rule: 'control-character' },
        { field: 'phone', rule: 'phone-invalid' },
      ],
    });
  });

  it('reports a value too long for Business NXT instead of cutting it', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A'.repeat(81), lifecyclestage: 'customer' });
    expect(planSync(systems.input(policy)).operations[0]).toMatchObject({
      kind: 'skip',
      issues: [{ field: 'name', rule: 'erp-column-length' }],
    });
  });

  it('ignores bad data in fields that do not sync', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A AS', phone: 'n/a', lifecyclestage: 'customer' });
    const noPhone = policyWith({ customers: { fields: { phone: { direction: 'none' } } } });
    expect(kinds(planSync(systems.input(noPhone)).operations)).toEqual(['create-erp']);
  });

  it('creates only customers that pass the filter, and says why for the others', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'Lead AS', lifecyclestage: 'lead' });
    expect(planSync(systems.input(policy)).operations).toMatchObject([
      { kind: 'skip', reason: 'not-eligible' },
    ]);
    expect(
      kinds(planSync(systems.input(policyWith({ customers: { createInErp: 'all' } }))).operations),
    ).toEqual(['create-erp']);
  });

  it('matches contacts by email within their customer and skips contacts of unsynced companies', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A AS', visma_actor_no: '7', lifecyclestage: 'customer' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'A AS' });
    systems.addAssociate({
      associateNo: 8,
      name: 'Per Persen',
      emailAddress: 'per@a.no',
      contactPersonForAssociateNo: 7,
    });
    systems.addContact('11', { firstname: 'Per', lastname: 'Persen', email: 'PER@a.no' }, ['1']);
    systems.addCompany('2', { name: 'Lead AS', lifecyclestage: 'lead' });
    systems.addContact('12', { firstname: 'Lise', email: 'lise@lead.no' }, ['2']);
    systems.addContact('13', { firstname: 'Alene', email: 'alene@example.no' }, []);
    const plan = planSync(systems.input(policy));
    expect(plan.operations.filter((operation) => operation.entity === 'contact')).toMatchObject([
      { kind: 'link', crmId: '11', associateNo: 8, reason: 'email' },
      { kind: 'baseline' },
      { kind: 'write-back', properties: { visma_actor_no: '8' } },
      { kind: 'skip', recordId: '12', reason: 'company-not-synced' },
      { kind: 'skip', recordId: '13', reason: 'no-company' },
    ]);
  });

  it('does not create a HubSpot contact whose email another company’s contact already has', () => {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A AS', visma_actor_no: '7' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'A AS' });
    systems.addAssociate({
      associateNo: 8,
      name: 'Per',
      emailAddress: 'per@a.no',
      contactPersonForAssociateNo: 7,
    });
    systems.addCompany('2', { name: 'B AS' });
    systems.addContact('11', { firstname: 'Per', email: 'per@a.no' }, ['2']);
    const contactOperations = planSync(systems.input(policy)).operations.filter(
      (operation) => operation.entity === 'contact',
    );
    expect(contactOperations).toMatchObject([
      { kind: 'skip', recordId: '11', reason: 'company-not-synced' },
      { kind: 'skip', recordId: '8', reason: 'email-at-other-company' },
    ]);
  });

  it('creates one HubSpot contact for two contact persons with the same email, and names the other', () => {
    const systems = new InMemorySystems();
    for (const [company, actor] of [
      ['1', 7],
      ['2', 9],
    ] as const) {
      systems.addCompany(company, { name: `${company} AS`, visma_actor_no: String(actor) });
      systems.addAssociate({ associateNo: actor, customerNo: actor, name: `${company} AS` });
    }
    for (const [associateNo, parent] of [
      [10, 9],
      [8, 7],
    ] as const)
      systems.addAssociate({
        associateNo,
        name: 'Per',
        emailAddress: 'per@a.no',
        contactPersonForAssociateNo: parent,
      });
    const contactOperations = planSync(systems.input(policy)).operations.filter(
      (operation) => operation.entity === 'contact',
    );
    expect(contactOperations).toMatchObject([
      { kind: 'create-crm', associateNo: 8 },
      { kind: 'skip', recordId: '10', reason: 'email-at-other-company' },
    ]);
    expect(contactOperations[1]).toMatchObject({ message: expect.stringContaining('contact person 8') });
  });
});

describe('planSync: contact persons sharing an email', () => {
  function sharingOneEmail(count: number): InMemorySystems {
    const systems = new InMemorySystems();
    systems.addCompany('1', { name: 'A AS', visma_actor_no: '7' });
    systems.addAssociate({ associateNo: 7, customerNo: 1, name: 'A AS' });
    for (let index = 0; index < count; index += 1)
      systems.addAssociate({
        associateNo: 10 + index,
        name: `Person ${index}`,
        emailAddress: 'post@a.no',
        contactPersonForAssociateNo: 7,
      });
    return systems;
  }
  const createdInCrm = (operations: readonly SyncOperation[]) =>
    operations.flatMap((operation) =>
      operation.entity === 'contact' && operation.kind === 'create-crm' ? [operation.associateNo] : [],
    );

  it('settles all of them in the first plan when HubSpot gets the email: one contact, the others name it', () => {
    const systems = sharingOneEmail(6);
    const first = planSync(systems.input(policy));
    expect(createdInCrm(first.operations)).toEqual([10]);
    const skips = first.operations.filter((operation) => operation.kind === 'skip');
    expect(skips.map((operation) => operation.message)).toEqual(
      Array(5).fill(expect.stringContaining('contact person 10 ')),
    );
    systems.apply(first);
    expect(writes(planSync(systems.input(policy)).operations)).toEqual([]);
    expect(systems.contacts.size).toBe(1);
  });

  for (const direction of ['crm-to-erp', 'none'] as const) {
    it(`creates all of them in one plan when the email does not go to HubSpot (email ${direction})`, () => {
      const oneWay = policyWith({ contacts: { fields: { email: { direction, clearOnEmpty: true } } } });
      const systems = sharingOneEmail(6);
      const first = planSync(systems.input(oneWay));
      // Without the email HubSpot has nothing to refuse: holding five back would take five more cycles.
      expect(createdInCrm(first.operations)).toEqual([10, 11, 12, 13, 14, 15]);
      systems.apply(first);
      // At most one more plan writes: the one-way email clears the Business NXT emails, all at once.
      const second = planSync(systems.input(oneWay));
      expect(createdInCrm(second.operations)).toEqual([]);
      systems.apply(second);
      expect(writes(planSync(systems.input(oneWay)).operations)).toEqual([]);
      expect(systems.contacts.size).toBe(6);
    });
  }
});
