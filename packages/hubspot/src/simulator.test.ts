import { hubspotDocumentsAvailable, validateRequest, validateResponse } from '@port-service/hubspot-openapi';
import { type HubSpotSimulator, startHubSpotSimulator } from '@port-service/simulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { associationTypes } from './associations.js';
import { createHubSpotClient, type HubSpotClientSettings } from './client.js';
import { mergedObjectIds } from './objects/objects.js';
import { syncPropertyGroup, syncPropertySpecs } from './properties.js';

// The client against the HubSpot simulator over real HTTP on loopback: no mocks in between. Every request the
// client sends and every answer it reads is checked against HubSpot's 2026-09 documents (where present).
let simulator: HubSpotSimulator;
const violations: string[] = [];
const servedPaths = new Set<string>();

/** `fetch`, checking each call against HubSpot's documents (the account API is not among them). */
const checkedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const path = new URL(request.url).pathname;
  const sent = await request.clone().text();
  const response = await fetch(request);
  servedPaths.add(path.split('/').slice(1, 4).join('/'));
  if (!hubspotDocumentsAvailable || path.startsWith('/account-info/')) return response;
  violations.push(...validateRequest(request.method, path, sent === '' ? undefined : JSON.parse(sent)));
  const body = await response
    .clone()
    .json()
    .catch(() => undefined); // no body (204), or one an injected fault cut short
  if (response.status < 300 && body !== undefined)
    violations.push(...validateResponse(request.method, path, response.status, body));
  return response;
};

const client = (overrides: Partial<HubSpotClientSettings> = {}) =>
  createHubSpotClient({
    accessToken: simulator.accessToken,
    baseUrl: simulator.baseUrl,
    retry: { minDelayMs: 5, maxDelayMs: 50 },
    fetch: checkedFetch,
    ...overrides,
  });

afterEach(() => {
  expect(violations.splice(0)).toEqual([]);
});
afterAll(() => {
  // Default settings speak 2026-09 only: nothing on the legacy /crm/v3 or /crm/v4 paths.
  expect([...servedPaths].filter((path) => /^crm\/v[34]\b/u.test(path))).toEqual([]);
});

beforeAll(async () => {
  simulator = await startHubSpotSimulator({ companies: 25, seed: 2, searchPerSecond: 50 });
});
afterAll(() => simulator.close());

