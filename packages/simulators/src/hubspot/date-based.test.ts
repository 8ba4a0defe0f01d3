import { afterEach, describe, expect, it } from 'vitest';
import type { HubSpotSimulatorOptions } from './server.js';
import { type HubSpotSimulator, startForTest } from './test-support.js';

// The date-based API version 2026-09 (https://developers.hubspot.com/docs/api-reference/latest/overview) beside the
// legacy v3/v4 paths. Answers are checked against HubSpot's documents where they are on this machine.
const running: HubSpotSimulator[] = [];
const checks: string[][] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
  expect(checks.splice(0).flat()).toEqual([]);
});

async function start(options: HubSpotSimulatorOptions = {}) {
  const started = await startForTest(options);
  running.push(started.simulator);
  checks.push(started.violations);
  return started;
}

const objects = '/crm/objects/2026-09';
const associationsApi = '/crm/associations/2026-09';
const propertiesApi = '/crm/properties/2026-09';
const primary = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }];

describe('HubSpot simulator 2026-09: paths', () => {
  it('creates, reads, updates, lists and archives on the date-based paths, as on v3', async () => {
    const { call } = await start();
    const created = await call('POST', `${objects}/contacts`, {
      properties: { email: 'kari@example.no', firstname: 'Kari' },
      associations: [],
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    // The same record on the legacy path: one store behind both.
    expect((await call('GET', `/crm/v3/objects/contacts/${id}`)).json.properties.email).toBe(
      'kari@example.no',
    );
    const patched = await call('PATCH', `${objects}/contacts/${id}`, {
      properties: { lastname: 'Nordmann' },
    });
    expect([patched.status, patched.json.properties.lastname]).toEqual([200, 'Nordmann']);
    // Percent-encoded segments are decoded: an email as the id with idProperty=email.
    const byEmail = await call(
      'GET',
      `${objects}/contacts/kari%40example.no?idProperty=email&properties=lastname`,
    );
    expect([byEmail.status, byEmail.json.id, byEmail.json.properties.lastname]).toEqual([
      200,
      id,
      'Nordmann',
    ]);
    const updatedByEmail = await call('PATCH', `${objects}/contacts/kari%40example.no?idProperty=email`, {
      properties: { firstname: 'Kari Anne' },
    });
    expect(updatedByEmail.json.id).toBe(id);
    const list = await call('GET', `${objects}/contacts?limit=10&properties=firstname`);
    expect(
      list.json.results.map((record: { properties: { firstname: string } }) => record.properties.firstname),
    ).toEqual(['Kari Anne']);
    expect((await call('DELETE', `${objects}/contacts/${id}`)).status).toBe(204);
    expect((await call('GET', `${objects}/contacts/${id}`)).status).toBe(404);
    expect((await call('GET', `${objects}/contacts/${id}?archived=true`)).json.archived).toBe(true);
  });

  it('counts requests per API family and version', async () => {
    const { call, simulator } = await start();
    await call('GET', `${objects}/companies`);
    await call('GET', `${objects}/contacts`);
    await call('POST', `${associationsApi}/contacts/companies/batch/read`, { inputs: [] });
    await call('GET', `${propertiesApi}/companies`);
    expect(simulator.stats.byApi).toEqual({
      'crm/objects/2026-09': 2,
      'crm/associations/2026-09': 1,
      'crm/properties/2026-09': 1,
    });
    await call('GET', '/crm/v3/objects/companies');
    await call('POST', '/crm/v4/associations/contacts/companies/batch/read', { inputs: [] });
    await fetch(`${simulator.baseUrl}/account-info/2026-03/details`, {
      headers: { authorization: `Bearer ${simulator.accessToken}` },
    });
    const stats = (await (await fetch(`${simulator.adminUrl}/stats`)).json()) as { byApi: object };
    expect(stats.byApi).toMatchObject({
      'crm/v3/objects': 1,
      'crm/v4/associations': 1,
      'account-info/2026-03': 1,
    });
  });

  it('checks scopes on the date-based paths, and changes scopes and the search lag at runtime', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call, simulator } = await start({
      now: () => now,
      scopes: ['crm.objects.contacts.read', 'crm.schemas.contacts.read'],
    });
    const denied = await call('POST', `${objects}/contacts`, { properties: {}, associations: [] });
    expect(denied.status).toBe(403);
    expect(denied.json.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.contacts.write']);
    expect((await call('GET', `${objects}/contacts`)).status).toBe(200);
    expect((await call('POST', `${objects}/contacts/search`, { filterGroups: [] })).status).toBe(200);
    const association = await call('POST', `${associationsApi}/companies/contacts/batch/read`, {
      inputs: [],
    });
    expect(association.json.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.companies.read']);
    expect((await call('GET', `${propertiesApi}/contacts`)).status).toBe(200);
    const schema = await call('POST', `${propertiesApi}/contacts/groups`, { name: 'erp', label: 'ERP' });
    expect(schema.json.errors[0].context.requiredGranularScopes).toEqual(['crm.schemas.contacts.write']);
    const settings = (body: unknown) =>
      fetch(`${simulator.adminUrl}/settings`, { method: 'POST', body: JSON.stringify(body) });
    expect(await (await settings({ scopes: null, searchLagMs: 5000 })).json()).toEqual({
      searchLagMs: 5000,
      scopes: null,
    });
    expect((await call('POST', `${objects}/contacts`, { properties: {}, associations: [] })).status).toBe(
      201,
    );
    const search = { filterGroups: [], sorts: [], properties: [], limit: 10, after: '0' };
    expect((await call('POST', `${objects}/contacts/search`, search)).json.total).toBe(0);
    now += 5000;
    expect((await call('POST', `${objects}/contacts/search`, search)).json.total).toBe(1);
    await settings({ scopes: ['crm.objects.companies.read'] });
    expect((await call('GET', `${objects}/contacts`)).status).toBe(403);
    expect((await settings({ searchLagMs: -1 })).status).toBe(400);
  });

  it('erases a contact for good with gdpr-delete (by id or email), on 2026-09 and v3', async () => {
    const { call, simulator } = await start();
    const contact = async (email: string) =>
      (await call('POST', `${objects}/contacts`, { properties: { email }, associations: [] })).json
        .id as string;
    const first = await contact('a@example.no');
    await contact('b@example.no');
    expect((await call('POST', `${objects}/contacts/gdpr-delete`, { objectId: first })).status).toBe(204);
    expect(
      (
        await call('POST', '/crm/v3/objects/contacts/gdpr-delete', {
          objectId: 'b@example.no',
          idProperty: 'email',
        })
      ).status,
    ).toBe(204);
    expect(simulator.store.records.contacts.size).toBe(0);
    expect((await call('GET', `${objects}/contacts/${first}?archived=true`)).status).toBe(404);
    expect((await call('POST', `${objects}/contacts/gdpr-delete`, { objectId: '999' })).status).toBe(404);
  });
});

describe('HubSpot simulator 2026-09: batch answers', () => {
  it('answers partial batches 201/200 with errors and numErrors in the body, where v3 answers 207', async () => {
    const { call } = await start();
    const inputs = [
      { properties: { email: 'a@x.no' }, associations: [], objectWriteTraceId: 't1' },
      { properties: { bogus: '1' }, associations: [], objectWriteTraceId: 't2' },
    ];
    const created = await call('POST', `${objects}/contacts/batch/create`, { inputs });
    expect([created.status, created.json.numErrors, created.json.results.length]).toEqual([201, 1, 1]);
    expect(created.json.errors[0].context.objectWriteTraceId).toEqual(['t2']);
    const id = created.json.results[0].id;
    const read = await call('POST', `${objects}/contacts/batch/read`, {
      inputs: [{ id }, { id: '999' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect([read.status, read.json.numErrors, read.json.errors[0].context.ids]).toEqual([200, 1, ['999']]);
    const updated = await call('POST', `${objects}/contacts/batch/update`, {
      inputs: [
        { id, properties: { firstname: 'A' }, objectWriteTraceId: 'u1' },
        { id: '999', properties: { firstname: 'B' }, objectWriteTraceId: 'u2' },
      ],
    });
    expect([updated.status, updated.json.numErrors]).toEqual([200, 1]);
    const upserted = await call('POST', `${objects}/contacts/batch/upsert`, {
      inputs: [
        { id: 'a@x.no', idProperty: 'email', properties: { lastname: 'A' }, objectWriteTraceId: 'p1' },
        { id: 'c@x.no', idProperty: 'email', properties: { bogus: 'C' }, objectWriteTraceId: 'p2' },
      ],
    });
    expect([upserted.status, upserted.json.numErrors, upserted.json.results[0].new]).toEqual([200, 1, false]);
    const legacy = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'd@x.no' }, associations: [], objectWriteTraceId: 't1' },
        { properties: { bogus: '1' }, associations: [], objectWriteTraceId: 't2' },
      ],
    });
    expect(legacy.status).toBe(207);
  });
});

describe('HubSpot simulator: invalid values refused as HubSpot does', () => {
  it('refuses a malformed email, an unknown option and text in a number property, naming each', async () => {
    const { call } = await start();
    for (const base of [objects, '/crm/v3/objects']) {
      const contact = await call('POST', `${base}/contacts`, {
        properties: { email: 'kari@@example', lifecyclestage: 'kunde' },
        associations: [],
      });
      expect(contact.status).toBe(400);
      expect(contact.json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(contact.json.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(contact.json.message).toMatch(/^Property values were not valid: \[/);
      expect(JSON.parse(contact.json.message.slice('Property values were not valid: '.length))).toEqual([
        {
          isValid: false,
          message: 'Email address kari@@example is invalid',
          error: 'INVALID_EMAIL',
          name: 'email',
        },
        expect.objectContaining({ isValid: false, error: 'INVALID_OPTION', name: 'lifecyclestage' }),
      ]);
      expect(contact.json.errors).toEqual([
        {
          message: 'Email address kari@@example is invalid',
          code: 'INVALID_EMAIL',
          context: { propertyName: ['email'] },
        },
        expect.objectContaining({ code: 'INVALID_OPTION', context: { propertyName: ['lifecyclestage'] } }),
      ]);
      const company = await call('POST', `${base}/companies`, {
        properties: { name: 'Fjord AS', numberofemployees: 'tolv' },
        associations: [],
      });
      expect(company.json.errors).toEqual([
        {
          message: 'tolv was not a valid number.',
          code: 'INVALID_INTEGER',
          context: { propertyName: ['numberofemployees'] },
        },
      ]);
    }
    // Valid values pass, on create and update; "" still clears.
    const ok = await call('POST', `${objects}/companies`, {
      properties: {
        name: 'Fjord AS',
        numberofemployees: '12',
        annualrevenue: '1500000.50',
        lifecyclestage: 'lead',
      },
      associations: [],
    });
    expect(ok.status).toBe(201);
    const patch = await call('PATCH', `${objects}/companies/${ok.json.id}`, {
      properties: { lifecyclestage: 'customer', numberofemployees: '' },
    });
    expect(patch.status).toBe(200);
    const bad = await call('PATCH', `${objects}/companies/${ok.json.id}`, {
      properties: { annualrevenue: '1e6' },
    });
    expect(bad.json.errors[0].code).toBe('INVALID_INTEGER');
  });

  it('checks each value of a multiple-checkbox property against its options', async () => {
    const { call } = await start();
    const property = await call('POST', `${propertiesApi}/companies`, {
      name: 'services',
      label: 'Services',
      type: 'enumeration',
      fieldType: 'checkbox',
      groupName: 'companyinformation',
      options: [
        { label: 'Towing', value: 'towing', displayOrder: 0, hidden: false },
        { label: 'Pilotage', value: 'pilotage', displayOrder: 1, hidden: false },
      ],
    });
    expect(property.json.options.map((option: { value: string }) => option.value)).toEqual([
      'towing',
      'pilotage',
    ]);
    const ok = await call('POST', `${objects}/companies`, {
      properties: { name: 'Havn AS', services: 'towing;pilotage' },
      associations: [],
    });
    expect(ok.status).toBe(201);
    const bad = await call('PATCH', `${objects}/companies/${ok.json.id}`, {
      properties: { services: ';towing;mooring' },
    });
    expect(bad.json.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/^mooring was not one/),
      }),
    ]);
  });

  it('refuses an invalid input of a traced batch as its own error, and a whole untraced batch (all-or-nothing)', async () => {
    const { call, simulator } = await start();
    const traced = await call('POST', `${objects}/contacts/batch/create`, {
      inputs: [
        { properties: { email: 'ok@x.no' }, associations: [], objectWriteTraceId: 'ok' },
        { properties: { email: 'not-an-email' }, associations: [], objectWriteTraceId: 'bad' },
      ],
    });
    expect(traced.status).toBe(201);
    expect(
      traced.json.results.map((record: { objectWriteTraceId: string }) => record.objectWriteTraceId),
    ).toEqual(['ok']);
    expect(traced.json.errors).toEqual([
      expect.objectContaining({
        status: 'error',
        category: 'VALIDATION_ERROR',
        context: { objectWriteTraceId: ['bad'], propertyName: ['email'] },
        errors: [expect.objectContaining({ code: 'INVALID_EMAIL', context: { propertyName: ['email'] } })],
      }),
    ]);
    const legacy = await call('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: traced.json.results[0].id, properties: { lifecyclestage: 'nope' }, objectWriteTraceId: 'u' },
      ],
    });
    expect([legacy.status, legacy.json.errors[0].errors[0].code]).toEqual([207, 'INVALID_OPTION']);
    const before = simulator.store.records.contacts.size;
    const plain = await call('POST', `${objects}/contacts/batch/create`, {
      inputs: [
        { properties: { email: 'fine@x.no' }, associations: [] },
        { properties: { email: 'broken@' }, associations: [] },
      ],
    });
    expect([plain.status, plain.json.category, plain.json.errors[0].code]).toEqual([
      400,
      'VALIDATION_ERROR',
      'INVALID_EMAIL',
    ]);
    const upsert = await call('POST', `${objects}/contacts/batch/upsert`, {
      inputs: [{ id: 'new@x.no', idProperty: 'email', properties: { lifecyclestage: 'nope' } }],
    });
    expect(upsert.status).toBe(400);
    expect(simulator.store.records.contacts.size).toBe(before);
  });
});

