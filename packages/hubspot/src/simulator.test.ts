import { type HubSpotSimulator, startHubSpotSimulator } from '@port-service/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationTypes } from './associations.js';
import { createHubSpotClient, type HubSpotClientSettings } from './client.js';
import { mergedObjectIds } from './objects/objects.js';
import { syncPropertyGroup, syncPropertySpecs } from './properties.js';

// The client against the HubSpot simulator over real HTTP on loopback: no mocks in between.
let simulator: HubSpotSimulator;
const client = (overrides: Partial<HubSpotClientSettings> = {}) =>
  createHubSpotClient({
    accessToken: simulator.accessToken,
    baseUrl: simulator.baseUrl,
    retry: { minDelayMs: 5, maxDelayMs: 50 },
    ...overrides,
  });

beforeAll(async () => {
  simulator = await startHubSpotSimulator({ companies: 25, seed: 2, searchPerSecond: 50 });
});
afterAll(() => simulator.close());

describe('the client against the HubSpot simulator', () => {
  it('creates the sync properties for both object types, and nothing the second time', async () => {
    const hubspot = client();
    for (const type of ['companies', 'contacts'] as const) {
      const specs = syncPropertySpecs()[type];
      const first = (
        await hubspot.properties.ensureProperties(type, syncPropertyGroup, specs)
      )._unsafeUnwrap();
      expect([...first.created, ...first.existing].sort()).toEqual(specs.map((spec) => spec.name).sort());
      expect(first.mismatched).toEqual([]);
      expect(
        (await hubspot.properties.ensureProperties(type, syncPropertyGroup, specs))._unsafeUnwrap().created,
      ).toEqual([]);
    }
  });

  it('lists every company once, and reads their contacts through associations', async () => {
    const hubspot = client();
    const ids: string[] = [];
    for await (const page of hubspot.companies.pages({ properties: ['name', 'org_number'], limit: 7 }))
      ids.push(...page._unsafeUnwrap().results.map((record) => record.id));
    expect(new Set(ids).size).toBe(25);
    const contacts = (await hubspot.associations.batchRead('companies', 'contacts', ids))._unsafeUnwrap();
    const associated = [...contacts.values()].reduce((sum, list) => sum + list.length, 0);
    expect(associated).toBe(simulator.store.records.contacts.size);
  });

  it('creates contacts in a batch with their primary company inline; a bad one fails alone', async () => {
    const hubspot = client();
    const [company] = [...simulator.store.records.companies.values()];
    const results = (
      await hubspot.contacts.batchCreate([
        {
          properties: { email: 'ny.kontakt@port-service.no', firstname: 'Ny' },
          associations: [{ toId: company?.id ?? '', typeId: associationTypes.contactToPrimaryCompany }],
        },
        { properties: { email: 'ny.kontakt@port-service.no', firstname: 'Dobbel' } },
        { properties: { bogus_property: 'x' } },
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => (result.isOk() ? 'ok' : result.error.kind))).toEqual([
      'ok',
      'conflict',
      'http',
    ]);
    const created = results[0]?._unsafeUnwrap();
    const companies = (
      await hubspot.associations.batchRead('contacts', 'companies', [created?.id ?? ''])
    )._unsafeUnwrap();
    expect(companies.get(created?.id ?? '')).toEqual([{ toObjectId: company?.id, typeIds: [1, 279] }]);
  });

  it('finds changes through search from a watermark, and follows a merge', async () => {
    const hubspot = client();
    const since = Date.now() - 1000;
    const [a, b] = [...simulator.store.records.companies.values()];
    await hubspot.companies.update(a?.id ?? '', { phone: '+47 33 00 00 00' });
    const changed: string[] = [];
    for await (const page of hubspot.companies.changedSince({
      since,
      lookBackMs: 0,
      properties: ['name', 'hs_merged_object_ids'],
    }))
      changed.push(...page._unsafeUnwrap().map((record) => record.id));
    expect(changed).toContain(a?.id);
    const merged = (await hubspot.companies.merge(a?.id ?? '', b?.id ?? ''))._unsafeUnwrap();
    expect(mergedObjectIds(merged)).toEqual([b?.id]);
    expect((await hubspot.companies.get(b?.id ?? '', { properties: ['name'] })).isOk()).toBe(true);
  });

  it('finds companies by a property value (search IN), past one query of 100 values', async () => {
    const hubspot = client();
    const companies = [...simulator.store.records.companies.values()].filter((record) => !record.archived);
    const wanted = companies.slice(0, 5).map((record) => record.properties.get('org_number') ?? '');
    const decoys = Array.from({ length: 120 }, (_, index) => `9${String(index).padStart(8, '0')}`);
    const found = (
      await hubspot.companies.findByValues('org_number', [...decoys, ...wanted], ['name'])
    )._unsafeUnwrap();
    expect(found.map((record) => record.properties.org_number).sort()).toEqual(
      companies
        .filter((record) => wanted.includes(record.properties.get('org_number') ?? ''))
        .map((record) => record.properties.get('org_number'))
        .sort(),
    );
  });

  it('finds every match past the 10,000-result search cap, each once', async () => {
    const many = await startHubSpotSimulator({ searchPerSecond: 1000, perTenSeconds: 10_000 });
    try {
      for (let index = 0; index < 10_250; index += 1)
        many.store.create('companies', { name: `Firma ${index} AS`, zip: index % 2 === 0 ? '0150' : '0151' });
      many.store.create('companies', { name: 'Annen AS', zip: '5003' });
      const hubspot = createHubSpotClient({
        accessToken: many.accessToken,
        baseUrl: many.baseUrl,
        rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 },
      });
      const found = (await hubspot.companies.findByValues('zip', ['0150', '0151'], ['name']))._unsafeUnwrap();
      expect(found).toHaveLength(10_250);
      expect(new Set(found.map((record) => record.id)).size).toBe(10_250);
    } finally {
      await many.close();
    }
  });

  it('works through injected faults and a tight rate limit, without a 429 reaching the caller', async () => {
    const tight = await startHubSpotSimulator({
      companies: 12,
      seed: 4,
      perTenSeconds: 5,
      windowMs: 200,
      faults: { rate: 0.25, kinds: ['429', '423', '502', '503', 'reset', 'malformed-json'] },
    });
    try {
      const hubspot = createHubSpotClient({
        accessToken: tight.accessToken,
        baseUrl: tight.baseUrl,
        retry: { retries: 10, minDelayMs: 1, maxDelayMs: 300 },
        rateLimit: { perTenSeconds: 5 },
      });
      const ids: string[] = [];
      for await (const page of hubspot.companies.pages({ properties: ['name'], limit: 3 }))
        ids.push(...page._unsafeUnwrap().results.map((record) => record.id));
      expect(new Set(ids).size).toBe(12);
      expect(Object.values(tight.stats.faults).reduce((sum, count) => sum + (count ?? 0), 0)).toBeGreaterThan(
        0,
      );
    } finally {
      await tight.close();
    }
  });
});
