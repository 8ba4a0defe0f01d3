import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type HubSpotSimulator,
  startHubSpotSimulator,
  startVismaNxtSimulator,
  type VismaNxtSimulator,
} from '@port-service/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxEvent } from '../inbox-event.js';
import { webhookIntake } from './intake.js';

// The HubSpot simulator's app: the `appId` of its webhooks, and the app its API token writes as.
const simulatorAppId = 7654321;
const hubspotSecret = 'hubspot-client-secret';
const vismaKey = 'visma-signature-key';

let crm: HubSpotSimulator;
let erp: VismaNxtSimulator;
let otherCompany: VismaNxtSimulator;
let otherPortal: HubSpotSimulator;
let close: () => Promise<void>;
let receiverUrl: string;
const accepted: InboxEvent[] = [];
const counted: string[] = [];

beforeAll(async () => {
  crm = await startHubSpotSimulator({ port: 0, host: '127.0.0.1', seed: 5 });
  erp = await startVismaNxtSimulator({ port: 0, host: '127.0.0.1', seed: 5 });
  otherCompany = await startVismaNxtSimulator({ port: 0, host: '127.0.0.1', seed: 6, companyNo: 5550001 });
  otherPortal = await startHubSpotSimulator({ port: 0, host: '127.0.0.1', seed: 6, portalId: 4440001 });
  const intake = webhookIntake({
    hubspot: { secret: hubspotSecret, appId: simulatorAppId, publicBaseUrl: null },
    visma: { secrets: ['retired-key', vismaKey] },
    boundCompanyNo: async () => erp.companyNo,
    boundPortalId: async () => crm.portalId,
    accept: async (events) => {
      accepted.push(...events);
    },
    count: (system, outcome) => counted.push(`${system}:${outcome}`),
  });
  const server = createServer((request, response) => {
    if (!intake(request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const register = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await register(`${crm.adminUrl}/webhooks`, {
    url: `${receiverUrl}/webhooks/hubspot`,
    clientSecret: hubspotSecret,
  });
  await register(`${erp.adminUrl}/webhooks`, { url: `${receiverUrl}/webhooks/visma-nxt`, secret: vismaKey });
  await register(`${otherPortal.adminUrl}/webhooks`, {
    url: `${receiverUrl}/webhooks/hubspot`,
    clientSecret: hubspotSecret,
  });
  await register(`${otherCompany.adminUrl}/webhooks`, {
    url: `${receiverUrl}/webhooks/visma-nxt`,
    secret: vismaKey,
  });
});

afterAll(async () => {
  await Promise.all([crm?.close(), erp?.close(), otherCompany?.close(), otherPortal?.close()]);
  await close?.();
});

async function call(url: string, method: string, body?: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the simulators' JSON, read freely
  return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as any };
}
const api = (method: string, path: string, body?: unknown) =>
  call(`${crm.baseUrl}${path}`, method, body, crm.accessToken);
const admin = (simulator: { adminUrl: string }, method: string, path: string, body?: unknown) =>
  call(`${simulator.adminUrl}${path}`, method, body);

const summary = (events: readonly InboxEvent[]) =>
  events.map(({ system, entity, recordId, kind, ownEcho, related }) => ({
    system,
    entity,
    recordId,
    kind,
    ownEcho,
    related,
  }));

describe('webhook deliveries from both simulators, over HTTP', () => {
  it('stores HubSpot changes as inbox events: echoes of API writes marked, a user’s edits not', async () => {
    const company = (
      await api('POST', '/crm/objects/2026-09/companies', { properties: { name: 'Fjord AS' } })
    ).json.id as string;
    await admin(crm, 'PATCH', `/companies/${company}`, { name: 'Fjord Fisk AS' });
    const contact = (await admin(crm, 'POST', '/contacts', { email: 'kari@fjord.no' })).json.id as string;
    await api('PUT', `/crm/objects/2026-09/contacts/${contact}/associations/default/companies/${company}`);
    await api('DELETE', `/crm/objects/2026-09/contacts/${contact}`);
    await admin(crm, 'POST', `/contacts/${contact}/restore`);
    const hubspot = () => summary(accepted.filter((event) => event.system === 'hubspot'));
    await expect.poll(() => hubspot().length, { timeout: 15_000 }).toBe(7);
    expect(hubspot()).toEqual(
      expect.arrayContaining([
        {
          system: 'hubspot',
          entity: 'customer',
          recordId: company,
          kind: 'created',
          ownEcho: true,
          related: [],
        },
        {
          system: 'hubspot',
          entity: 'customer',
          recordId: company,
          kind: 'changed',
          ownEcho: false,
          related: [],
        },
        {
          system: 'hubspot',
          entity: 'contact',
          recordId: contact,
          kind: 'created',
          ownEcho: false,
          related: [],
        },
        {
          system: 'hubspot',
          entity: 'contact',
          recordId: contact,
          kind: 'association',
          ownEcho: true,
          related: [{ entity: 'customer', recordId: company }],
        },
        {
          system: 'hubspot',
          entity: 'customer',
          recordId: company,
          kind: 'association',
          ownEcho: true,
          related: [{ entity: 'contact', recordId: contact }],
        },
        {
          system: 'hubspot',
          entity: 'contact',
          recordId: contact,
          kind: 'deleted',
          ownEcho: true,
          related: [],
        },
        {
          system: 'hubspot',
          entity: 'contact',
          recordId: contact,
          kind: 'restored',
          ownEcho: false,
          related: [],
        },
      ]),
    );
    // Each change once: deliveries of different changes never share a key.
    expect(new Set(accepted.map((event) => event.dedupeKey)).size).toBe(accepted.length);
  });

  it('stores a merge under the new record, with the ids it absorbed', async () => {
    const first = (await api('POST', '/crm/v3/objects/companies', { properties: { name: 'A AS' } })).json
      .id as string;
    const second = (await api('POST', '/crm/v3/objects/companies', { properties: { name: 'B AS' } })).json
      .id as string;
    const merged = (await admin(crm, 'POST', `/companies/${first}/merge`, { objectIdToMerge: second })).json
      .id as string;
    await expect
      .poll(() => summary(accepted.filter((event) => event.kind === 'merged')), { timeout: 15_000 })
      .toEqual([
        {
          system: 'hubspot',
          entity: 'customer',
          recordId: merged,
          kind: 'merged',
          ownEcho: false,
          related: [
            { entity: 'customer', recordId: first },
            { entity: 'customer', recordId: second },
          ],
        },
      ]);
  });

  it('stores Business NXT Associate changes of the bound company, and refuses another company’s', async () => {
    const row = (await admin(erp, 'POST', '/associates', { name: 'Fjord AS', customerNo: 10001 })).json;
    await admin(erp, 'PATCH', `/associates/${row.associateNo}`, { name: 'Fjord Fisk AS' });
    await admin(erp, 'DELETE', `/associates/${row.associateNo}`);
    await admin(otherCompany, 'POST', '/associates', { name: 'Annen AS', customerNo: 20001 });
    const visma = () => summary(accepted.filter((event) => event.system === 'visma-nxt'));
    const recordId = String(row.associateNo);
    await expect.poll(() => visma().length, { timeout: 15_000 }).toBe(3);
    // Three deliveries in flight at once: in any order.
    expect(visma()).toEqual(
      expect.arrayContaining([
        { system: 'visma-nxt', entity: null, recordId, kind: 'created', ownEcho: false, related: [] },
        { system: 'visma-nxt', entity: null, recordId, kind: 'changed', ownEcho: false, related: [] },
        { system: 'visma-nxt', entity: null, recordId, kind: 'deleted', ownEcho: false, related: [] },
      ]),
    );
    await expect.poll(() => counted.includes('visma-nxt:wrong-company'), { timeout: 15_000 }).toBe(true);
    expect(otherCompany.store.rows.size).toBeGreaterThan(0);
  });

  it('acknowledges another HubSpot account’s deliveries and stores nothing from them', async () => {
    const storedBefore = accepted.length;
    const created = await admin(otherPortal, 'POST', '/companies', { name: 'Fremmed AS' });
    expect(created.status).toBe(201);
    await expect.poll(() => counted.includes('hubspot:wrong-portal'), { timeout: 15_000 }).toBe(true);
    expect(accepted.slice(storedBefore)).toEqual([]);
    expect(otherPortal.portalId).not.toBe(crm.portalId);
  });

  it('refuses forged posts on both endpoints and stores nothing from them', async () => {
    const before = accepted.length;
    const body = JSON.stringify([
      { subscriptionType: 'company.deletion', objectId: 1, occurredAt: Date.now() },
    ]);
    const forgedHubSpot = await fetch(`${receiverUrl}/webhooks/hubspot`, {
      method: 'POST',
      body,
      headers: { 'x-hubspot-signature-v3': 'Zm9yZ2Vk', 'x-hubspot-request-timestamp': String(Date.now()) },
    });
    const forgedVisma = await fetch(`${receiverUrl}/webhooks/visma-nxt`, {
      method: 'POST',
      body: '{"tableIdentifier":"Associate","companyNo":9112233,"primaryKeys":[{"AssociateNo":1}],"event":"DELETE"}',
      headers: { 'x-vwd-signature-v1': 'Zm9yZ2Vk' },
    });
    expect([forgedHubSpot.status, forgedVisma.status]).toEqual([401, 401]);
    expect(accepted.length).toBe(before);
    expect(counted.filter((outcome) => outcome.endsWith(':forged'))).toEqual([
      'hubspot:forged',
      'visma-nxt:forged',
    ]);
  });
});