describe("HubSpot simulator 2026-09: the portal's validation rules", () => {
  it('enforces a required property and a pattern on 2026-09 creates and updates (not on v3)', async () => {
    const { call, simulator } = await start({
      validationRules: { companies: [{ property: 'org_number', required: true, pattern: '^\\d{9}$' }] },
    });
    await call('POST', `${propertiesApi}/companies`, {
      name: 'org_number',
      label: 'Organization number',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
    });
    const missing = await call('POST', `${objects}/companies`, {
      properties: { name: 'A AS' },
      associations: [],
    });
    expect([missing.status, missing.json.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(missing.json.errors).toEqual([
      {
        message: expect.stringContaining('org_number'),
        code: 'REQUIRED_PROPERTY',
        context: { propertyName: ['org_number'], rule: ['required'] },
      },
    ]);
    const malformed = await call('POST', `${objects}/companies`, {
      properties: { name: 'A AS', org_number: '12345' },
      associations: [],
    });
    expect(malformed.json.errors[0]).toMatchObject({
      code: 'INVALID_FORMAT',
      context: { propertyName: ['org_number'] },
    });
    const ok = await call('POST', `${objects}/companies`, {
      properties: { name: 'A AS', org_number: '912345678' },
      associations: [],
    });
    expect(ok.status).toBe(201);
    // An update may leave it alone, but not clear it.
    expect(
      (await call('PATCH', `${objects}/companies/${ok.json.id}`, { properties: { city: 'Oslo' } })).status,
    ).toBe(200);
    const cleared = await call('PATCH', `${objects}/companies/${ok.json.id}`, {
      properties: { org_number: '' },
    });
    expect(cleared.json.errors[0].code).toBe('REQUIRED_PROPERTY');
    // v3: the rules are not applied (whether HubSpot enforces them there is not documented).
    expect(
      (await call('POST', '/crm/v3/objects/companies', { properties: { name: 'B AS' }, associations: [] }))
        .status,
    ).toBe(201);
    // In a traced batch, per input.
    const batch = await call('POST', `${objects}/companies/batch/create`, {
      inputs: [
        { properties: { name: 'C AS', org_number: '923456789' }, associations: [], objectWriteTraceId: 'c' },
        { properties: { name: 'D AS' }, associations: [], objectWriteTraceId: 'd' },
      ],
    });
    expect([batch.status, batch.json.results.length, batch.json.errors[0].context]).toEqual([
      201,
      1,
      { objectWriteTraceId: ['d'], propertyName: ['org_number'] },
    ]);
    // Replaced at runtime: no rules, then a contact rule.
    const replace = (body: unknown) =>
      fetch(`${simulator.adminUrl}/validation-rules`, { method: 'POST', body: JSON.stringify(body) });
    expect(
      (await replace({ contacts: [{ property: 'lastname', required: true, message: 'Etternavn mangler' }] }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', `${objects}/companies`, { properties: { name: 'E AS' }, associations: [] })).status,
    ).toBe(201);
    const contact = await call('POST', `${objects}/contacts`, {
      properties: { firstname: 'Kari' },
      associations: [],
    });
    expect(contact.json.errors[0]).toMatchObject({ message: 'Etternavn mangler', code: 'REQUIRED_PROPERTY' });
    expect((await replace({ contacts: [{ property: 'zip', pattern: '(' }] })).status).toBe(400);
    expect((await replace({ deals: [] })).status).toBe(400);
  });
});

describe('HubSpot simulator: what reads honour', () => {
  it('answers associations on a single read and a list, one entry per label', async () => {
    const { call } = await start();
    const company = await call('POST', `${objects}/companies`, {
      properties: { name: 'A AS' },
      associations: [],
    });
    const contact = await call('POST', `${objects}/contacts`, {
      properties: { email: 'kari@a.no' },
      associations: [{ to: { id: company.json.id }, types: primary }],
    });
    const single = await call('GET', `${objects}/contacts/${contact.json.id}?associations=companies`);
    expect(single.json.associations).toEqual({
      companies: {
        results: [
          { id: company.json.id, type: 'contact_to_company' },
          { id: company.json.id, type: 'contact_to_company_unlabeled' },
        ],
      },
    });
    const list = await call('GET', `/crm/v3/objects/companies?associations=contacts&associations=deals`);
    expect(list.json.results[0].associations).toEqual({
      contacts: {
        results: [
          { id: contact.json.id, type: 'company_to_contact' },
          { id: contact.json.id, type: 'company_to_contact_unlabeled' },
        ],
      },
    });
    const alone = await call('POST', `${objects}/contacts`, {
      properties: { email: 'ola@b.no' },
      associations: [],
    });
    expect(
      (await call('GET', `${objects}/contacts/${alone.json.id}?associations=companies`)).json.associations,
    ).toBeUndefined();
    expect((await call('GET', `${objects}/contacts/${contact.json.id}`)).json.associations).toBeUndefined();
  });

  it('answers propertiesWithHistory on 2026-09 single, list and batch reads', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call } = await start({ now: () => now });
    const id = (
      await call('POST', `${objects}/companies`, { properties: { name: 'A AS' }, associations: [] })
    ).json.id;
    now += 60_000;
    await call('PATCH', `${objects}/companies/${id}`, { properties: { name: 'B AS' } });
    const name = [
      { value: 'B AS', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' },
      { value: 'A AS', timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'API' },
    ];
    expect(
      (await call('GET', `${objects}/companies/${id}?propertiesWithHistory=name`)).json.propertiesWithHistory,
    ).toEqual({
      name,
    });
    expect(
      (await call('GET', `${objects}/companies?propertiesWithHistory=name`)).json.results[0]
        .propertiesWithHistory,
    ).toEqual({ name });
    const batch = await call('POST', `${objects}/companies/batch/read`, {
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: ['name'],
    });
    expect(batch.json.results[0].propertiesWithHistory).toEqual({ name });
  });

  it('searches the default searchable properties with `query`, a case-insensitive prefix of a word', async () => {
    // More than the 5 searches a second HubSpot allows, in one test.
    const { call } = await start({ searchPerSecond: 100 });
    const contact = (properties: Record<string, string>) =>
      call('POST', `${objects}/contacts`, { properties, associations: [] });
    await contact({ firstname: 'Kari', lastname: 'Nordmann', email: 'kari@fjord.no' });
    await contact({ firstname: 'Ola', lastname: 'Karisen', email: 'ola@havn.no', jobtitle: 'Kari' });
    await contact({ firstname: 'Per', lastname: 'Hansen', email: 'per@fjord.no', company: 'Fjord Shipping' });
    await call('POST', `${objects}/companies`, {
      properties: { name: 'Fjord Shipping AS', domain: 'fjordshipping.no' },
      associations: [],
    });
    const search = async (type: string, body: Record<string, unknown>) =>
      (await call('POST', `${objects}/${type}/search`, { filterGroups: [], ...body })).json.results.map(
        (record: { properties: { email?: string; name?: string } }) =>
          record.properties.email ?? record.properties.name,
      );
    // `kari` begins Kari and Karisen; jobtitle is not searched by default.
    expect(await search('contacts', { query: 'KARI' })).toEqual(['kari@fjord.no', 'ola@havn.no']);
    expect(await search('contacts', { query: 'fjord.no' })).toEqual(['kari@fjord.no', 'per@fjord.no']);
    expect(await search('contacts', { query: 'per@fjord.no' })).toEqual(['per@fjord.no']);
    expect(await search('contacts', { query: 'fjord shipping' })).toEqual(['per@fjord.no']);
    expect(await search('contacts', { query: 'ordmann' })).toEqual([]);
    expect(
      await search('contacts', {
        query: 'kari',
        filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: 'karisen' }] }],
      }),
    ).toEqual(['ola@havn.no']);
    expect(await search('companies', { query: 'fjordshipping' })).toEqual(['Fjord Shipping AS']);
  });
});

