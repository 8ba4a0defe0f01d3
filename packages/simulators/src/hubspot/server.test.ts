import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hubspotDocumentsAvailable, validateResponse } from '@port-service/hubspot-openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, type HubSpotSimulatorOptions, startHubSpotSimulator } from './server.js';

const running: HubSpotSimulator[] = [];
const violations: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
  const found = violations.splice(0);
  expect(found).toEqual([]);
});

async function start(options: HubSpotSimulatorOptions = {}) {
  const simulator = await startHubSpotSimulator(options);
  running.push(simulator);
  const call = async (method: string, path: string, body?: unknown, token = simulator.accessToken) => {
    const response = await fetch(`${simulator.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = text === '' ? null : JSON.parse(text);
    // Every answer the simulator gives is checked against HubSpot's official OpenAPI documents, where they are on
    // this machine (the documents are not in the repository); the behaviour checks run either way.
    if (
      hubspotDocumentsAvailable &&
      (response.status < 400 || response.status === 404 || response.status === 409 || response.status === 400)
    ) {
      violations.push(...validateResponse(method, path.split('?')[0] ?? path, response.status, json));
    }
    return { status: response.status, headers: response.headers, json };
  };
  return { simulator, call };
}

describe('HubSpot simulator: records', () => {
  it('refuses requests without the token, as HubSpot does', async () => {
    const { call } = await start();
    const answer = await call('GET', '/crm/v3/objects/companies', undefined, 'wrong');
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('creates, reads, updates (empty clears), and archives, maintaining the modified dates', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call } = await start({ now: () => now });
    const created = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Fjord AS', phone: '33123456' },
      associations: [],
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(id).toMatch(/^\d+$/);
    now += 60_000;
    await call('PATCH', `/crm/v3/objects/companies/${id}`, { properties: { phone: '', city: 'Larvik' } });
    const read = await call(
      'GET',
      `/crm/v3/objects/companies/${id}?properties=name,phone,city,hs_lastmodifieddate,createdate,unknown_prop`,
    );
    // The cleared phone is left out (the OpenAPI document has no null property values).
    expect(read.json.properties).toEqual({
      name: 'Fjord AS',
      city: 'Larvik',
      hs_lastmodifieddate: '2026-11-24T10:01:00.000Z',
      createdate: '2026-11-24T10:00:00.000Z',
    });
    expect(read.json.updatedAt).toBe('2026-11-24T10:01:00.000Z');
    expect((await call('DELETE', `/crm/v3/objects/companies/${id}`)).status).toBe(204);
    expect((await call('GET', `/crm/v3/objects/companies/${id}`)).status).toBe(404);
    expect((await call('GET', `/crm/v3/objects/companies/${id}?archived=true`)).json.archived).toBe(true);
  });

  it('refuses unknown and read-only properties, and a second contact with one email (409 with the id)', async () => {
    const { call } = await start();
    expect(
      (await call('POST', '/crm/v3/objects/companies', { properties: { bogus: 'x' }, associations: [] }))
        .json,
    ).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(
      (
        await call('POST', '/crm/v3/objects/companies', {
          properties: { hs_object_id: '5' },
          associations: [],
        })
      ).status,
    ).toBe(400);
    const first = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'iselin@port-service.no' },
      associations: [],
    });
    const second = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'ISELIN@port-service.no' },
      associations: [],
    });
    expect(second.status).toBe(409);
    expect(second.json.message).toBe(`Contact already exists. Existing ID: ${first.json.id}`);
  });

  it('lists with cursors, archived records only when asked', async () => {
    const { call } = await start({ companies: 7, seed: 3 });
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await call('GET', `/crm/v3/objects/companies?limit=3${after ? `&after=${after}` : ''}`);
      ids.push(...page.json.results.map((record: { id: string }) => record.id));
      after = page.json.paging?.next?.after;
      if (!after) break;
    }
    expect(new Set(ids).size).toBe(7);
    expect((await call('GET', '/crm/v3/objects/companies?archived=true')).json.results).toEqual([]);
  });

  it('answers propertiesWithHistory on single, list and batch reads: the names asked, newest first', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call, simulator } = await start({ now: () => now });
    const created = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Fjord AS', phone: '33123456' },
      associations: [],
    });
    const id = created.json.id as string;
    now += 60_000;
    await call('PATCH', `/crm/v3/objects/companies/${id}`, {
      properties: { phone: '33999999', city: 'Larvik' },
    });
    now += 60_000;
    // A cleared value goes into the history as ''; an unchanged one does not.
    await call('PATCH', `/crm/v3/objects/companies/${id}`, { properties: { phone: '', name: 'Fjord AS' } });
    now += 60_000;
    // An edit in-process ("as a user in HubSpot") is CRM_UI; writes through the API are API.
    const stored = simulator.store.records.companies.get(id);
    if (stored) simulator.store.update(stored, { city: 'Tønsberg' });
    const phone = [
      { value: '', timestamp: '2026-11-24T10:02:00.000Z', sourceType: 'API' },
      { value: '33999999', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' },
      { value: '33123456', timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'API' },
    ];
    const city = [
      { value: 'Tønsberg', timestamp: '2026-11-24T10:03:00.000Z', sourceType: 'CRM_UI' },
      { value: 'Larvik', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' },
    ];
    const name = [{ value: 'Fjord AS', timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'API' }];
    // Unknown names, never-set ones and the modified date (no history kept) are left out.
    const asked = 'phone,city,name,hs_lastmodifieddate,website,unknown_prop';
    const single = await call(
      'GET',
      `/crm/v3/objects/companies/${id}?properties=name&propertiesWithHistory=${asked}`,
    );
    expect(single.json.properties.name).toBe('Fjord AS');
    expect(single.json.propertiesWithHistory).toEqual({ phone, city, name });
    // Repeated as the SDK sends it (explode: true), and on the list.
    const list = await call(
      'GET',
      '/crm/v3/objects/companies?propertiesWithHistory=phone&propertiesWithHistory=city',
    );
    expect(list.json.results[0].propertiesWithHistory).toEqual({ phone, city });
    const batch = await call('POST', '/crm/v3/objects/companies/batch/read', {
      inputs: [{ id }],
      properties: ['phone'],
      propertiesWithHistory: ['phone', 'unknown_prop'],
    });
    expect(batch.json.results[0].propertiesWithHistory).toEqual({ phone });
    // Not asked: not there.
    expect((await call('GET', `/crm/v3/objects/companies/${id}`)).json.propertiesWithHistory).toBeUndefined();
    const plain = await call('POST', '/crm/v3/objects/companies/batch/read', {
      inputs: [{ id }],
      properties: ['phone'],
      propertiesWithHistory: [],
    });
    expect(plain.json.results[0].propertiesWithHistory).toBeUndefined();
  });
});

describe('HubSpot simulator: batches', () => {
  it('creates all-or-nothing without trace ids, and per input (207) with them', async () => {
    const { call, simulator } = await start();
    const plain = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'a@x.no' }, associations: [] },
        { properties: { bogus: '1' }, associations: [] },
      ],
    });
    expect(plain.status).toBe(400);
    expect(simulator.store.records.contacts.size).toBe(0);
    const traced = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'a@x.no' }, associations: [], objectWriteTraceId: 't1' },
        { properties: { bogus: '1' }, associations: [], objectWriteTraceId: 't2' },
      ],
    });
    expect(traced.status).toBe(207);
    expect(
      traced.json.results.map((record: { objectWriteTraceId: string }) => record.objectWriteTraceId),
    ).toEqual(['t1']);
    expect(traced.json.errors[0].context.objectWriteTraceId).toEqual(['t2']);
    const tooMany = Array.from({ length: 101 }, (_, index) => ({
      properties: { email: `p${index}@x.no` },
      associations: [],
    }));
    expect((await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: tooMany })).status).toBe(
      400,
    );
  });

  it('reads with 207 OBJECT_NOT_FOUND for unknown ids, and upserts by a unique property', async () => {
    const { call } = await start();
    const created = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'kari@x.no' },
      associations: [],
    });
    const read = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: created.json.id }, { id: '999' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.status).toBe(207);
    expect(read.json.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999'] } });
    const upsert = await call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'kari@x.no', idProperty: 'email', properties: { firstname: 'Kari' }, objectWriteTraceId: 'a' },
        { id: 'ola@x.no', idProperty: 'email', properties: { firstname: 'Ola' }, objectWriteTraceId: 'b' },
      ],
    });
    expect(upsert.json.results.map((record: { new: boolean }) => record.new)).toEqual([false, true]);
  });
});

describe('HubSpot simulator: search', () => {
  it('filters, sorts (string and object forms), pages by offset, and refuses paging past 10,000', async () => {
    const { call } = await start({ companies: 30, seed: 5 });
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] }],
      sorts: ['-hs_object_id'],
      properties: ['name'],
      limit: 5,
      after: '0',
    };
    const first = await call('POST', '/crm/v3/objects/companies/search', body);
    const ids = first.json.results.map((record: { id: string }) => Number(record.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.json.paging.next.after).toBe('5');
    const objectSort = await call('POST', '/crm/v3/objects/companies/search', {
      ...body,
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    });
    expect(Number(objectSort.json.results[0].id)).toBeLessThan(Number(objectSort.json.results[1].id));
    expect(
      (await call('POST', '/crm/v3/objects/companies/search', { ...body, after: '9900', limit: 200 })).status,
    ).toBe(400);
    const tooMany = { ...body, filterGroups: Array.from({ length: 6 }, () => body.filterGroups[0]) };
    expect((await call('POST', '/crm/v3/objects/companies/search', tooMany)).status).toBe(400);
  });

  it('shows writes to search only after the index lag', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call } = await start({ now: () => now, searchLagMs: 5000 });
    await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'ny@x.no' }, associations: [] });
    const search = {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ny@x.no' }] }],
      sorts: [],
      properties: [],
      limit: 10,
      after: '0',
    };
    expect((await call('POST', '/crm/v3/objects/contacts/search', search)).json.total).toBe(0);
    now += 5000;
    expect((await call('POST', '/crm/v3/objects/contacts/search', search)).json.total).toBe(1);
  });

  it('limits searches per second with the secondly message, outside the 10-second window', async () => {
    const { call } = await start({ searchPerSecond: 2, perTenSeconds: 100 });
    const search = { filterGroups: [], sorts: [], properties: [], limit: 1, after: '0' };
    const statuses = [];
    for (let index = 0; index < 3; index += 1)
      statuses.push((await call('POST', '/crm/v3/objects/companies/search', search)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('HubSpot simulator: associations, properties, merges, limits, webhooks', () => {
  it('associates inline on create; a primary association implies the default one; batch read shows both', async () => {
    const { call } = await start();
    const company = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'A AS' },
      associations: [],
    });
    const contact = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'a@a.no' },
      associations: [
        {
          to: { id: company.json.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
        },
      ],
    });
    const read = await call('POST', '/crm/v4/associations/companies/contacts/batch/read', {
      inputs: [{ id: company.json.id }],
    });
    expect(read.json.results[0].to).toEqual([
      {
        toObjectId: contact.json.id,
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 280 },
        ],
      },
    ]);
  });

  it('creates groups and unique properties, and enforces the uniqueness', async () => {
    const { call } = await start();
    expect((await call('GET', '/crm/v3/properties/companies/groups/visma_nxt')).status).toBe(404);
    expect(
      (await call('POST', '/crm/v3/properties/companies/groups', { name: 'visma_nxt', label: 'Visma NXT' }))
        .status,
    ).toBe(201);
    const created = await call('POST', '/crm/v3/properties/companies/batch/create', {
      inputs: [
        {
          name: 'visma_customer_no',
          label: 'Visma customer number',
          type: 'string',
          fieldType: 'text',
          groupName: 'visma_nxt',
          hasUniqueValue: true,
        },
      ],
    });
    expect(created.status).toBe(201);
    await call('POST', '/crm/v3/objects/companies', {
      properties: { visma_customer_no: '10001' },
      associations: [],
    });
    expect(
      (
        await call('POST', '/crm/v3/objects/companies', {
          properties: { visma_customer_no: '10001' },
          associations: [],
        })
      ).status,
    ).toBe(409);
  });

  it('merges into a new record with a new id: the primary wins, both old ids resolve to it, both leave lists and search', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call } = await start({ now: () => now });
    const company = (properties: Record<string, string>) =>
      call('POST', '/crm/v3/objects/companies', { properties, associations: [] });
    const b = await company({ name: 'B', city: 'Oslo', phone: '33123456' });
    now += 60_000;
    const a = await company({ name: 'A', city: 'Larvik' });
    const contact = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'kari@b.no' },
      associations: [
        { to: { id: b.json.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] },
      ],
    });
    await call(
      'PUT',
      `/crm/v4/objects/contacts/${contact.json.id}/associations/default/companies/${a.json.id}`,
    );
    now += 60_000;
    const merged = await call('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: a.json.id,
      objectIdToMerge: b.json.id,
    });
    expect(merged.status).toBe(200);
    const id = merged.json.id as string;
    expect([a.json.id, b.json.id]).not.toContain(id);
    expect(merged.json.properties).toMatchObject({
      name: 'A',
      city: 'Larvik',
      phone: '33123456',
      hs_object_id: id,
      createdate: b.json.createdAt,
      hs_lastmodifieddate: new Date(now).toISOString(),
    });
    expect(merged.json.properties.hs_merged_object_ids.split(';').sort()).toEqual(
      [a.json.id, b.json.id].sort(),
    );
    // Old ids: a single read or PATCH and a batch read answer with the new record; a batch update refuses them.
    for (const old of [a.json.id, b.json.id])
      expect((await call('GET', `/crm/v3/objects/companies/${old}`)).json.id).toBe(id);
    const patched = await call('PATCH', `/crm/v3/objects/companies/${b.json.id}`, {
      properties: { city: 'Tønsberg' },
    });
    expect([patched.json.id, patched.json.properties.city]).toEqual([id, 'Tønsberg']);
    const read = await call('POST', '/crm/v3/objects/companies/batch/read', {
      inputs: [{ id: a.json.id }, { id: b.json.id }],
      properties: ['name'],
    });
    expect([read.status, read.json.results.map((record: { id: string }) => record.id)]).toEqual([200, [id]]);
    const batch = await call('POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [{ id: b.json.id, properties: { city: 'Oslo' }, objectWriteTraceId: 'x' }],
    });
    expect(batch.status).toBe(207);
    // Lists and search (once its index caught up) show the new record only.
    now += 1000;
    const ids = (answer: { json: { results: Array<{ id: string }> } }) =>
      answer.json.results.map((record) => record.id);
    expect(ids(await call('GET', '/crm/v3/objects/companies?limit=100'))).toEqual([id]);
    expect(ids(await call('GET', '/crm/v3/objects/companies?archived=true'))).toEqual([]);
    expect(ids(await call('POST', '/crm/v3/objects/companies/search', { filterGroups: [] }))).toEqual([id]);
    // The contact's associations with both old companies became one with the new company, still primary.
    const companies = await call('POST', '/crm/v4/associations/contacts/companies/batch/read', {
      inputs: [{ id: contact.json.id }],
    });
    expect(companies.json.results[0].to).toEqual([
      {
        toObjectId: id,
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 279 },
        ],
      },
    ]);
    const old = await call('POST', '/crm/v4/associations/companies/contacts/batch/read', {
      inputs: [{ id: a.json.id }, { id: b.json.id }],
    });
    expect(old.json.results).toEqual([]);
    // Merging the result again: another new id, listing every id merged so far; the oldest ids follow it.
    const c = await company({ name: 'C' });
    const again = await call('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: c.json.id,
      objectIdToMerge: a.json.id,
    });
    expect(again.json.properties.hs_merged_object_ids.split(';').sort()).toEqual(
      [a.json.id, b.json.id, c.json.id, id].sort(),
    );
    expect((await call('GET', `/crm/v3/objects/companies/${b.json.id}`)).json.id).toBe(again.json.id);
    expect(
      (
        await call('POST', '/crm/v3/objects/companies/merge', {
          primaryObjectId: id,
          objectIdToMerge: c.json.id,
        })
      ).status,
    ).toBe(400);
  });

  it("keeps the property history of both records on the merged record, the primary's value first", async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { call } = await start({ now: () => now });
    await call('POST', '/crm/v3/properties/companies', {
      name: 'visma_actor_no',
      label: 'Visma actor number',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
    });
    const company = async (properties: Record<string, string>) =>
      (await call('POST', '/crm/v3/objects/companies', { properties, associations: [] })).json.id as string;
    const primary = await company({ name: 'A AS', visma_actor_no: '1001' });
    now += 60_000;
    const other = await company({ name: 'B AS', visma_actor_no: '2002', phone: '33123456' });
    now += 60_000;
    const merged = await call('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: primary,
      objectIdToMerge: other,
    });
    expect(merged.json.properties.visma_actor_no).toBe('1001');
    const read = await call('POST', '/crm/v3/objects/companies/batch/read', {
      inputs: [{ id: merged.json.id }],
      properties: ['visma_actor_no'],
      propertiesWithHistory: ['visma_actor_no', 'phone', 'name'],
    });
    // The current value (the primary's) first, though the other's was written later; then both, newest first.
    expect(read.json.results[0].propertiesWithHistory).toEqual({
      visma_actor_no: [
        { value: '1001', timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'API' },
        { value: '2002', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' },
      ],
      phone: [{ value: '33123456', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' }],
      name: [
        { value: 'A AS', timestamp: '2026-11-24T10:00:00.000Z', sourceType: 'API' },
        { value: 'B AS', timestamp: '2026-11-24T10:01:00.000Z', sourceType: 'API' },
      ],
    });
  });

  it('merges contacts: the other email becomes additional, one primary company stays, a merge event names all ids', async () => {
    const received: unknown[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(...JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hubspot/webhook`;
    try {
      const { call, simulator } = await start({ webhooks: [{ url, clientSecret: 'app-secret' }] });
      const company = async (name: string) =>
        (await call('POST', '/crm/v3/objects/companies', { properties: { name }, associations: [] })).json
          .id as string;
      const [first, second] = [await company('A AS'), await company('B AS')];
      const contact = async (email: string, companyId: string, firstname?: string) =>
        (
          await call('POST', '/crm/v3/objects/contacts', {
            properties: { email, ...(firstname ? { firstname } : {}) },
            associations: [
              {
                to: { id: companyId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
              },
            ],
          })
        ).json.id as string;
      const primary = await contact('kari@a.no', first);
      const other = await contact('kari.nordmann@b.no', second, 'Kari');
      const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
        primaryObjectId: primary,
        objectIdToMerge: other,
      });
      const id = merged.json.id as string;
      expect(merged.json.properties).toMatchObject({
        email: 'kari@a.no',
        firstname: 'Kari',
        hs_additional_emails: 'kari.nordmann@b.no',
      });
      expect(simulator.store.associationsOf('contacts', id, 'companies')).toEqual([
        { toId: first, typeIds: [1, 279] },
        { toId: second, typeIds: [279] },
      ]);
      expect(simulator.store.associationsOf('companies', second, 'contacts')).toEqual([
        { toId: id, typeIds: [280] },
      ]);
      // The email of the merged-away contact is free of it: a unique lookup finds the new record by its email only.
      const byEmail = await call('POST', '/crm/v3/objects/contacts/batch/read', {
        idProperty: 'email',
        inputs: [{ id: 'kari@a.no' }],
        properties: ['email'],
      });
      expect(byEmail.json.results.map((record: { id: string }) => record.id)).toEqual([id]);
      await expect
        .poll(
          () =>
            received.filter(
              (event) => (event as { subscriptionType?: string }).subscriptionType === 'contact.merge',
            ),
          {
            timeout: 3000,
          },
        )
        .toEqual([
          expect.objectContaining({
            objectId: Number(id),
            primaryObjectId: Number(primary),
            mergedObjectIds: [Number(other)],
            newObjectId: Number(id),
            numberOfPropertiesMoved: 1,
          }),
        ]);
    } finally {
      receiver.close();
    }
  });

  it('answers past the 10-second window with the documented 429 body, and sends rate-limit headers', async () => {
    const { call } = await start({ perTenSeconds: 2 });
    const ok = await call('GET', '/crm/v3/objects/companies');
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    await call('GET', '/crm/v3/objects/companies');
    const limited = await call('GET', '/crm/v3/objects/companies');
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({
      status: 'error',
      policyName: 'TEN_SECONDLY_ROLLING',
      errorType: 'RATE_LIMIT',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
  });

  it('stops everything past the daily limit with policy DAILY', async () => {
    const { call } = await start({ dailyLimit: 1 });
    await call('GET', '/crm/v3/objects/companies');
    expect((await call('GET', '/crm/v3/objects/companies')).json).toMatchObject({ policyName: 'DAILY' });
  });

  it('injects 423 and 477 (with Retry-After) among its faults', async () => {
    const { call } = await start({ faults: { rate: 1, kinds: ['477'] } });
    const answer = await call('GET', '/crm/v3/objects/companies');
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([477, '2']);
  });

  it('delivers events signed with v3 signatures', async () => {
    const received: Array<{ body: string; signature: string; timestamp: string }> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({
          body,
          signature: String(request.headers['x-hubspot-signature-v3']),
          timestamp: String(request.headers['x-hubspot-request-timestamp']),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hubspot/webhook`;
    try {
      const { call } = await start({ webhooks: [{ url, clientSecret: 'app-secret' }] });
      await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Ny AS' }, associations: [] });
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(1);
      const [event] = received;
      expect(JSON.parse(event?.body ?? '[]')[0]).toMatchObject({
        subscriptionType: 'company.creation',
        attemptNumber: 0,
      });
      expect(event?.signature).toBe(
        createHmac('sha256', 'app-secret')
          .update(`POST${url}${event?.body}${event?.timestamp}`)
          .digest('base64'),
      );
    } finally {
      receiver.close();
    }
  });
});

describe('HubSpot simulator: account details', () => {
  // Not among the OpenAPI documents `call` validates against: plain fetch.
  const details = (simulator: HubSpotSimulator, path: string, token = simulator.accessToken) =>
    fetch(`${simulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(
      async (response) => ({
        status: response.status,
        json: (await response.json()) as Record<string, unknown>,
      }),
    );

  it('answers the configured portal id on the date-based and legacy paths, behind the token', async () => {
    const { simulator } = await start({ portalId: 222 });
    for (const path of ['/account-info/2026-03/details', '/account-info/v3/details'])
      expect(await details(simulator, path)).toMatchObject({
        status: 200,
        json: { portalId: 222, accountType: 'STANDARD', uiDomain: 'app-eu1.hubspot.com' },
      });
    expect(simulator.portalId).toBe(222);
    expect((await details(simulator, '/account-info/2026-03/details', 'wrong')).status).toBe(401);
    expect((await details(simulator, '/account-info/2026-03/nothing')).status).toBe(404);
    const { simulator: defaults } = await start();
    expect((await details(defaults, '/account-info/2026-03/details')).json.portalId).toBe(1234567);
  });

  it('puts the same portal id in webhook events', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hubspot/webhook`;
    try {
      const { call } = await start({ portalId: 222, webhooks: [{ url, clientSecret: 'app-secret' }] });
      await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Ny AS' }, associations: [] });
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(1);
      expect(JSON.parse(received[0] ?? '[]')[0]).toMatchObject({ portalId: 222 });
    } finally {
      receiver.close();
    }
  });
});
