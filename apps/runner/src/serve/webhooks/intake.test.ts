import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxEvent } from '../inbox-event.js';
import { webhookIntake } from './intake.js';
import type { WebhookRouteOptions } from './receive.js';

const hubspotSecret = 'hubspot-client-secret';
const appId = 7654321;
const publicUrl = 'https://sync.example.no';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** The intake on a real Node server (other requests answered 404, as the service's framework would), on a free port. */
function serveIntake(options: WebhookRouteOptions) {
  const intake = webhookIntake(options);
  const server = createServer((request, response) => {
    if (!intake(request, response)) response.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  servers.push(server);
  const listening = new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    async request(path: string, init: RequestInit = {}): Promise<Response> {
      await listening;
      const { port } = server.address() as AddressInfo;
      return fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', ...init });
    },
  };
}

function harness(overrides: Partial<WebhookRouteOptions> = {}) {
  const accepted: InboxEvent[][] = [];
  const counted: string[] = [];
  const app = serveIntake({
    hubspot: { secret: hubspotSecret, appId, publicBaseUrl: publicUrl },
    visma: { secrets: ['old-key', 'new-key'] },
    boundCompanyNo: async () => 9112233,
    accept: async (events) => {
      accepted.push([...events]);
    },
    count: (system, outcome) => counted.push(`${system}:${outcome}`),
    ...overrides,
  });
  return { app, accepted, counted };
}

/** A HubSpot delivery as HubSpot signs it (v3) for the URL it calls. */
function hubspotRequest(
  body: string,
  options: { uri?: string; timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
) {
  const uri = options.uri ?? `${publicUrl}/webhooks/hubspot`;
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = createHmac('sha256', options.secret ?? hubspotSecret)
    .update(`POST${uri}${body}${timestamp}`)
    .digest('base64');
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
      ...options.headers,
    },
  };
}

const creation = (objectId: number, extra: Record<string, unknown> = {}) => ({
  eventId: 1,
  subscriptionId: 2,
  portalId: 33,
  appId,
  occurredAt: 1_764_583_200_000,
  subscriptionType: 'company.creation',
  attemptNumber: 0,
  objectId,
  changeFlag: 'CREATED',
  changeSource: 'CRM_UI',
  sourceId: 'userId:1100001',
  ...extra,
});

describe('POST /webhooks/hubspot', () => {
  it('stores a signed delivery and answers 200 at once', async () => {
    const { app, accepted, counted } = harness();
    const body = JSON.stringify([
      creation(11),
      creation(12, { changeSource: 'INTEGRATION', sourceId: String(appId) }),
    ]);
    const response = await app.request('/webhooks/hubspot', hubspotRequest(body));
    expect(response.status).toBe(200);
    expect(accepted).toEqual([
      [
        expect.objectContaining({
          system: 'hubspot',
          entity: 'customer',
          recordId: '11',
          kind: 'created',
          ownEcho: false,
        }),
        expect.objectContaining({ recordId: '12', ownEcho: true }),
      ],
    ]);
    expect(counted).toEqual(['hubspot:accepted']);
  });

  it('verifies the URL HubSpot called behind a proxy from X-Forwarded-Proto/-Host, without a public URL set', async () => {
    const { app, accepted } = harness({ hubspot: { secret: hubspotSecret, appId, publicBaseUrl: null } });
    const body = JSON.stringify([creation(21)]);
    const request = hubspotRequest(body, {
      uri: 'https://hooks.example.no/webhooks/hubspot?portal=33',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.no' },
    });
    expect((await app.request('/webhooks/hubspot?portal=33', request)).status).toBe(200);
    expect(accepted.flat().map((event) => event.recordId)).toEqual(['21']);
  });

  it('refuses forged and unsigned deliveries with 401, storing nothing', async () => {
    const { app, accepted, counted } = harness();
    const body = JSON.stringify([creation(31)]);
    const forged = await app.request('/webhooks/hubspot', hubspotRequest(body, { secret: 'guessed' }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'forged' });
    const tampered = hubspotRequest(body);
    const changed = await app.request('/webhooks/hubspot', { ...tampered, body: body.replace('31', '32') });
    expect(changed.status).toBe(401);
    const unsigned = await app.request('/webhooks/hubspot', { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['hubspot:forged', 'hubspot:forged', 'hubspot:forged']);
  });

  it('refuses a delivery signed more than 5 minutes ago or ahead as stale', async () => {
    const { app, accepted, counted } = harness();
    const body = JSON.stringify([creation(41)]);
    const old = await app.request(
      '/webhooks/hubspot',
      hubspotRequest(body, { timestamp: Date.now() - 6 * 60_000 }),
    );
    const ahead = await app.request(
      '/webhooks/hubspot',
      hubspotRequest(body, { timestamp: Date.now() + 6 * 60_000 }),
    );
    expect([old.status, ahead.status]).toEqual([401, 401]);
    expect(await old.json()).toMatchObject({ error: 'stale' });
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['hubspot:stale', 'hubspot:stale']);
  });

  it('takes a v1 signature where the v3 headers are absent', async () => {
    const { app, accepted } = harness();
    const body = JSON.stringify([creation(51)]);
    const signature = createHash('sha256').update(`${hubspotSecret}${body}`).digest('hex');
    const response = await app.request('/webhooks/hubspot', {
      method: 'POST',
      body,
      headers: { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': 'v1' },
    });
    expect(response.status).toBe(200);
    expect(accepted.flat().map((event) => event.recordId)).toEqual(['51']);
  });

  it('answers a signed but malformed delivery 400, an empty one 200, one of only deals 200 (ignored)', async () => {
    const { app, accepted, counted } = harness();
    const statuses = [];
    for (const body of [
      '[{"objectId":',
      '{"objectId":1}',
      '[]',
      '[{"subscriptionType":"deal.creation","objectId":1}]',
    ])
      statuses.push((await app.request('/webhooks/hubspot', hubspotRequest(body))).status);
    expect(statuses).toEqual([400, 400, 200, 200]);
    expect(accepted).toEqual([]);
    expect(counted).toEqual([
      'hubspot:malformed',
      'hubspot:malformed',
      'hubspot:accepted',
      'hubspot:ignored',
    ]);
  });

  it('answers 503 when the inbox cannot store the events, so HubSpot sends them again', async () => {
    const { app, counted } = harness({
      accept: async () => {
        throw new Error('database is locked');
      },
    });
    const response = await app.request('/webhooks/hubspot', hubspotRequest(JSON.stringify([creation(61)])));
    expect(response.status).toBe(503);
    expect(counted).toEqual(['hubspot:failed']);
  });

  it('answers 404 with the reason when no client secret is configured', async () => {
    const { app, counted } = harness({ hubspot: { secret: null, appId: null, publicBaseUrl: null } });
    const response = await app.request('/webhooks/hubspot', hubspotRequest('[]'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'not-configured',
      reason: 'HubSpot webhooks are off: no HUBSPOT_WEBHOOK_SECRET',
    });
    expect(counted).toEqual(['hubspot:not-configured']);
  });

  it('refuses a body over 1 MiB with 413 before reading it', async () => {
    const { app, accepted, counted } = harness();
    const body = JSON.stringify([creation(71, { padding: 'x'.repeat(1024 * 1024) })]);
    expect((await app.request('/webhooks/hubspot', hubspotRequest(body))).status).toBe(413);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['hubspot:malformed']);
  });
});

/** A Business NXT notification, signed like Visma Connect does with the given key. */
function vismaRequest(change: Record<string, unknown>, key: string) {
  const body = JSON.stringify({
    tableIdentifier: 'Associate',
    customerNo: 0,
    companyNo: 9112233,
    primaryKeys: [{ AssociateNo: 1001 }],
    event: 'UPDATE',
    timestamp: new Date().toISOString(),
    ...change,
  });
  return {
    method: 'POST',
    body,
    headers: { 'x-vwd-signature-v1': createHmac('sha256', key).update(body).digest('base64') },
  };
}

describe('POST /webhooks/hubspot from another account', () => {
  it('acknowledges events of another portal than the bound one, counts and reports them, and stores none', async () => {
    const warned: Array<Record<string, unknown>> = [];
    const { app, accepted, counted } = harness({
      boundPortalId: async () => 33,
      warn: (fields) => warned.push(fields),
    });
    const foreign = JSON.stringify([
      creation(21, { portalId: 44 }),
      creation(22, { portalId: 44, eventId: 9 }),
    ]);
    const response = await app.request('/webhooks/hubspot', hubspotRequest(foreign));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'wrong-portal', events: 0 });
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['hubspot:wrong-portal']);
    expect(warned).toEqual([{ boundPortalId: 33, otherPortals: { 44: 2 } }]);
  });

  it('stores the bound portal’s events of a mixed delivery and only those', async () => {
    const { app, accepted, counted } = harness({ boundPortalId: async () => 33 });
    const mixed = JSON.stringify([creation(31), creation(32, { portalId: 44 })]);
    const response = await app.request('/webhooks/hubspot', hubspotRequest(mixed));
    expect(response.status).toBe(200);
    expect(accepted.flat().map((event) => event.recordId)).toEqual(['31']);
    expect(counted).toEqual(['hubspot:wrong-portal']);
  });

  it('answers 503 when the binding cannot be read, so HubSpot sends it again', async () => {
    const { app, accepted, counted } = harness({
      boundPortalId: async () => {
        throw new Error('the state store is locked');
      },
    });
    const response = await app.request('/webhooks/hubspot', hubspotRequest(JSON.stringify([creation(41)])));
    expect(response.status).toBe(503);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['hubspot:failed']);
  });
});

