import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startVismaNxtSimulator, type VismaNxtSimulator, type VismaNxtSimulatorOptions } from './server.js';

/**
 * Public sample documents (Visma's docs and sample repositories, and a client generated from the real schema),
 * each kept verbatim in __fixtures__/ with its source URL, run against the simulator as they are.
 */
interface Sample {
  readonly source: string;
  readonly note: string;
  readonly query: string;
  readonly variables: Record<string, unknown> | null;
}

const fixtures = new URL('./__fixtures__/', import.meta.url);
const sample = (name: string): Sample => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Sample;

const running: VismaNxtSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

async function start(options: VismaNxtSimulatorOptions = {}) {
  const simulator = await startVismaNxtSimulator(options);
  running.push(simulator);
  const tokenResponse = await fetch(simulator.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: simulator.clientId,
      client_secret: simulator.clientSecret,
      scope: 'business-graphql-service-api:access-group-based',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in these tests.
  const post = async (body: unknown): Promise<any> => {
    const response = await fetch(simulator.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  return { simulator, post };
}

/** A read of every Associate column real clients read, to prove no row holds a value its column cannot carry. */
const readEveryColumn = `query ReadAll($cid: Int) {
  useCompany(no: $cid) {
    associate(first: 100, orderBy: [{associateNo: ASC}]) {
      items {
        associateNo customerNo supplierNo name shortName companyNo addressLine1 addressLine2 addressLine3
        addressLine4 postCode postalArea countryNo languageNo currencyNo phone mobilePhone emailAddress
        externalId contactPersonForAssociateNo createdByUser changedByUser createdTimestamp changedTimestamp
        joinup_Country { name isoCode }
      }
    }
  }
}`;

describe('public sample documents, verbatim', () => {
  it('has a source URL for every fixture', () => {
    const names = readdirSync(fixtures).filter((name) => name.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) expect(sample(name).source).toMatch(/^https:\/\//u);
  });

  it.each(readdirSync(fixtures).filter((name) => name.endsWith('.json')))(
    '%s runs without GraphQL errors',
    async (name) => {
      const { post } = await start({ customers: 3 });
      const { query, variables } = sample(name);
      const result = await post({ query, variables });
      expect(result.errors).toBeUndefined();
      expect(result.data).toBeTruthy();
    },
  );

  it("Visma's createassociate.py with supplierNo: null suggests a number and leaves every later read working", async () => {
    const { simulator, post } = await start({ customers: 1 });
    const { query, variables } = sample('createassociate.json');
    const created = await post({ query, variables });
    expect(created.errors).toBeUndefined();
    expect(created.data.useCompany.associate_create).toMatchObject({
      affectedRows: 1,
      items: [{ customerNo: 10500, name: 'Fjordkraft Demo AS', shortName: 'FJORDDEMO' }],
    });
    // The deprecated null-to-suggest style is answered with a warning, as Business NXT warns of deprecated use.
    expect(created.extensions.warnings[0].message).toMatch(/null is deprecated/u);
    // Both numbers left empty in the sample's form: both suggested.
    const both = await post({
      query,
      variables: { ...variables, name: 'Begge AS', customerNumber: null, supplierNumber: null },
    });
    expect(both.errors).toBeUndefined();

    const read = await post({ query: readEveryColumn, variables: { cid: simulator.companyNo } });
    expect(read.errors).toBeUndefined();
    const items = read.data.useCompany.associate.items as Array<Record<string, unknown>>;
    const fjord = items.find((item) => item.name === 'Fjordkraft Demo AS');
    const begge = items.find((item) => item.name === 'Begge AS');
    // A null in an Int column of an insert is a suggestion (the next number), never a stored null.
    expect(fjord).toMatchObject({ supplierNo: 50001, customerNo: 10500, changedByUser: simulator.clientId });
    expect(begge).toMatchObject({ supplierNo: 50002, customerNo: 10501 });
    for (const item of items) for (const value of Object.values(item)) expect(value).not.toBeUndefined();
    for (const column of ['supplierNo', 'customerNo', 'name', 'addressLine3', 'languageNo', 'externalId'])
      for (const item of items) expect(item[column]).not.toBeNull();
  });

  it('the SimpleQuery sample (nullable $cid, page size unset) reads the chart of accounts', async () => {
    const { post } = await start();
    const { query, variables } = sample('simplequery-read-glas.json');
    const result = await post({ query, variables });
    expect(result.data.useCompany.generalLedgerAccount.items[0]).toEqual({
      accountNo: 1000,
      name: 'Forskning og utvikling',
    });
    expect(result.data.useCompany.generalLedgerAccount.pageInfo.hasPreviousPage).toBe(false);
  });

  it("VBNXT.Console's GetCustomers reads customers with their country, warning of sortOrder", async () => {
    const { post } = await start({ customers: 3 });
    const { query, variables } = sample('vbnxt-console-getcustomers.json');
    const result = await post({ query, variables });
    expect(result.data.useCompany.associate.items).toHaveLength(3);
    expect(result.data.useCompany.associate.items[0].country).toEqual({ name: 'Norge' });
    expect(result.extensions.warnings[0].message).toMatch(/sortOrder/u);
  });
});

describe('suggested values and schema shapes', () => {
  const create = `mutation Create($cid: Int, $values: [Associate_Input!]!, $suggest: Suggest_Associate_Input) {
    useCompany(no: $cid) {
      associate_create(values: $values, suggest: $suggest) {
        affectedRows items { associateNo customerNo supplierNo name createdByUser changedByUser }
      }
    }
  }`;

  it('suggests the next customer number for rows that leave it out, keeping given ones, without a warning', async () => {
    const { simulator, post } = await start();
    const result = await post({
      query: create,
      variables: {
        cid: simulator.companyNo,
        values: [{ name: 'A AS' }, { name: 'B AS', customerNo: 20000 }, { name: 'C AS' }],
        suggest: { customerNo: true },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.extensions).toBeUndefined();
    expect(
      result.data.useCompany.associate_create.items.map((item: { customerNo: number }) => item.customerNo),
    ).toEqual([10001, 20000, 20001]);
    expect(result.data.useCompany.associate_create.items[0]).toMatchObject({
      supplierNo: 0,
      createdByUser: simulator.clientId,
      changedByUser: simulator.clientId,
    });
  });

  it('accepts insertAtRow/insertPosition, and a null in a non-numbered Int column stores the default', async () => {
    const { simulator, post } = await start({ customers: 1 });
    const result = await post({
      query: `mutation($cid: Int) { useCompany(no: $cid) {
        associate_create(values: [{name: "D AS", countryNo: null, addressLine3: null}],
          insertAtRow: {associateNo: {_eq: 1}}, insertPosition: AFTER) {
          items { countryNo addressLine3 joinup_Country { name } }
        } } }`,
      variables: { cid: simulator.companyNo },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.useCompany.associate_create.items).toEqual([
      { countryNo: 0, addressLine3: '', joinup_Country: null },
    ]);
  });

  it('names the ERP user for admin edits and the application for API updates', async () => {
    const { simulator, post } = await start();
    const response = await fetch(`${simulator.adminUrl}/associates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Manuell AS' }),
    });
    const row = (await response.json()) as { associateNo: number; changedByUser: string };
    expect(row.changedByUser).toBe('ERP-USER');
    const updated = await post({
      query: `mutation($cid: Int, $no: Int) { useCompany(no: $cid) {
        associate_update(filter: {associateNo: {_eq: $no}}, value: {phone: "22334455"}) {
          items { createdByUser changedByUser } } } }`,
      variables: { cid: simulator.companyNo, no: row.associateNo },
    });
    expect(updated.data.useCompany.associate_update.items).toEqual([
      { createdByUser: 'ERP-USER', changedByUser: simulator.clientId },
    ]);
  });

  it('availableCompanies takes customerNo and orderBy, availableCustomers orderBy; useCustomer lists its companies', async () => {
    const { simulator, post } = await start();
    const result = await post({
      query: `query($customer: Int) {
        mine: availableCompanies(customerNo: $customer, orderBy: [{name: ASC}]) { totalCount items { name vismaNetCompanyId } }
        other: availableCompanies(customerNo: 1) { totalCount }
        availableCustomers(orderBy: [{name: DESC}]) { totalCount items { name vismaNetCustomerId } }
        useCustomer(no: $customer) { company { totalCount items { name vismaNetCompanyId } } }
      }`,
      variables: { customer: 1234567 },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      mine: {
        totalCount: 1,
        items: [{ name: 'Port-Service Øst AS', vismaNetCompanyId: simulator.companyNo }],
      },
      other: { totalCount: 0 },
      availableCustomers: {
        totalCount: 1,
        items: [{ name: 'Port-Service Øst AS', vismaNetCustomerId: 1234567 }],
      },
      useCustomer: {
        company: {
          totalCount: 1,
          items: [{ name: 'Port-Service Øst AS', vismaNetCompanyId: simulator.companyNo }],
        },
      },
    });
  });

  // Every connection takes orderBy (and filter): https://docs.vismasoftware.no/businessnxtapi/apireference/features/sorting/index.md
  it('taxCode takes filter and orderBy, and associate sorts by any column', async () => {
    const { simulator, post } = await start({ customers: 3 });
    const result = await post({
      query: `query($cid: Int) { useCompany(no: $cid) {
        taxCode(filter: {taxCode: {_gt: 0}}, orderBy: [{taxCode: DESC}]) { totalCount items { taxCode } }
        byPostalArea: associate(orderBy: [{postalArea: DESC}, {associateNo: ASC}]) { items { postalArea } }
      } }`,
      variables: { cid: simulator.companyNo },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.useCompany.taxCode).toEqual({
      totalCount: 2,
      items: [{ taxCode: 3 }, { taxCode: 1 }],
    });
    // Text compares without case, as SQL Server's default collation does.
    const areas: string[] = result.data.useCompany.byPostalArea.items.map((item: { postalArea: string }) =>
      item.postalArea.toLowerCase(),
    );
    expect(new Set(areas).size).toBeGreaterThan(1);
    expect(areas).toEqual([...areas].sort().reverse());
  });

  it('useCompany(no: null) is an error naming the missing company number', async () => {
    const { post } = await start();
    const result = await post({
      query: 'query($cid: Int) { useCompany(no: $cid) { associate { totalCount } } }',
      variables: { cid: null },
    });
    expect(result.errors[0].message).toMatch(/company number/u);
  });
});
