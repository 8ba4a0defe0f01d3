import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, startHubSpotSimulator } from '../hubspot/server.js';
import { startVismaNxtSimulator, type VismaNxtSimulator } from '../visma-nxt/server.js';
import { createFaults } from './faults.js';

const running: Array<HubSpotSimulator | VismaNxtSimulator> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

/** What a client sees: the answer's status, or the error fetch threw. */
async function outcome(request: Promise<Response>): Promise<number | string> {
  try {
    const response = await request;
    await response.text();
    return response.status;
  } catch (error) {
    return error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  }
}

describe('the reset-after-write fault', () => {
  it('is drawn only when named: the default draw keeps to faults that change nothing', () => {
    const faults = createFaults({ rate: 1 }, () => 0.99, ['500', 'reset-after-write']);
    expect(faults.draw()).toBe('500');
    faults.set({ rate: 1, kinds: ['reset-after-write'] });
    expect(faults.draw()).toBe('reset-after-write');
  });

  it('HubSpot: a create is stored, then the connection is reset; reads are answered', async () => {
    const crm = await startHubSpotSimulator({ faults: { rate: 1, kinds: ['reset-after-write'] } });
    running.push(crm);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${crm.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${crm.accessToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await outcome(
      call('POST', '/crm/v3/objects/companies/batch/create', {
        inputs: [{ properties: { name: 'Larvik Havn KF' } }],
      }),
    );
    expect(created).toBe('other side closed');
    const stored = [...crm.store.records.companies.values()];
    expect(stored.map((record) => record.properties.get('name'))).toEqual(['Larvik Havn KF']);
    expect(await outcome(call('GET', `/crm/v3/objects/companies/${stored[0]?.id}`))).toBe(200);
    expect(
      await outcome(call('POST', '/crm/v3/objects/companies/search', { filterGroups: [], limit: 10 })),
    ).toBe(200);
    expect(crm.stats.faults).toEqual({ 'reset-after-write': 1 });
  });

  it('Business NXT: an insert is stored, then the connection is reset; queries are answered', async () => {
    const erp = await startVismaNxtSimulator({ faults: { rate: 1, kinds: ['reset-after-write'] } });
    running.push(erp);
    const token = (await (
      await fetch(erp.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: erp.clientId,
          client_secret: erp.clientSecret,
          scope: 'business-graphql-service-api:access-group-based',
        }),
      })
    ).json()) as { access_token: string };
    const post = (body: unknown) =>
      fetch(erp.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
        body: JSON.stringify(body),
      });
    const insert = (name: string, customerNo: number) => ({
      query:
        'mutation Insert($cid: Int!, $values: [Associate_Input!]!) { useCompany(no: $cid) { associate_create(values: $values) { affectedRows } } }',
      variables: { cid: erp.companyNo, values: [{ name, customerNo }] },
    });
    expect(await outcome(post(insert('Fjord AS', 20000)))).toBe('other side closed');
    expect([...erp.store.rows.values()].map((row) => row.name)).toEqual(['Fjord AS']);
    // A batch holding a mutation among queries is a write too.
    expect(
      await outcome(post([{ query: '{ availableCompanies { totalCount } }' }, insert('Havn AS', 20001)])),
    ).toBe('other side closed');
    expect(erp.store.rows.size).toBe(2);
    expect(await outcome(post({ query: '{ availableCompanies { totalCount } }' }))).toBe(200);
    expect(erp.stats.faults).toEqual({ 'reset-after-write': 2 });
  });
});