describe('the client against the HubSpot simulator', () => {
  it("reads the account's portal id, and reports a refused token", async () => {
    expect((await client().account.details())._unsafeUnwrap()).toMatchObject({
      portalId: simulator.portalId,
      accountType: 'STANDARD',
    });
    expect((await client({ accessToken: 'wrong' }).account.details())._unsafeUnwrapErr().kind).toBe('auth');
  });

  it("reads the latest modified date of an object type, by HubSpot's own clock", async () => {
    const hubspot = client();
    const companies = [...simulator.store.records.companies.values()];
    const newest = Math.max(...companies.map((record) => record.updatedAt));
    expect((await hubspot.companies.latestModified())._unsafeUnwrap()).toBe(newest);
    const [first] = companies;
    if (first === undefined) throw new Error('the simulator has no companies');
    const edited = simulator.store.update(first, { city: 'Moss' });
    expect((await hubspot.companies.latestModified())._unsafeUnwrap()).toBe(edited.updatedAt);
  });

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
        { properties: { email: 'not-an-email', firstname: 'Feil' } },
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => (result.isOk() ? 'ok' : result.error.kind))).toEqual([
      'ok',
      'already-exists',
      'invalid-value',
      'invalid-value',
    ]);
    expect(results.slice(2).map((result) => result._unsafeUnwrapErr())).toMatchObject([
      { refusals: [{ property: 'bogus_property', rule: 'PROPERTY_DOESNT_EXIST' }] },
      { refusals: [{ property: 'email', rule: 'INVALID_EMAIL' }] },
    ]);
    const created = results[0]?._unsafeUnwrap();
    const companies = (
      await hubspot.associations.batchRead('contacts', 'companies', [created?.id ?? ''])
    )._unsafeUnwrap();
    expect(companies.get(created?.id ?? '')).toEqual([{ toObjectId: company?.id, typeIds: [1, 279] }]);
  });

  it('moves a contact’s primary company: one primary, the old company stays associated, no modified-date change', async () => {
    const hubspot = client();
    const [first, second] = [...simulator.store.records.companies.values()];
    const created = (
      await hubspot.contacts.batchCreate([
        {
          properties: { email: 'flytter@port-service.no', firstname: 'Flytter' },
          associations: [{ toId: first?.id ?? '', typeId: associationTypes.contactToPrimaryCompany }],
        },
      ])
    )
      ._unsafeUnwrap()[0]
      ?._unsafeUnwrap();
    const id = created?.id ?? '';
    const before = (await hubspot.contacts.get(id, { properties: ['lastmodifieddate'] }))._unsafeUnwrap();
    const moved = await hubspot.associations.setPrimaryCompanies([
      { contactId: id, companyId: second?.id ?? '', previousCompanyId: first?.id ?? null },
    ]);
    expect(moved.isOk()).toBe(true);
    const companies = (await hubspot.associations.batchRead('contacts', 'companies', [id]))._unsafeUnwrap();
    expect(companies.get(id)).toEqual([
      { toObjectId: first?.id, typeIds: [279] },
      { toObjectId: second?.id, typeIds: [1, 279] },
    ]);
    // A primary association made without removing the old label still leaves one primary company.
    expect(
      (
        await hubspot.associations.batchCreate('contacts', 'companies', [
          { fromId: id, toId: first?.id ?? '', typeId: associationTypes.contactToPrimaryCompany },
        ])
      ).isOk(),
    ).toBe(true);
    const again = (await hubspot.associations.batchRead('contacts', 'companies', [id]))._unsafeUnwrap();
    expect(again.get(id)?.filter((record) => record.typeIds.includes(1))).toEqual([
      { toObjectId: first?.id, typeIds: [1, 279] },
    ]);
    // Associations are not properties: the contact's modified date stays (see docs/ARCHITECTURE.md).
    const after = (await hubspot.contacts.get(id, { properties: ['lastmodifieddate'] }))._unsafeUnwrap();
    expect(after.updatedAt).toBe(before.updatedAt);
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
    // A new record with a new id, which both old ids now read as.
    expect([a?.id, b?.id]).not.toContain(merged.id);
    expect(mergedObjectIds(merged)).toEqual([a?.id, b?.id]);
    expect((await hubspot.companies.get(b?.id ?? '', { properties: ['name'] }))._unsafeUnwrap().id).toBe(
      merged.id,
    );
    const read = (
      await hubspot.companies.batchRead([a?.id ?? '', b?.id ?? ''], { properties: ['hs_merged_object_ids'] })
    )._unsafeUnwrap();
    expect([...read.values()].flatMap((result) => (result.isOk() ? [result.value.id] : []))).toEqual([
      merged.id,
    ]);
  });

  it("reads a merged company's property history: both records' visma_actor_no values", async () => {
    const hubspot = client();
    (
      await hubspot.properties.ensureProperties('companies', syncPropertyGroup, syncPropertySpecs().companies)
    )._unsafeUnwrap();
    const primary = (
      await hubspot.companies.create({ name: 'Historikk A AS', visma_actor_no: '7001' })
    )._unsafeUnwrap();
    const other = (
      await hubspot.companies.create({ name: 'Historikk B AS', visma_actor_no: '7002' })
    )._unsafeUnwrap();
    const merged = (await hubspot.companies.merge(primary.id, other.id))._unsafeUnwrap();
    const read = (
      await hubspot.companies.batchRead([merged.id], {
        properties: ['visma_actor_no'],
        propertiesWithHistory: ['visma_actor_no'],
      })
    )._unsafeUnwrap();
    const record = read.get(merged.id)?._unsafeUnwrap();
    expect(record?.properties.visma_actor_no).toBe('7001');
    // The current value (the primary's) first; every entry with its time and source.
    const history = record?.propertiesWithHistory?.visma_actor_no ?? [];
    expect(history.map((change) => change.value)).toEqual(['7001', '7002']);
    for (const change of history) {
      expect(change.sourceType).toBe('API');
      expect(Number.isNaN(Date.parse(change.timestamp))).toBe(false);
    }
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