describe('POST /webhooks/visma-nxt', () => {
  it('takes a notification signed with either key while one is rotated', async () => {
    const { app, accepted, counted } = harness();
    const first = await app.request('/webhooks/visma-nxt', vismaRequest({}, 'old-key'));
    const second = await app.request(
      '/webhooks/visma-nxt',
      vismaRequest({ primaryKeys: [{ AssociateNo: 1002 }] }, 'new-key'),
    );
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(
      accepted.flat().map(({ system, recordId, kind, entity }) => ({ system, recordId, kind, entity })),
    ).toEqual([
      { system: 'visma-nxt', recordId: '1001', kind: 'changed', entity: null },
      { system: 'visma-nxt', recordId: '1002', kind: 'changed', entity: null },
    ]);
    expect(counted).toEqual(['visma-nxt:accepted', 'visma-nxt:accepted']);
  });

  it('refuses a notification signed with another key, storing nothing', async () => {
    const { app, accepted, counted } = harness();
    expect((await app.request('/webhooks/visma-nxt', vismaRequest({}, 'retired-key'))).status).toBe(401);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['visma-nxt:forged']);
  });

  it('refuses a notification for another company than the bound one, and counts it', async () => {
    const { app, accepted, counted } = harness();
    const response = await app.request(
      '/webhooks/visma-nxt',
      vismaRequest({ companyNo: 5550001 }, 'old-key'),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'wrong-company' });
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['visma-nxt:wrong-company']);
  });

  it('acknowledges other tables and ignores them', async () => {
    const { app, accepted, counted } = harness();
    const response = await app.request(
      '/webhooks/visma-nxt',
      vismaRequest(
        { tableIdentifier: 'Product', companyNo: 0, primaryKeys: [{ ProductNo: '1001' }] },
        'old-key',
      ),
    );
    expect(response.status).toBe(200);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['visma-nxt:ignored']);
  });

  it('answers a signed body that is not a TableChange 400', async () => {
    const { app, counted } = harness();
    const body = '{"tableIdentifier":"Associate"';
    const response = await app.request('/webhooks/visma-nxt', {
      method: 'POST',
      body,
      headers: { 'x-vwd-signature-v1': createHmac('sha256', 'new-key').update(body).digest('base64') },
    });
    expect(response.status).toBe(400);
    expect(counted).toEqual(['visma-nxt:malformed']);
  });

  it('answers 503 when the inbox or the binding cannot be read', async () => {
    const failing = harness({
      accept: async () => {
        throw new Error('disk full');
      },
    });
    expect((await failing.app.request('/webhooks/visma-nxt', vismaRequest({}, 'old-key'))).status).toBe(503);
    const unbound = harness({
      boundCompanyNo: async () => {
        throw new Error('state store closed');
      },
    });
    expect((await unbound.app.request('/webhooks/visma-nxt', vismaRequest({}, 'old-key'))).status).toBe(503);
    expect([...failing.counted, ...unbound.counted]).toEqual(['visma-nxt:failed', 'visma-nxt:failed']);
    expect(unbound.accepted).toEqual([]);
  });

  it('answers 404 with the reason when no signature key is configured', async () => {
    const { app, counted } = harness({ visma: { secrets: [] } });
    const response = await app.request('/webhooks/visma-nxt', vismaRequest({}, 'old-key'));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not-configured' });
    expect(counted).toEqual(['visma-nxt:not-configured']);
  });
});

