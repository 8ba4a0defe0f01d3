import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { startVismaNxtSimulator, type VismaNxtSimulator, type VismaNxtSimulatorOptions } from './server.js';

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
  const post = async (body: unknown, bearer = token) => {
    const response = await fetch(simulator.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };
  return { simulator, token, post };
}

describe('Visma Connect token endpoint', () => {
  it('issues expiring tokens and names what is wrong with a request', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { simulator, post } = await start({ now: () => new Date(now), tokenTtlSeconds: 60 });
    const ask = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(simulator.tokenUrl, { method: 'POST', body: new URLSearchParams(form), headers });
    const base = {
      grant_type: 'client_credentials',
      client_id: simulator.clientId,
      scope: 'business-graphql-service-api:access-group-based',
    };
    expect(await (await ask({ ...base, client_secret: 'wrong' })).json()).toEqual({
      error: 'invalid_client',
    });
    const scoped = await ask({ ...base, client_secret: simulator.clientSecret, scope: 'openid' });
    expect([scoped.status, await scoped.json()]).toEqual([400, { error: 'invalid_scope' }]);
    const basic = Buffer.from(`${simulator.clientId}:${simulator.clientSecret}`).toString('base64');
    const viaBasic = await ask(
      { grant_type: 'client_credentials', scope: base.scope },
      { authorization: `Basic ${basic}` },
    );
    expect(await viaBasic.json()).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    expect((await post({ query: '{ availableCompanies { totalCount } }' })).status).toBe(200);
    now += 61_000;
    const expired = await post({ query: '{ availableCompanies { totalCount } }' });
    expect([expired.status, expired.text]).toEqual([
      401,
      expect.stringContaining('401 Authorization Required'),
    ]);
    expect((await post({ query: '{ availableCompanies { totalCount } }' }, 'made-up')).status).toBe(401);
  });
});

