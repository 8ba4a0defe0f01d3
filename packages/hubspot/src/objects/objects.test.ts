import nock from 'nock';
import { describe, expect, it } from 'vitest';
import fixtures from '../__fixtures__/hubspot-errors.json' with { type: 'json' };
import {
  expectCall,
  origin,
  record,
  sentBodies,
  testClient,
  useNockGuards,
} from '../test-support/nock-hubspot.js';

useNockGuards();

const batch = (results: object[], errors?: object[]) => ({
  status: 'COMPLETE',
  results,
  startedAt: '2026-11-24T10:00:00.000Z',
  completedAt: '2026-11-24T10:00:01.000Z',
  ...(errors ? { numErrors: errors.length, errors } : {}),
});

describe('single records', () => {
  it('gets, creates (associations inline), updates and archives', async () => {
    const { client } = testClient();
    expectCall('GET', '/crm/objects/2026-09/companies/101', {
      status: 200,
      body: record('101', { name: 'Larvik Havn KF' }),
    });
    expectCall('POST', '/crm/objects/2026-09/contacts', {
      status: 201,
      body: record('201', { email: 'iselin@port-service.no' }),
    });
    expectCall('PATCH', '/crm/objects/2026-09/companies/101', {
      status: 200,
      body: record('101', { phone: '+4733123456' }),
    });
    expectCall('DELETE', '/crm/objects/2026-09/companies/101', { status: 204 });
    expect(
      (await client.companies.get('101', { properties: ['name', 'org_number'] }))._unsafeUnwrap().properties
        .name,
    ).toBe('Larvik Havn KF');
    expect(
      (
        await client.contacts.create({ email: 'iselin@port-service.no' }, [{ toId: '101', typeId: 279 }])
      ).isOk(),
    ).toBe(true);
    expect((await client.companies.update('101', { phone: '+4733123456' })).isOk()).toBe(true);
    expect((await client.companies.archive('101')).isOk()).toBe(true);
    expect(sentBodies[0]?.path).toContain('properties=name%2Corg_number');
    expect(sentBodies[1]?.body).toEqual({
      properties: { email: 'iselin@port-service.no' },
      associations: [
        { to: { id: '101' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] },
      ],
    });
  });

  it('reports "already exists" (409) with the existing id', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/objects/2026-09/contacts', { status: 409, body: fixtures.conflict.body });
    expect(
      (await client.contacts.create({ email: 'iselin@port-service.no' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      kind: 'already-exists',
      existingId: '37765128953',
      correlationId: '8d5e2c6a-1f0a-4b55-9f0f-0c9c3e1b7a11',
    });
  });

  it('pages through the list endpoint with after cursors', async () => {
    const { client } = testClient();
    expectCall('GET', '/crm/objects/2026-09/companies', {
      status: 200,
      body: {
        results: [record('1'), record('2')],
        paging: {
          next: { after: '3', link: 'https://api.hubapi.com/crm/objects/2026-09/companies?after=3' },
        },
      },
    });
    expectCall('GET', '/crm/objects/2026-09/companies', { status: 200, body: { results: [record('3')] } });
    const ids: string[] = [];
    for await (const page of client.companies.pages({ properties: ['name'] }))
      ids.push(...page._unsafeUnwrap().results.map((item) => item.id));
    expect(ids).toEqual(['1', '2', '3']);
    expect(sentBodies.map((sent) => sent.path.split('?')[1])).toEqual([
      'limit=100&properties=name&archived=false',
      'limit=100&after=3&properties=name&archived=false',
    ]);
  });
});

describe('batches', () => {
  it('creates in batches of 100 with a unique objectWriteTraceId per input, mapping errors in the 201 back to each input', async () => {
    const { client } = testClient();
    const inputs = Array.from({ length: 101 }, (_, index) => ({
      properties: { email: index === 1 ? 'bad@' : `p${index}@port-service.no` },
    }));
    expectCall('POST', '/crm/objects/2026-09/contacts/batch/create', (body) => {
      const sent = (body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs;
      const results = sent
        .filter((input) => input.objectWriteTraceId !== '1')
        .map((input) =>
          record(`9${input.objectWriteTraceId}`, {}, { objectWriteTraceId: input.objectWriteTraceId }),
        );
      // 2026-09 documents one 201 shape for batch create, with `errors`/`numErrors` when some inputs failed.
      return { status: 201, body: batch(results.reverse(), fixtures.batch207.errors) };
    });
    expectCall('POST', '/crm/objects/2026-09/contacts/batch/create', {
      status: 201,
      body: batch([record('9100', {}, { objectWriteTraceId: '100' })]),
    });
    const results = (await client.contacts.batchCreate(inputs))._unsafeUnwrap();
    expect(results).toHaveLength(101);
    expect(results[0]?._unsafeUnwrap().id).toBe('90');
    expect(results[1]?._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-value',
      refusals: [{ property: 'email', rule: 'INVALID_EMAIL', message: 'Email address bad@ is invalid' }],
      message: 'HubSpot refused email: INVALID_EMAIL (Email address bad@ is invalid)',
    });
    expect(results[100]?._unsafeUnwrap().id).toBe('9100');
    const firstBatch = sentBodies[0]?.body as { inputs: Array<{ objectWriteTraceId: string }> } | undefined;
    const traces = (firstBatch?.inputs ?? []).map((input) => input.objectWriteTraceId);
    expect(new Set(traces).size).toBe(100);
  });

  it('reads in batches, reporting ids HubSpot does not know as not found (errors in the 200)', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/objects/2026-09/contacts/batch/read', {
      status: 200,
      body: batch([record('201')], fixtures.notFound.errors),
    });
    const found = (
      await client.contacts.batchRead(['201', '404'], { properties: ['email'] })
    )._unsafeUnwrap();
    expect(found.get('201')?._unsafeUnwrap().id).toBe('201');
    expect(found.get('404')?._unsafeUnwrapErr()).toMatchObject({ kind: 'not-found' });
  });

  it('sends the requests of a batch read of more than 100 ids together, and fails it when one fails', async () => {
    const { client } = testClient();
    const ids = Array.from({ length: 250 }, (_, index) => String(5000 + index));
    // Each request is answered only once all three are in flight: sent one after another, the read never ends.
    const held: Array<() => void> = [];
    nock(origin)
      .post('/crm/objects/2026-09/companies/batch/read')
      .query(true)
      .times(3)
      .reply((_uri, body, answer) => {
        const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
        held.push(() => answer(null, [200, batch(inputs.map((input) => record(input.id)))]));
        if (held.length === 3) for (const release of held) release();
      });
    const found = (await client.companies.batchRead(ids, { properties: [] }))._unsafeUnwrap();
    expect([...found.keys()]).toEqual(ids);
    expect([...found.values()].every((read) => read.isOk())).toBe(true);

    expectCall('POST', '/crm/objects/2026-09/companies/batch/read', (body) => {
      const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
      return { status: 200, body: batch(inputs.map((input) => record(input.id))) };
    });
    expectCall('POST', '/crm/objects/2026-09/companies/batch/read', {
      status: 403,
      body: fixtures.missingScopes.body,
    });
    const failed = await client.companies.batchRead(ids.slice(0, 200), { properties: [] });
    expect(failed._unsafeUnwrapErr()).toMatchObject({ kind: 'auth' });
  });

  it('reads a legacy 207 answer the same way (v3 documented one; whether 2026-09 still sends it is not said)', async () => {
    const { client } = testClient();
    expectCall(
      'POST',
      '/crm/objects/2026-09/contacts/batch/read',
      { status: 207, body: batch([record('201')], fixtures.notFound.errors) },
      { unchecked: true },
    );
    const found = (
      await client.contacts.batchRead(['201', '404'], { properties: ['email'] })
    )._unsafeUnwrap();
    expect(found.get('201')?._unsafeUnwrap().id).toBe('201');
    expect(found.get('404')?._unsafeUnwrapErr()).toMatchObject({ kind: 'not-found' });
  });

  it('splits a batch HubSpot refused whole for one value until only that input is refused', async () => {
    const { client } = testClient();
    const refusal = {
      status: 'error',
      message:
        'Property values were not valid: [{"isValid":false,"message":"org_number is required","error":"REQUIRED_PROPERTY","name":"org_number"}]',
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      category: 'VALIDATION_ERROR',
    };
    const answer = (body: unknown) => {
      const inputs = (body as { inputs: Array<{ id: string; objectWriteTraceId: string }> }).inputs;
      if (inputs.some((input) => input.id === '103')) return { status: 400, body: refusal };
      return {
        status: 200,
        body: batch(
          inputs.map((input) => record(input.id, {}, { objectWriteTraceId: input.objectWriteTraceId })),
        ),
      };
    };
    // 4 inputs: refused whole, then [101,102] ok and [103,104] refused, then [103] refused and [104] ok.
    expectCall('POST', '/crm/objects/2026-09/companies/batch/update', answer, { times: 5 });
    const inputs = ['101', '102', '103', '104'].map((id) => ({ id, properties: { name: `n${id}` } }));
    const results = (await client.companies.batchUpdate(inputs))._unsafeUnwrap();
    expect(results.map((result) => (result.isOk() ? result.value.id : result.error.kind))).toEqual([
      '101',
      '102',
      'invalid-value',
      '104',
    ]);
    expect(results[2]?._unsafeUnwrapErr()).toMatchObject({
      refusals: [{ property: 'org_number', rule: 'REQUIRED_PROPERTY' }],
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    });
  });

  it('reads with propertiesWithHistory: sends the names in the body and parses each history', async () => {
    const { client } = testClient();
    const history = [
      { value: '7001', timestamp: '2026-11-24T09:00:00.000Z', sourceType: 'API', sourceId: 'sync-app' },
      { value: '7002', timestamp: '2026-11-20T08:00:00.000Z', sourceType: 'CRM_UI' },
    ];
    expectCall('POST', '/crm/objects/2026-09/companies/batch/read', {
      status: 200,
      body: batch([
        record('104', { visma_actor_no: '7001' }, { propertiesWithHistory: { visma_actor_no: history } }),
      ]),
    });
    const found = (
      await client.companies.batchRead(['104'], {
        properties: ['visma_actor_no'],
        propertiesWithHistory: ['visma_actor_no'],
      })
    )._unsafeUnwrap();
    expect(sentBodies[0]?.body).toEqual({
      inputs: [{ id: '104' }],
      properties: ['visma_actor_no'],
      propertiesWithHistory: ['visma_actor_no'],
    });
    expect(found.get('104')?._unsafeUnwrap().propertiesWithHistory?.visma_actor_no).toEqual(history);
  });

  it('upserts by a unique property, telling new records from updated ones', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/objects/2026-09/companies/batch/upsert', (body) => {
      const sent = (body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs;
      return {
        status: 200,
        body: batch(
          sent.map((input, index) => ({
            ...record(`7${index}`),
            new: index === 0,
            objectWriteTraceId: input.objectWriteTraceId,
          })),
        ),
      };
    });
    const results = (
      await client.companies.batchUpsert([
        { id: '10001', idProperty: 'visma_customer_no', properties: { name: 'A AS' } },
        { id: '10002', idProperty: 'visma_customer_no', properties: { name: 'B AS' } },
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => result._unsafeUnwrap().new)).toEqual([true, false]);
  });

  it('updates and archives in batches', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/objects/2026-09/companies/batch/update', (body) => ({
      status: 200,
      body: batch(
        (body as { inputs: Array<{ id: string; objectWriteTraceId: string }> }).inputs.map((input) =>
          record(input.id, {}, { objectWriteTraceId: input.objectWriteTraceId }),
        ),
      ),
    }));
    expectCall('POST', '/crm/objects/2026-09/companies/batch/archive', { status: 204 });
    expect(
      (await client.companies.batchUpdate([{ id: '101', properties: { phone: '' } }]))
        ._unsafeUnwrap()[0]
        ?.isOk(),
    ).toBe(true);
    expect((await client.companies.batchArchive(['101'])).isOk()).toBe(true);
  });

  it('merges, answering the new record, whose hs_merged_object_ids names both old ids', async () => {
    const { client } = testClient();
    // HubSpot's merges create a record with a new id (101 and 102 resolve to 104; 103 was merged into 101 before).
    expectCall('POST', '/crm/objects/2026-09/companies/merge', {
      status: 200,
      body: record('104', { hs_merged_object_ids: '103;101; 102;101;104' }),
    });
    const { mergedObjectIds } = await import('./objects.js');
    const merged = (await client.companies.merge('101', '102'))._unsafeUnwrap();
    expect(sentBodies[0]?.body).toEqual({ primaryObjectId: '101', objectIdToMerge: '102' });
    expect(merged.id).toBe('104');
    expect(mergedObjectIds(merged)).toEqual(['103', '101', '102']);
  });
});