describe('HubSpot simulator: associations on 2026-09 and v4', () => {
  it('creates, reads and archives in batches, with string ids and the 2026-09 statuses', async () => {
    const { call, simulator } = await start();
    const company = (
      await call('POST', `${objects}/companies`, { properties: { name: 'A AS' }, associations: [] })
    ).json.id;
    const contact = (
      await call('POST', `${objects}/contacts`, { properties: { email: 'a@a.no' }, associations: [] })
    ).json.id;
    const pair = { from: { id: contact }, to: { id: company } };
    const created = await call('POST', `${associationsApi}/contacts/companies/batch/create`, {
      inputs: [{ ...pair, types: primary }],
    });
    expect(created.status).toBe(200);
    expect(created.json.results).toEqual([
      {
        fromObjectTypeId: '0-1',
        fromObjectId: contact,
        toObjectTypeId: '0-2',
        toObjectId: company,
        labels: ['Primary'],
      },
    ]);
    const legacy = await call('POST', '/crm/v4/associations/contacts/companies/batch/create', {
      inputs: [{ ...pair, types: primary }],
    });
    expect([legacy.status, legacy.json.results[0].fromObjectId]).toEqual([201, contact]);
    const read = await call('POST', `${associationsApi}/companies/contacts/batch/read`, {
      inputs: [{ id: company }],
    });
    expect(read.json.results).toEqual([
      {
        from: { id: company },
        to: [
          {
            toObjectId: contact,
            associationTypes: [
              { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' },
              { category: 'HUBSPOT_DEFINED', typeId: 280 },
            ],
          },
        ],
      },
    ]);
    const labelsArchived = await call('POST', `${associationsApi}/contacts/companies/batch/labels/archive`, {
      inputs: [{ ...pair, types: primary }],
    });
    expect([labelsArchived.status, labelsArchived.json.status]).toEqual([200, 'COMPLETE']);
    expect(simulator.store.associationsOf('contacts', contact, 'companies')).toEqual([
      { toId: company, typeIds: [279] },
    ]);
    const archived = await call('POST', `${associationsApi}/contacts/companies/batch/archive`, {
      inputs: [{ from: { id: contact }, to: [{ id: company }] }],
    });
    expect([archived.status, archived.json.results]).toEqual([200, []]);
    expect(simulator.store.associationsOf('contacts', contact, 'companies')).toEqual([]);
    const defaulted = await call('POST', `${associationsApi}/contacts/companies/batch/associate/default`, {
      inputs: [pair],
    });
    expect(defaulted.json.results[0].associationSpec.associationTypeId).toBe(279);
    expect(
      (
        await call('POST', '/crm/v4/associations/contacts/companies/batch/archive', {
          inputs: [{ from: { id: contact }, to: [{ id: company }] }],
        })
      ).status,
    ).toBe(204);
  });

  it('answers the labels between two types (2026-09 and v4)', async () => {
    const { call } = await start();
    const labels = await call('GET', `${associationsApi}/contacts/companies/labels`);
    expect(labels.json).toEqual({
      results: [
        { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
        { category: 'HUBSPOT_DEFINED', typeId: 279 },
      ],
    });
    // The v4 labels endpoint's document (association schema v4) is not among the ones at hand: not validated.
    const legacy = await call('GET', '/crm/v4/associations/companies/contacts/labels', undefined, {
      validate: false,
    });
    expect(legacy.json.results.map((label: { typeId: number }) => label.typeId)).toEqual([2, 280]);
  });

  it('associates one pair by default or with labels, and deletes every label; 2026-09 has no GET of one record', async () => {
    const { call, simulator } = await start();
    const company = (
      await call('POST', `${objects}/companies`, { properties: { name: 'A AS' }, associations: [] })
    ).json.id;
    const contact = (
      await call('POST', `${objects}/contacts`, { properties: { email: 'a@a.no' }, associations: [] })
    ).json.id;
    for (const base of [objects, '/crm/v4/objects']) {
      const defaulted = await call(
        'PUT',
        `${base}/contacts/${contact}/associations/default/companies/${company}`,
      );
      expect([defaulted.status, defaulted.json.results[0].to.id]).toEqual([200, company]);
      const labelled = await call(
        'PUT',
        `${base}/contacts/${contact}/associations/companies/${company}`,
        primary,
      );
      expect(labelled.status).toBe(201);
      expect(labelled.json).toEqual({
        fromObjectTypeId: '0-1',
        fromObjectId: contact,
        toObjectTypeId: '0-2',
        toObjectId: company,
        labels: ['Primary'],
      });
      expect(simulator.store.associationsOf('companies', company, 'contacts')).toEqual([
        { toId: contact, typeIds: [2, 280] },
      ]);
      expect(
        (await call('DELETE', `${base}/contacts/${contact}/associations/companies/${company}`)).status,
      ).toBe(204);
      expect(simulator.store.associationsOf('companies', company, 'contacts')).toEqual([]);
    }
    await call('PUT', `${objects}/contacts/${contact}/associations/default/companies/${company}`);
    const gone = await call('GET', `${objects}/contacts/${contact}/associations/companies`, undefined, {
      validate: false,
    });
    expect([gone.status, gone.json.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
    const v4 = await call('GET', `/crm/v4/objects/contacts/${contact}/associations/companies`);
    expect(v4.json.results).toEqual([
      { toObjectId: company, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279 }] },
    ]);
    expect(
      (await call('PUT', `${objects}/contacts/${contact}/associations/companies/${company}`, [])).status,
    ).toBe(400);
  });
});

describe('HubSpot simulator 2026-09: properties', () => {
  it('serves properties and groups as v3 does, batch create answering 200 (v3: 201), batch read and archive', async () => {
    const { call } = await start();
    expect((await call('GET', `${propertiesApi}/contacts`)).json.results.length).toBeGreaterThan(5);
    expect((await call('GET', `${propertiesApi}/contacts/email`)).json.hasUniqueValue).toBe(true);
    expect(
      (await call('POST', `${propertiesApi}/companies/groups`, { name: 'erp', label: 'ERP' })).status,
    ).toBe(201);
    expect((await call('GET', `${propertiesApi}/companies/groups/erp`)).json.label).toBe('ERP');
    expect((await call('GET', `${propertiesApi}/companies/groups`)).json.results).toHaveLength(2);
    const property = (name: string) => ({
      name,
      label: name,
      type: 'string',
      fieldType: 'text',
      groupName: 'erp',
    });
    const batch = await call('POST', `${propertiesApi}/companies/batch/create`, {
      inputs: [property('erp_no')],
    });
    expect([batch.status, batch.json.results[0].name]).toEqual([200, 'erp_no']);
    expect(
      (await call('POST', '/crm/v3/properties/companies/batch/create', { inputs: [property('erp_id')] }))
        .status,
    ).toBe(201);
    const read = await call('POST', `${propertiesApi}/companies/batch/read`, {
      inputs: [{ name: 'erp_no' }, { name: 'nothing' }],
      archived: false,
      dataSensitivity: 'non_sensitive',
    });
    expect([read.status, read.json.results.length, read.json.numErrors]).toEqual([200, 1, 1]);
    expect(
      (await call('POST', `${propertiesApi}/companies/batch/archive`, { inputs: [{ name: 'erp_no' }] }))
        .status,
    ).toBe(204);
    expect((await call('GET', `${propertiesApi}/companies/erp_no`)).status).toBe(404);
    expect(
      (await call('POST', `${propertiesApi}/companies/batch/archive`, { inputs: [{ name: 'name' }] })).status,
    ).toBe(400);
  });
});