describe('the intake ahead of the framework', () => {
  it('leaves other methods and paths to the framework', async () => {
    const { app, counted } = harness();
    expect((await app.request('/webhooks/hubspot', { method: 'GET' })).status).toBe(404);
    expect((await app.request('/webhooks/hubspot/extra')).status).toBe(404);
    expect((await app.request('/webhooks')).status).toBe(404);
    expect(counted).toEqual([]);
  });

  it('refuses a body that grows past 1 MiB without announcing its length, with 413', async () => {
    const { app, accepted, counted } = harness();
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) controller.close();
        else controller.enqueue(chunk);
        sent += 1;
      },
    });
    const response = await app.request('/webhooks/visma-nxt', { body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(accepted).toEqual([]);
    expect(counted).toEqual(['visma-nxt:malformed']);
  });

  it('answers a delivery whose handling failed unexpectedly 500, counts and reports it', async () => {
    const reported: string[] = [];
    const { app, counted } = harness({
      boundPortalId: async () => 99,
      warn: () => {
        throw new Error('a bug');
      },
      error: (error, system) => reported.push(`${system}: ${String(error)}`),
    });
    const response = await app.request('/webhooks/hubspot', hubspotRequest(JSON.stringify([creation(81)])));
    expect(response.status).toBe(500);
    expect(counted).toEqual(['hubspot:failed']);
    expect(reported).toEqual(['hubspot: Error: a bug']);
  });
});
