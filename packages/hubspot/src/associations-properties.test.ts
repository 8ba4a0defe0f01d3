import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectCall, sentBodies, testClient, useNockGuards } from './test-support/nock-hubspot.js';
import { parseWebhookEvents } from './webhooks/events.js';
import { verifySignatureV3 } from './webhooks/signature.js';

useNockGuards();

const property = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: name,
  type: 'string',
  fieldType: 'text',
  groupName: 'visma_nxt',
  description: '',
  options: [],
  createdAt: '2026-11-01T08:00:00.000Z',
  updatedAt: '2026-11-01T08:00:00.000Z',
  ...extra,
});

describe('associations', () => {
  it('reads many contacts’ companies in one batch, following a record’s paging', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/read', {
      status: 200,
      body: {
        status: 'COMPLETE',
        startedAt: '2026-11-24T10:00:00Z',
        completedAt: '2026-11-24T10:00:00Z',
        results: [
          {
            from: { id: '201' },
            to: [
              {
                toObjectId: '101',
                associationTypes: [
                  { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
                  { category: 'HUBSPOT_DEFINED', typeId: 279 },
                ],
              },
            ],
            paging: { next: { after: 'c1' } },
          },
        ],
      },
    });
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/read', {
      status: 200,
      body: {
        status: 'COMPLETE',
        startedAt: '2026-11-24T10:00:00Z',
        completedAt: '2026-11-24T10:00:00Z',
        results: [
          {
            from: { id: '201' },
            to: [
              {
                toObjectId: '102',
                associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279 }],
              },
            ],
          },
        ],
      },
    });
    const found = (
      await client.associations.batchRead('contacts', 'companies', ['201', '202'])
    )._unsafeUnwrap();
    expect(found.get('201')).toEqual([
      { toObjectId: '101', typeIds: [1, 279] },
      { toObjectId: '102', typeIds: [279] },
    ]);
    expect(found.get('202')).toEqual([]);
    expect(sentBodies[1]?.body).toEqual({ inputs: [{ id: '201', after: 'c1' }] });
  });

  it('creates default and primary associations in batches', async () => {
    const { client } = testClient();
    const done = {
      status: 200,
      body: {
        status: 'COMPLETE',
        startedAt: '2026-11-24T10:00:00Z',
        completedAt: '2026-11-24T10:00:00Z',
        results: [],
      },
    };
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/associate/default', done);
    // 2026-09 documents 200 for association batch create (v4 documented 201).
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/create', done);
    expect(
      (
        await client.associations.batchAssociateDefault('contacts', 'companies', [
          { fromId: '201', toId: '101' },
        ])
      ).isOk(),
    ).toBe(true);
    expect(
      (
        await client.associations.batchCreate('contacts', 'companies', [
          { fromId: '201', toId: '101', typeId: 1 },
        ])
      ).isOk(),
    ).toBe(true);
    expect(sentBodies[1]?.body).toEqual({
      inputs: [
        {
          from: { id: '201' },
          to: { id: '101' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
        },
      ],
    });
  });
});

describe('associations: moving a contact’s primary company', () => {
  const done = {
    status: 200,
    body: {
      status: 'COMPLETE',
      startedAt: '2026-11-24T10:00:00Z',
      completedAt: '2026-11-24T10:00:00Z',
      results: [],
    },
  };

  it('creates the new primary association, then removes only the primary label of the previous company', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/create', done);
    // 2026-09 documents a 200 with a `BatchResponseVoid` body here (v4 documented 204).
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/labels/archive', done);
    const moved = await client.associations.setPrimaryCompanies([
      { contactId: '201', companyId: '102', previousCompanyId: '101' },
      { contactId: '202', companyId: '102', previousCompanyId: null },
    ]);
    expect(moved.isOk()).toBe(true);
    expect(sentBodies[0]?.body).toEqual({
      inputs: ['201', '202'].map((id) => ({
        from: { id },
        to: { id: '102' },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
      })),
    });
    expect(sentBodies[1]?.body).toEqual({
      inputs: [
        {
          from: { id: '201' },
          to: { id: '101' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
        },
      ],
    });
  });

  it('fails when HubSpot rejects an input (errors in the 200), and removes no label then', async () => {
    const { client } = testClient();
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/create', {
      status: 200,
      body: {
        ...done.body,
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'VALIDATION_ERROR',
            message: 'No company with id 999',
            context: {},
            errors: [],
            links: {},
          },
        ],
      },
    });
    const moved = await client.associations.setPrimaryCompanies([
      { contactId: '201', companyId: '999', previousCompanyId: '101' },
    ]);
    expect(moved._unsafeUnwrapErr()).toMatchObject({ kind: 'validation' });
    expect(sentBodies).toHaveLength(1);
  });
});