describe('GraphQL service', () => {
  it("runs Visma's own associate_create sample verbatim, assigning the associate number", async () => {
    // https://github.com/Visma-Software-AS-Product/BusinessNXT_API_Examples (createassociate.py).
    const { simulator, post } = await start();
    const query = `mutation create($cid: Int!, $n: String, $s: String, $c: Int, $sup: Int) {
      useCompany(no: $cid) {
        associate_create(values: [{name: $n, shortName: $s, customerNo: $c, supplierNo: $sup}]) {
          affectedRows items { associateNo customerNo name shortName }
        }
      }
    }`;
    const result = await post({
      query,
      variables: { cid: simulator.companyNo, n: 'Fjord AS', s: 'FJORD', c: 10500, sup: 0 },
    });
    expect(result.json()).toEqual({
      data: {
        useCompany: {
          associate_create: {
            affectedRows: 1,
            items: [{ associateNo: 1, customerNo: 10500, name: 'Fjord AS', shortName: 'FJORD' }],
          },
        },
      },
    });
  });

  it('answers availableCompanies (documented shape, no pageInfo) and a standard introspection query', async () => {
    const { post } = await start();
    expect(
      (
        await post({
          query: '{ availableCompanies { totalCount items { name vismaNetCompanyId vismaNetCustomerId } } }',
        })
      ).json(),
    ).toEqual({
      data: {
        availableCompanies: {
          totalCount: 1,
          items: [{ name: 'Port-Service Øst AS', vismaNetCompanyId: 9112233, vismaNetCustomerId: 1234567 }],
        },
      },
    });
    const introspection = (await post({ query: getIntrospectionQuery() })).json();
    const types = introspection.data.__schema.types.map((type: { name: string }) => type.name);
    expect(types).toEqual(
      expect.arrayContaining(['Associate', 'Associate_Input', 'FilterExpression_Associate']),
    );
  });

  it('refuses a company that is not granted, with partial data', async () => {
    const { post } = await start();
    const result = (await post({ query: '{ useCompany(no: 1) { associate { totalCount } } }' })).json();
    expect(result.data).toEqual({ useCompany: null });
    expect(result.errors[0].message).toMatch(/company 1 is not available/);
  });

  it('filters with the documented operators, orders, and pages with opaque cursors', async () => {
    const { simulator, post } = await start({ customers: 30, seed: 4 });
    const query = `query($cid: Int!, $after: String, $filter: FilterExpression_Associate) {
      useCompany(no: $cid) { associate(first: 7, after: $after, filter: $filter, orderBy: [{postCode: DESC}, {associateNo: ASC}]) {
        totalCount pageInfo { hasNextPage endCursor } items { associateNo customerNo postCode }
      } } }`;
    const seen: Array<{ associateNo: number; postCode: string }> = [];
    let after: string | null = null;
    let total = 0;
    interface Page {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      items: Array<{ associateNo: number; postCode: string }>;
    }
    for (;;) {
      const page: Page = (
        await post({
          query,
          variables: { cid: simulator.companyNo, after, filter: { customerNo: { _gt: 0 } } },
        })
      ).json().data.useCompany.associate;
      total = page.totalCount;
      seen.push(...page.items);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(after).not.toMatch(/^\d+$/);
    }
    expect(total).toBe(30);
    expect(new Set(seen.map((row) => row.associateNo)).size).toBe(30);
    const codes = seen.map((row) => row.postCode);
    expect(codes).toEqual([...codes].sort().reverse());
    const filtered = async (filter: object) =>
      (await post({ query, variables: { cid: simulator.companyNo, after: null, filter } })).json().data
        .useCompany.associate.totalCount;
    expect(await filtered({ _and: [{ customerNo: { _gt: 0 } }, { postalArea: { _like: '%vik' } }] })).toBe(
      [...simulator.store.rows.values()].filter((row) => row.customerNo > 0 && row.postalArea.endsWith('VIK'))
        .length,
    );
    expect(await filtered({ customerNo: { _between: [10002, 10004] } })).toBe(3);
    expect(await filtered({ _or: [{ customerNo: { _in: [10002] } }, { customerNo: { _eq: 10003 } }] })).toBe(
      2,
    );
    // Rows seeded as legacy data have no changedTimestamp: they match no timestamp filter.
    expect(await filtered({ changedTimestamp: { _gte: '2000-01-01 00:00:00' } })).toBe(0);
  });

  it('keeps sortOrder working with a deprecation warning in extensions', async () => {
    const { simulator, post } = await start({ customers: 2 });
    const result = (
      await post({
        query: `{ useCompany(no: ${simulator.companyNo}) { associate(sortOrder: {associateNo: DESC}) { items { associateNo } } } }`,
      })
    ).json();
    expect(result.extensions.warnings[0].message).toMatch(/sortOrder.*deprecated/);
  });

  it('rejects one row of a multi-row insert with its index, and stores the others', async () => {
    const { simulator, post } = await start();
    const query = `mutation($cid: Int!, $values: [Associate_Input!]!) { useCompany(no: $cid) { associate_create(values: $values) { affectedRows items { associateNo customerNo name changedTimestamp } } } }`;
    const first = (
      await post({
        query,
        variables: { cid: simulator.companyNo, values: [{ name: 'A AS', customerNo: 20000 }] },
      })
    ).json();
    expect(first.data.useCompany.associate_create.items[0].changedTimestamp).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{7}$/,
    );
    const result = (
      await post({
        query,
        variables: {
          cid: simulator.companyNo,
          values: [
            { name: 'B AS', customerNo: null },
            { name: 'C AS', customerNo: 20000 },
            { name: 'D'.repeat(81) },
          ],
        },
      })
    ).json();
    expect(result.data.useCompany.associate_create).toMatchObject({
      affectedRows: 1,
      items: [{ name: 'B AS', customerNo: 20001 }],
    });
    expect(result.errors).toMatchObject([
      {
        message: 'A record with the same primary key already exists.',
        path: ['useCompany', 'associate_create', 'values/1'],
        extensions: { data: { status: 3, status_name: 'PrimaryKeyAssignmentFailed' } },
      },
      { path: ['useCompany', 'associate_create', 'values/2'], message: expect.stringContaining("'name'") },
    ]);
  });

  it('updates with filters/values pairs, warns on an empty value, and deletes with items null', async () => {
    const { simulator, post } = await start({ customers: 3 });
    const customers = [...simulator.store.rows.values()].filter((row) => row.customerNo > 0);
    const [a, b] = customers;
    const update = `mutation($cid: Int!, $filters: [FilterExpression_Associate], $values: [Associate_Input!]) { useCompany(no: $cid) { associate_update(filters: $filters, values: $values) { affectedRows items { associateNo phone changedTimestamp } } } }`;
    const result = (
      await post({
        query: update,
        variables: {
          cid: simulator.companyNo,
          filters: [{ associateNo: { _eq: a?.associateNo } }, { associateNo: { _eq: b?.associateNo } }],
          values: [{ phone: '33123456' }, {}],
        },
      })
    ).json();
    expect(result.data.useCompany.associate_update).toMatchObject({
      affectedRows: 1,
      items: [{ associateNo: a?.associateNo, phone: '33123456' }],
    });
    expect(result.extensions.warnings[0].message).toMatch(/no values/);
    const remove = `mutation($cid: Int!) { useCompany(no: $cid) { associate_delete(filter: {associateNo: {_eq: ${b?.associateNo}}}) { affectedRows items { associateNo } } } }`;
    expect((await post({ query: remove, variables: { cid: simulator.companyNo } })).json()).toEqual({
      data: { useCompany: { associate_delete: { affectedRows: 1, items: null } } },
    });
  });

  it('answers a batch of up to 32 operations in order, and refuses a larger one', async () => {
    const { post } = await start();
    const operation = { query: '{ availableCompanies { totalCount } }' };
    const answered = (await post(Array.from({ length: 32 }, () => operation))).json();
    expect(answered).toHaveLength(32);
    expect((await post(Array.from({ length: 33 }, () => operation))).status).toBe(400);
  });

  it('enforces requests per minute per token with 429 and Retry-After', async () => {
    const { post } = await start({ requestsPerMinute: 3 });
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push((await post({ query: '{ availableCompanies { totalCount } }' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post({ query: '{ availableCompanies { totalCount } }' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers OUTSTANDING_LIMIT_EXCEEDED past the requests in progress per company', async () => {
    const { post } = await start({ maxOutstanding: 1, responseDelayMs: 100 });
    const [slow, rejected] = await Promise.all([
      post({ query: '{ availableCompanies { totalCount } }' }),
      post({ query: '{ availableCompanies { totalCount } }' }),
    ]);
    expect(slow.json().data).toBeDefined();
    expect(rejected.json().errors[0]).toMatchObject({
      extensions: { code: 'OUTSTANDING_LIMIT_EXCEEDED', limit: 1 },
    });
  });

  it('injects faults at a seeded, repeatable rate', async () => {
    const run = async () => {
      const { post, simulator } = await start({
        seed: 9,
        faults: { rate: 0.5, kinds: ['429', '500', 'malformed-json'] },
      });
      const outcomes = [];
      for (let index = 0; index < 12; index += 1) {
        const result = await post({ query: '{ availableCompanies { totalCount } }' });
        outcomes.push(
          result.status === 200 && result.text.startsWith('{"data": {"use') ? 'malformed' : result.status,
        );
      }
      return { outcomes, faults: simulator.stats.faults };
    };
    const first = await run();
    expect(first.outcomes).toContain(200);
    expect(first.outcomes.some((outcome) => outcome !== 200)).toBe(true);
    expect((await run()).outcomes).toEqual(first.outcomes);
  });

  it('posts a signed TableChange for a write, retrying until the receiver answers 2xx', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    let refuse = 1;
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (refuse-- > 0) return response.writeHead(503).end();
        received.push({ body, signature: request.headers['x-vwd-signature-v1'] as string | undefined });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const { simulator } = await start({ webhooks: [{ url, secret: 'signing-key' }] });
      await fetch(`${simulator.adminUrl}/associates`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Ny AS', customerNo: 30001 }),
      });
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(1);
      const [delivery] = received;
      expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
        tableIdentifier: 'Associate',
        companyNo: 9112233,
        event: 'INSERT',
        primaryKeys: [{ AssociateNo: 1 }],
      });
      expect(delivery?.signature).toBe(
        createHmac('sha256', 'signing-key')
          .update(delivery?.body ?? '')
          .digest('base64'),
      );
    } finally {
      receiver.close();
    }
  });

  it('edits many rows at once as an ERP user, one TableChange per row', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(body);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const { simulator } = await start({ customers: 3, webhooks: [{ url, secret: 'signing-key' }] });
      const numbers = [...simulator.store.rows.keys()].slice(0, 3);
      const edited = await fetch(`${simulator.adminUrl}/associates`, {
        method: 'PATCH',
        body: JSON.stringify(
          numbers.map((associateNo) => ({ associateNo, addressLine1: `Vei ${associateNo}` })),
        ),
      });
      expect(edited.status).toBe(200);
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(3);
      const keys = received.map((body) => JSON.parse(body).primaryKeys[0].AssociateNo).sort();
      expect(keys).toEqual([...numbers].sort());
      for (const no of numbers) {
        expect(simulator.store.rows.get(no)?.addressLine1).toBe(`Vei ${no}`);
        expect(simulator.store.rows.get(no)?.changedByUser).toBe('ERP-USER');
      }
      const refused = await fetch(`${simulator.adminUrl}/associates`, {
        method: 'PATCH',
        body: JSON.stringify([{ associateNo: numbers[0], addressLine1: 'Ny' }, { associateNo: 999_999 }]),
      });
      expect(refused.status).toBe(404);
      expect(simulator.store.rows.get(numbers[0] ?? 0)?.addressLine1).toBe(`Vei ${numbers[0]}`);
    } finally {
      receiver.close();
    }
  });

  it('lets tests edit rows as an ERP user: the change timestamp moves', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { simulator } = await start({ customers: 1, now: () => new Date(now) });
    now += 5000;
    const response = await fetch(`${simulator.adminUrl}/associates/1`, {
      method: 'PATCH',
      body: JSON.stringify({ phone: '33000000' }),
    });
    expect(await response.json()).toMatchObject({
      phone: '33000000',
      // Business NXT's own form: local time (Europe/Oslo, winter: UTC+1) without a zone.
      changedTimestamp: '2026-11-24 11:00:05.0000000',
    });
  });
});

