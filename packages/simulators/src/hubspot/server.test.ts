import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateResponse } from '@port-service/hubspot-openapi';
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
    // Every answer the simulator gives is checked against HubSpot's official OpenAPI documents.
    if (
      response.status < 400 ||
      response.status === 404 ||
      response.status === 409 ||
      response.status === 400
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

  it('merges: the loser is archived, its id lands in hs_merged_object_ids and still works for a single PATCH only', async () => {
    const { call } = await start();
    const a = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'A' },
      associations: [],
    });
    const b = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'B' },
      associations: [],
    });
    const merged = await call('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: a.json.id,
      objectIdToMerge: b.json.id,
    });
    expect(merged.json.properties.hs_merged_object_ids).toBe(b.json.id);
    expect(
      (await call('PATCH', `/crm/v3/objects/companies/${b.json.id}`, { properties: { city: 'Larvik' } })).json
        .id,
    ).toBe(a.json.id);
    const batch = await call('POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [{ id: b.json.id, properties: { city: 'Oslo' }, objectWriteTraceId: 'x' }],
    });
    expect(batch.status).toBe(207);
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
