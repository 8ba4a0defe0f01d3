import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import availableCompaniesFixture from './__fixtures__/visma-nxt-available-companies.json' with {
  type: 'json',
};
import { graphql, mockToken, testClient } from './test-support/nock-client.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('availableCompanies', () => {
  it('lists the granted companies (documented example)', async () => {
    mockToken();
    graphql().reply(200, availableCompaniesFixture.response);
    const { client } = testClient();
    expect((await client.availableCompanies())._unsafeUnwrap()).toEqual([
      { name: 'Port-Service Øst AS', vismaNetCompanyId: 9112233, vismaNetCustomerId: 1234567 },
      { name: 'Port-Service Øst AS (test)', vismaNetCompanyId: 9112234, vismaNetCustomerId: 1234567 },
    ]);
  });
});

describe('checkSchema', () => {
  const fields = (...names: string[]) => names.map((name) => ({ name }));
  const all = [
    'associateNo',
    'customerNo',
    'name',
    'companyNo',
    'addressLine1',
    'addressLine2',
    'postCode',
    'postalArea',
    'phone',
    'emailAddress',
    'createdTimestamp',
    'changedTimestamp',
    'countryNo',
    'contactPersonForAssociateNo',
  ];

  it('names every field the client relies on that the live schema lacks', async () => {
    mockToken();
    graphql().reply(200, {
      data: {
        associate: { fields: fields(...all) },
        input: { inputFields: fields(...all.filter((name) => name !== 'countryNo')) },
        filter: { inputFields: fields(...all) },
      },
    });
    const { client } = testClient();
    expect((await client.checkSchema())._unsafeUnwrap()).toEqual({
      ok: false,
      missing: ['Associate.mobilePhone', 'Associate_Input.countryNo', 'Associate_Input.mobilePhone'],
    });
  });
});