describe('DateTime values: local time without a zone', () => {
  const query = `query($cid: Int!, $filter: FilterExpression_Associate) { useCompany(no: $cid) { associate(filter: $filter, orderBy: [{changedTimestamp: ASC}]) { items { associateNo changedTimestamp } } } }`;

  /** Edits associates 1, 2, 3 at the given instants, and a filter query over them. */
  async function editedAt(instants: readonly string[], options: VismaNxtSimulatorOptions = {}) {
    let now = Date.parse(instants[0] ?? '2026-01-01T00:00:00Z');
    // A token for the whole test: the clock jumps by months.
    const world = await start({ customers: 3, now: () => new Date(now), tokenTtlSeconds: 1e9, ...options });
    for (const [index, instant] of instants.entries()) {
      now = Date.parse(instant);
      world.simulator.store.update(index + 1, { phone: `3300000${index}` });
    }
    const read = async (filter: object | null) => {
      const answer = (
        await world.post({ query, variables: { cid: world.simulator.companyNo, filter } })
      ).json();
      return answer.errors
        ? { errors: answer.errors.map((error: { message: string }) => error.message) }
        : answer.data.useCompany.associate.items.map(
            (row: { associateNo: number; changedTimestamp: string }) =>
              `${row.associateNo}@${row.changedTimestamp}`,
          );
    };
    return read;
  }

  it('writes Europe/Oslo wall time by default, in winter and summer time, with 7 fraction digits', async () => {
    const read = await editedAt(['2026-01-15T11:45:33.798Z', '2026-07-01T10:00:00Z']);
    expect(await read({ changedTimestamp: { _gte: '2026-01-01 00:00:00' } })).toEqual([
      '1@2026-01-15 12:45:33.7980000',
      '2@2026-07-01 12:00:00.0000000',
    ]);
  });

  it('writes the time zone it is given', async () => {
    const read = await editedAt(['2026-07-01T13:00:00Z'], { timeZone: 'America/New_York' });
    expect(await read({ changedTimestamp: { _gt: '2026-07-01 08:59:59.9999999' } })).toEqual([
      '1@2026-07-01 09:00:00.0000000',
    ]);
  });

  it('compares and sorts wall times, as datetime2 does: on the night the clocks go back, later can sort earlier', async () => {
    // First 02:40 (summer time), second 02:10 and 02:50 (winter time) on 2026-10-25.
    const read = await editedAt(['2026-10-25T00:40:00Z', '2026-10-25T01:10:00Z', '2026-10-25T01:50:00Z']);
    expect(await read({ changedTimestamp: { _gte: '2026-10-25 02:00:00' } })).toEqual([
      '2@2026-10-25 02:10:00.0000000',
      '1@2026-10-25 02:40:00.0000000',
      '3@2026-10-25 02:50:00.0000000',
    ]);
    // A bound at the first 02:40 misses the row stamped 02:10 after it: why the client lowers such bounds.
    expect(await read({ changedTimestamp: { _gte: '2026-10-25 02:40:00.0000000' } })).toEqual([
      '1@2026-10-25 02:40:00.0000000',
      '3@2026-10-25 02:50:00.0000000',
    ]);
    expect(await read({ changedTimestamp: { _between: ['2026-10-25 02:10', '2026-10-25 02:40'] } })).toEqual({
      errors: [expect.stringMatching(/Invalid DateTime "2026-10-25 02:10"/)],
    });
    expect(
      await read({ changedTimestamp: { _between: ['2026-10-25T02:10:00', '2026-10-25 02:40:00.0000000'] } }),
    ).toEqual(['2@2026-10-25 02:10:00.0000000', '1@2026-10-25 02:40:00.0000000']);
  });

  it('skips the hour the clocks go forward', async () => {
    const read = await editedAt(['2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z']);
    expect(await read({ changedTimestamp: { _gte: '2026-03-29 01:00:00' } })).toEqual([
      '1@2026-03-29 01:59:00.0000000',
      '2@2026-03-29 03:00:00.0000000',
    ]);
  });

  it('refuses a filter value with Z or an offset, a form the docs do not give', async () => {
    const read = await editedAt(['2026-07-01T10:00:00Z']);
    for (const value of ['2026-07-01T10:00:00Z', '2026-07-01T12:00:00+02:00'])
      expect(await read({ changedTimestamp: { _gte: value } })).toEqual({
        errors: [expect.stringMatching(/expected yyyy-MM-dd HH:mm:ss\[\.nnnnnnn\], the server's local time/)],
      });
  });
});