describe('properties', () => {
  const specs = [
    {
      name: 'visma_customer_no',
      label: 'Visma customer number',
      type: 'string' as const,
      fieldType: 'text' as const,
      hasUniqueValue: true,
    },
    {
      name: 'visma_actor_no',
      label: 'Visma actor number',
      type: 'string' as const,
      fieldType: 'text' as const,
      hasUniqueValue: true,
    },
    { name: 'org_number', label: 'Organization number', type: 'string' as const, fieldType: 'text' as const },
  ];

  it('creates the group and only the missing properties, and reports one it cannot fix', async () => {
    const { client } = testClient();
    expectCall(
      'GET',
      '/crm/properties/2026-09/companies/groups/visma_nxt',
      {
        status: 404,
        body: { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND', correlationId: 'x' },
      },
      { unchecked: true },
    );
    expectCall('POST', '/crm/properties/2026-09/companies/groups', {
      status: 201,
      body: { name: 'visma_nxt', label: 'Visma NXT', displayOrder: -1, archived: false },
    });
    expectCall('GET', '/crm/properties/2026-09/companies', {
      status: 200,
      body: { results: [property('name'), property('visma_actor_no', { hasUniqueValue: false })] },
    });
    // 2026-09 documents 200 for property batch create (v3 documented 201).
    expectCall('POST', '/crm/properties/2026-09/companies/batch/create', {
      status: 200,
      body: {
        status: 'COMPLETE',
        startedAt: '2026-11-24T10:00:00Z',
        completedAt: '2026-11-24T10:00:00Z',
        results: [property('visma_customer_no', { hasUniqueValue: true }), property('org_number')],
      },
    });
    expect(
      (
        await client.properties.ensureProperties(
          'companies',
          { name: 'visma_nxt', label: 'Visma NXT' },
          specs,
        )
      )._unsafeUnwrap(),
    ).toEqual({
      created: ['visma_customer_no', 'org_number'],
      existing: ['visma_actor_no'],
      mismatched: [{ name: 'visma_actor_no', reason: expect.stringMatching(/hasUniqueValue is false/) }],
    });
  });

  it('changes nothing when everything exists', async () => {
    const { client } = testClient();
    expectCall('GET', '/crm/properties/2026-09/contacts/groups/visma_nxt', {
      status: 200,
      body: { name: 'visma_nxt', label: 'Visma NXT', displayOrder: -1, archived: false },
    });
    expectCall('GET', '/crm/properties/2026-09/contacts', {
      status: 200,
      body: {
        results: specs.map((spec) => property(spec.name, { hasUniqueValue: spec.hasUniqueValue ?? false })),
      },
    });
    expect(
      (
        await client.properties.ensureProperties('contacts', { name: 'visma_nxt', label: 'Visma NXT' }, specs)
      )._unsafeUnwrap().created,
    ).toEqual([]);
  });
});

describe('webhooks', () => {
  const secret = 'app-client-secret';
  const body =
    '[{"objectId":1246965,"propertyName":"lifecyclestage","propertyValue":"subscriber","changeSource":"CRM_UI","eventId":3816279340,"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":1462216307945,"subscriptionType":"contact.propertyChange","attemptNumber":0}]';
  const timestamp = Date.parse('2026-11-24T10:00:00Z');
  const sign = (uri: string, text = body, at = timestamp) =>
    createHmac('sha256', secret).update(`POST${uri}${text}${at}`).digest('base64');

  it('accepts a v3 signature, decoding the listed characters of the URI first', () => {
    const signedUri = 'https://sync.port-service.no/hubspot/webhook?source=hubspot&path=a/b';
    const received = 'https://sync.port-service.no/hubspot/webhook?source=hubspot&path=a%2Fb';
    expect(
      verifySignatureV3({
        method: 'post',
        uri: received,
        rawBody: body,
        timestamp,
        signature: sign(signedUri),
        clientSecret: secret,
        now: timestamp + 60_000,
      }),
    ).toEqual({ ok: true });
  });

  it('rejects tampered bodies, wrong secrets and timestamps older than five minutes', () => {
    const uri = 'https://sync.port-service.no/hubspot/webhook';
    const check = (overrides: Partial<Parameters<typeof verifySignatureV3>[0]>) =>
      verifySignatureV3({
        method: 'POST',
        uri,
        rawBody: body,
        timestamp,
        signature: sign(uri),
        clientSecret: secret,
        now: timestamp,
        ...overrides,
      });
    expect(check({ rawBody: body.replace('subscriber', 'customer') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({ clientSecret: 'other' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ now: timestamp + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ signature: '' })).toEqual({ ok: false, reason: 'missing' });
  });

  it('parses event batches of every type, from subscriptionType or eventType', () => {
    const events = parseWebhookEvents([
      ...JSON.parse(body),
      {
        objectId: 101,
        occurredAt: 1,
        eventType: 'company.merge',
        primaryObjectId: 101,
        mergedObjectIds: [102],
        newObjectId: 101,
        subscriptionType: 'company.merge',
      },
      {
        objectId: 201,
        occurredAt: 2,
        subscriptionType: 'contact.associationChange',
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: 201,
        toObjectId: 101,
        associationRemoved: false,
        isPrimaryAssociation: true,
      },
      { objectId: 202, occurredAt: 3, subscriptionType: 'contact.privacyDeletion' },
    ])._unsafeUnwrap();
    expect(events.map((event) => `${event.objectType}.${event.type}`)).toEqual([
      'contact.propertyChange',
      'company.merge',
      'contact.associationChange',
      'contact.privacyDeletion',
    ]);
    expect(events[1]?.merge).toEqual({
      primaryObjectId: '101',
      mergedObjectIds: ['102'],
      newObjectId: '101',
    });
    expect(events[2]?.association).toMatchObject({ fromObjectId: '201', toObjectId: '101', primary: true });
    expect(parseWebhookEvents({ not: 'an array' }).isErr()).toBe(true);
  });
});
