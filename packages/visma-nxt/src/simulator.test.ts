import { startVismaNxtSimulator, type VismaNxtSimulator } from '@port-service/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVismaNxtClient, type VismaNxtClientSettings } from './client.js';
import { customerDefaultColumns } from './unconfirmed.js';

// The client against the Business NXT simulator over real HTTP on loopback: no mocks in between.
let simulator: VismaNxtSimulator;
const client = (overrides: Partial<VismaNxtClientSettings> = {}) =>
  createVismaNxtClient({
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    companyNo: simulator.companyNo,
    tokenUrl: simulator.tokenUrl,
    graphqlUrl: simulator.graphqlUrl,
    retry: { minDelayMs: 5, maxDelayMs: 50 },
    ...overrides,
  });

beforeAll(async () => {
  simulator = await startVismaNxtSimulator({ customers: 40, seed: 3, maxPageSize: 500 });
});
afterAll(() => simulator.close());

describe('the client against the Business NXT simulator', () => {
  it('finds every field it relies on in the live schema, and the granted company', async () => {
    const visma = client();
    expect((await visma.checkSchema())._unsafeUnwrap()).toEqual({
      ok: true,
      missing: [],
      contactCustomer: { column: 'contactPersonForAssociateNo', problems: [] },
      missingCreateColumns: [],
    });
    // The columns of the usual create defaults (UNCONFIRMED names) are all in the simulator's schema.
    const defaults = await visma.checkSchema({ createColumns: Object.values(customerDefaultColumns) });
    expect(defaults._unsafeUnwrap().missingCreateColumns).toEqual([]);
    const unknown = await visma.checkSchema({ createColumns: ['currencyNo', 'noSuchColumn'] });
    expect(unknown._unsafeUnwrap()).toMatchObject({ ok: false, missingCreateColumns: ['noSuchColumn'] });
    expect((await visma.availableCompanies())._unsafeUnwrap()).toEqual([
      { name: 'Port-Service Øst AS', vismaNetCompanyId: simulator.companyNo, vismaNetCustomerId: 1234567 },
    ]);
  });

  it("reads the latest change of any associate, by Business NXT's own clock", async () => {
    const visma = client();
    const latest = (await visma.associates.latestChange())._unsafeUnwrap();
    const stamps = [...simulator.store.rows.values()]
      .map((row) => row.changedTimestamp)
      .filter((stamp): stamp is string => stamp !== null)
      .sort();
    expect(latest).toBe(stamps.at(-1) ?? null);
    const [first] = simulator.store.rows.keys();
    const edited = simulator.store.update(first ?? 0, { phone: '22334455' });
    expect((await visma.associates.latestChange())._unsafeUnwrap()).toBe(edited?.changedTimestamp);
  });

  it('reads all customers and contact persons page by page, each exactly once', async () => {
    const visma = client();
    const customers: number[] = [];
    for await (const page of visma.customers.pages({ pageSize: 7 }))
      customers.push(...page._unsafeUnwrap().items.map((row) => row.associateNo));
    const people: number[] = [];
    for await (const page of visma.contactPersons.pages({ pageSize: 7 }))
      people.push(...page._unsafeUnwrap().items.map((row) => row.associateNo));
    const rows = [...simulator.store.rows.values()];
    expect(customers.sort((a, b) => a - b)).toEqual(
      rows.filter((row) => row.customerNo > 0).map((row) => row.associateNo),
    );
    expect(people).toHaveLength(rows.filter((row) => row.contactPersonForAssociateNo > 0).length);
  });

  it('creates customers with suggested and series numbers, and contact persons under them', async () => {
    const suggested = (
      await client().customers.create([
        {
          name: 'Port-Service Øst AS',
          companyNo: '923609016',
          postCode: '3270',
          postalArea: 'LARVIK',
          countryNo: 47,
        },
      ])
    )._unsafeUnwrap();
    const customer = suggested[0]?._unsafeUnwrap();
    expect(customer?.customerNo).toBeGreaterThan(10000);
    const fromSeries = (
      await client({ customerNumbers: { kind: 'series', from: 70000, to: 70010 } }).customers.create([
        { name: 'A AS' },
        { name: 'B AS' },
      ])
    )._unsafeUnwrap();
    expect(fromSeries.map((row) => row._unsafeUnwrap().customerNo)).toEqual([70000, 70001]);
    const people = (
      await client().contactPersons.create([
        {
          name: 'Iselin Fox',
          emailAddress: 'iselin@port-service.no',
          mobilePhone: '+4792099720',
          contactPersonForAssociateNo: customer?.associateNo ?? 0,
        },
      ])
    )._unsafeUnwrap();
    expect(people[0]?._unsafeUnwrap()).toMatchObject({
      name: 'Iselin Fox',
      contactPersonForAssociateNo: customer?.associateNo,
    });
    const found = (await client().contactPersons.ofCustomers([customer?.associateNo ?? 0]))._unsafeUnwrap();
    expect(found.map((row) => row.emailAddress)).toEqual(['iselin@port-service.no']);
  });

  it('reads only what changed since a watermark', async () => {
    const visma = client();
    const [first] = [...simulator.store.rows.values()].filter((row) => row.customerNo > 0);
    const since = Date.now() - 1000;
    const updated = (
      await visma.customers.update([
        { associateNo: first?.associateNo ?? 0, values: { phone: '+4733123456' } },
      ])
    )._unsafeUnwrap();
    expect(updated[0]?._unsafeUnwrap().phone).toBe('+4733123456');
    const changed: number[] = [];
    for await (const page of visma.customers.pages({ changedSince: since }))
      changed.push(...page._unsafeUnwrap().items.map((row) => row.associateNo));
    expect(changed).toContain(first?.associateNo);
    expect(changed.length).toBeLessThan(10);
  });

  it('looks records up in batches and reports a deleted row on update', async () => {
    const visma = client();
    const rows = [...simulator.store.rows.values()].filter((row) => row.customerNo > 0).slice(0, 5);
    const byOrg = (await visma.customers.byOrgNumbers(rows.map((row) => row.companyNo)))._unsafeUnwrap();
    expect(byOrg.map((row) => row.associateNo).sort((a, b) => a - b)).toEqual(
      rows.map((row) => row.associateNo),
    );
    const postCodes = [...new Set(rows.map((row) => row.postCode ?? ''))];
    const byPostCode = (await visma.customers.byPostalCodes(postCodes))._unsafeUnwrap();
    expect(byPostCode.length).toBeGreaterThanOrEqual(rows.length);
    expect(byPostCode.every((row) => postCodes.includes(row.postCode ?? ''))).toBe(true);
    const gone = rows[4]?.associateNo ?? 0;
    await fetch(`${simulator.adminUrl}/associates/${gone}`, { method: 'DELETE' });
    expect((await visma.associates.byAssociateNos([gone]))._unsafeUnwrap()).toEqual([]);
    const [result] = (
      await visma.customers.update([{ associateNo: gone, values: { phone: '+4733000000' } }])
    )._unsafeUnwrap();
    expect(result?._unsafeUnwrapErr().message).toMatch(/not found/);
  });

  it('sends many rows as batches of up to 32 mutations, one result per row in order', async () => {
    let requests = 0;
    const visma = client({ onRequest: () => (requests += 1) });
    const rows = Array.from({ length: 120 }, (_, index) => ({ name: `Batch ${index} AS`, countryNo: 47 }));
    const created = (await visma.customers.create(rows))
      ._unsafeUnwrap()
      .map((result) => result._unsafeUnwrap());
    expect(created.map((row) => row.name)).toEqual(rows.map((row) => row.name));
    expect(new Set(created.map((row) => row.customerNo)).size).toBe(120);
    expect(requests).toBe(1);
    requests = 0;
    const updated = (
      await visma.customers.update(
        created.map((row) => ({ associateNo: row.associateNo, values: { phone: '+4733000001' } })),
      )
    )._unsafeUnwrap();
    expect(updated.every((result) => result.isOk() && result.value.phone === '+4733000001')).toBe(true);
    expect(requests).toBe(1);
  });
  it('reads correctly through injected faults (429, 5xx, resets, malformed JSON)', async () => {
    simulator.setFaults({ rate: 0.3, kinds: ['429', '500', '502', '503', 'reset', 'malformed-json'] });
    try {
      const visma = client({ retry: { retries: 8, minDelayMs: 1, maxDelayMs: 20 } });
      const seen = new Set<number>();
      for await (const page of visma.customers.pages({ pageSize: 5 }))
        for (const row of page._unsafeUnwrap().items) seen.add(row.associateNo);
      expect(seen.size).toBe([...simulator.store.rows.values()].filter((row) => row.customerNo > 0).length);
      expect(
        Object.values(simulator.stats.faults).reduce((sum, count) => sum + (count ?? 0), 0),
      ).toBeGreaterThan(0);
    } finally {
      simulator.setFaults({ rate: 0 });
    }
  });
});
