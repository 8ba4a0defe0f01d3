import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import availableCompaniesFixture from './__fixtures__/visma-nxt-available-companies.json' with {
  type: 'json',
};
import { graphql, mockToken, testClient } from './test-support/nock-client.js';
import { parseTableChange } from './webhooks/table-change.js';
import { verifyWebhook } from './webhooks/verify.js';

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

describe('webhooks', () => {
  const body =
    '{"tableIdentifier":"Associate","customerNo":0,"companyNo":9112233,"primaryKeys":[{"AssociateNo":"1001"}],"event":"UPDATE","timestamp":"2026-11-24T10:12:55.7720784Z"}';
  const sign = (secret: string, text = body) => createHmac('sha256', secret).update(text).digest('base64');

  it('accepts a body signed with any current secret (rotation), case-insensitively by header', () => {
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('new-key') }, ['old-key', 'new-key'])).toBe(true);
    expect(verifyWebhook(body, { 'X-VWD-Signature-V1': sign('old-key') }, ['old-key', 'new-key'])).toBe(true);
    expect(
      verifyWebhook(Buffer.from(body), new Headers({ 'x-vwd-signature-v1': sign('old-key') }), ['old-key']),
    ).toBe(true);
  });

  it('rejects tampered bodies, wrong secrets and missing signatures', () => {
    expect(verifyWebhook(body.replace('1001', '1002'), { 'x-vwd-signature-v1': sign('key') }, ['key'])).toBe(
      false,
    );
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('other') }, ['key'])).toBe(false);
    expect(verifyWebhook(body, {}, ['key'])).toBe(false);
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': 'not base64 at all!!' }, ['key'])).toBe(false);
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('') }, [''])).toBe(false);
  });

  it('parses TableChange payloads with PascalCase or camelCase keys', () => {
    // Sample from public code (reference §8, C2), and the camelCase the docs describe.
    expect(parseTableChange(JSON.parse(body))._unsafeUnwrap()).toEqual({
      tableIdentifier: 'Associate',
      companyNo: 9112233,
      customerNo: 0,
      event: 'UPDATE',
      primaryKeys: [{ associateNo: '1001' }],
      timestamp: '2026-11-24T10:12:55.7720784Z',
      changedColumns: null,
    });
    const camel = {
      tableIdentifier: 'Associate',
      companyNo: 9112233,
      primaryKeys: [{ associateNo: 1001 }],
      event: 'DELETE',
    };
    expect(parseTableChange(camel)._unsafeUnwrap().primaryKeys).toEqual([{ associateNo: 1001 }]);
    expect(parseTableChange({ event: 'TRUNCATE' })._unsafeUnwrapErr()).toMatchObject({ kind: 'validation' });
  });
});
