import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, startHubSpotSimulator } from './server.js';

// Fidelity: HubSpot's own Node SDK (13.5.0), written for the real API, works against the simulator unchanged.
let simulator: HubSpotSimulator;
let hubspot: Client;
beforeAll(async () => {
  simulator = await startHubSpotSimulator({ companies: 9, seed: 8 });
  hubspot = new Client({ accessToken: simulator.accessToken, basePath: simulator.baseUrl });
});
afterAll(() => simulator.close());

describe('@hubspot/api-client against the simulator', () => {
  it('creates, reads, lists (getAll) and searches companies', async () => {
    const created = await hubspot.crm.companies.basicApi.create({
      properties: { name: 'SDK AS', city: 'Larvik' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    const read = await hubspot.crm.companies.basicApi.getById(created.id, ['name', 'city']);
    expect(read.properties).toMatchObject({ name: 'SDK AS', city: 'Larvik' });
    const all = await hubspot.crm.companies.getAll(undefined, undefined, ['name']);
    expect(all).toHaveLength(10);
    const found = await hubspot.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'city', operator: 'EQ' as never, value: 'larvik' }] }],
      sorts: ['hs_object_id'],
      properties: ['name'],
      limit: 100,
      after: '0',
    });
    expect(found.results.map((record) => record.id)).toContain(created.id);
  });

  it('batch-creates contacts and reads associations v4', async () => {
    const [company] = [...simulator.store.records.companies.values()];
    const batch = await hubspot.crm.contacts.batchApi.create({
      inputs: [
        {
          properties: { email: 'sdk@port-service.no', firstname: 'Sdk' },
          associations: [
            {
              to: { id: company?.id ?? '' },
              types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }],
            },
          ],
        },
      ],
    });
    expect(batch.results).toHaveLength(1);
    const associations = await hubspot.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: batch.results[0]?.id ?? '' }],
    });
    expect(associations.results[0]?.to[0]?.toObjectId).toBe(company?.id);
  });

  it('merges contacts into a new record that both old ids read as', async () => {
    const [primary, other] = await Promise.all(
      ['merge-a@port-service.no', 'merge-b@port-service.no'].map((email) =>
        hubspot.crm.contacts.basicApi.create({ properties: { email }, associations: [] }),
      ),
    );
    const merged = await hubspot.crm.contacts.basicApi.merge({
      primaryObjectId: primary?.id ?? '',
      objectIdToMerge: other?.id ?? '',
    });
    expect([primary?.id, other?.id]).not.toContain(merged.id);
    expect(merged.properties).toMatchObject({
      email: 'merge-a@port-service.no',
      hs_additional_emails: 'merge-b@port-service.no',
    });
    const read = await hubspot.crm.contacts.basicApi.getById(other?.id ?? '', ['hs_merged_object_ids']);
    expect(read.id).toBe(merged.id);
    expect(read.properties.hs_merged_object_ids?.split(';').sort()).toEqual([primary?.id, other?.id].sort());
  });

  it('surfaces HubSpot-shaped errors the SDK understands', async () => {
    await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'twice@port-service.no' },
      associations: [],
    });
    await expect(
      hubspot.crm.contacts.basicApi.create({
        properties: { email: 'twice@port-service.no' },
        associations: [],
      }),
    ).rejects.toMatchObject({
      code: 409,
      body: {
        category: 'CONFLICT',
        message: expect.stringMatching(/^Contact already exists\. Existing ID: \d+$/),
      },
    });
  });
});

describe('scopes and request caps', () => {
  it('answers 403 MISSING_SCOPES for a call the token has no scope for, and caps search bodies', async () => {
    const readOnly = await startHubSpotSimulator({ scopes: ['crm.objects.companies.read'] });
    try {
      const headers = { authorization: `Bearer ${readOnly.accessToken}`, 'content-type': 'application/json' };
      expect((await fetch(`${readOnly.baseUrl}/crm/v3/objects/companies`, { headers })).status).toBe(200);
      const write = await fetch(`${readOnly.baseUrl}/crm/v3/objects/companies`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ properties: { name: 'A' }, associations: [] }),
      });
      expect(write.status).toBe(403);
      expect(await write.json()).toMatchObject({
        category: 'MISSING_SCOPES',
        errors: [{ context: { requiredGranularScopes: ['crm.objects.companies.write'] } }],
      });
      const long = {
        filterGroups: [{ filters: [{ propertyName: 'name', operator: 'EQ', value: 'x'.repeat(3100) }] }],
        sorts: [],
        properties: [],
        limit: 1,
        after: '0',
      };
      expect(
        (
          await fetch(`${readOnly.baseUrl}/crm/v3/objects/companies/search`, {
            method: 'POST',
            headers,
            body: JSON.stringify(long),
          })
        ).status,
      ).toBe(400);
    } finally {
      await readOnly.close();
    }
  });
});
