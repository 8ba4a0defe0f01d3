import { describe, expect, it } from 'vitest';
import { expectCall, record, testClient, useNockGuards } from './test-support/nock-hubspot.js';

useNockGuards();

const batchDone = {
  status: 'COMPLETE',
  startedAt: '2026-11-24T10:00:00Z',
  completedAt: '2026-11-24T10:00:00Z',
  results: [],
};

describe('API version', () => {
  it('speaks 2026-09 by default: objects, associations and properties on their date-based paths', async () => {
    const { client, requests } = testClient();
    expect(client.apiVersion).toBe('2026-09');
    expectCall('GET', '/crm/objects/2026-09/companies/101', { status: 200, body: record('101') });
    expectCall('POST', '/crm/associations/2026-09/contacts/companies/batch/read', {
      status: 200,
      body: batchDone,
    });
    expectCall('GET', '/crm/properties/2026-09/contacts', { status: 200, body: { results: [] } });
    expect((await client.companies.get('101')).isOk()).toBe(true);
    expect((await client.associations.batchRead('contacts', 'companies', ['201'])).isOk()).toBe(true);
    expect((await client.properties.list('contacts')).isOk()).toBe(true);
    expect(requests.map((request) => request.path)).toEqual([
      '/crm/objects/2026-09/companies/101',
      '/crm/associations/2026-09/contacts/companies/batch/read',
      '/crm/properties/2026-09/contacts',
    ]);
  });

  it('keeps the legacy v3/v4 paths behind one setting, for accounts that must (HubSpot ends them in 2027)', async () => {
    const { client, requests } = testClient({ apiVersion: 'legacy' });
    expect(client.apiVersion).toBe('legacy');
    expectCall('GET', '/crm/v3/objects/companies/101', { status: 200, body: record('101') });
    expectCall('POST', '/crm/v4/associations/contacts/companies/batch/read', {
      status: 200,
      body: batchDone,
    });
    expectCall('GET', '/crm/v3/properties/contacts', { status: 200, body: { results: [] } });
    expect((await client.companies.get('101')).isOk()).toBe(true);
    expect((await client.associations.batchRead('contacts', 'companies', ['201'])).isOk()).toBe(true);
    expect((await client.properties.list('contacts')).isOk()).toBe(true);
    expect(requests.map((request) => request.path)).toEqual([
      '/crm/v3/objects/companies/101',
      '/crm/v4/associations/contacts/companies/batch/read',
      '/crm/v3/properties/contacts',
    ]);
  });
});
