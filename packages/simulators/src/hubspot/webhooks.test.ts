import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, type HubSpotSimulatorOptions, startHubSpotSimulator } from './server.js';
import { simulatorAppId } from './webhooks.js';

interface Delivery {
  readonly url: string;
  readonly body: string;
  readonly signature: string;
  readonly timestamp: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the events' JSON freely
  readonly events: any[];
}

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

/** A receiver on loopback that keeps every delivery; `failFirst` answers the first ones 500. */
async function receiver(failFirst = 0) {
  const deliveries: Delivery[] = [];
  let refused = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (refused < failFirst) {
        refused += 1;
        response.writeHead(500).end();
        return;
      }
      deliveries.push({
        url: request.url ?? '',
        body,
        signature: String(request.headers['x-hubspot-signature-v3']),
        timestamp: String(request.headers['x-hubspot-request-timestamp']),
        events: JSON.parse(body),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the events' JSON freely
  const events = () => deliveries.flatMap((delivery) => delivery.events as any[]);
  return { origin, deliveries, events };
}

const clock = Date.parse('2026-12-01T09:00:00.000Z');

async function start(url: string, options: HubSpotSimulatorOptions = {}) {
  const simulator: HubSpotSimulator = await startHubSpotSimulator({
    now: () => clock,
    portalId: 222,
    webhooks: [{ url, clientSecret: 'app-secret' }],
    ...options,
  });
  closing.push(() => simulator.close());
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${simulator.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${simulator.accessToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : JSON.parse(text) };
  };
  return { simulator, call };
}

const byApp = { changeSource: 'INTEGRATION', sourceId: String(simulatorAppId) };
const byUser = { changeSource: 'CRM_UI', sourceId: expect.stringMatching(/^userId:\d+$/u) };

describe('HubSpot simulator webhooks: events like HubSpot sends', () => {
  it('creation: the fields and field order of HubSpot’s example, the change named as our app’s API write', async () => {
    const { origin, deliveries } = await receiver();
    const { call } = await start(`${origin}/hubspot`);
    const created = await call('POST', '/crm/objects/2026-09/companies', {
      properties: { name: 'Fjord AS' },
    });
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(1);
    const [event] = deliveries[0]?.events ?? [];
    expect(Object.keys(event)).toEqual([
      'eventId',
      'subscriptionId',
      'portalId',
      'appId',
      'occurredAt',
      'subscriptionType',
      'attemptNumber',
      'objectId',
      'changeFlag',
      'changeSource',
      'sourceId',
    ]);
    expect(event).toEqual({
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      portalId: 222,
      appId: simulatorAppId,
      occurredAt: clock,
      subscriptionType: 'company.creation',
      attemptNumber: 0,
      objectId: Number(created.json.id),
      changeFlag: 'CREATED',
      ...byApp,
    });
  });

  it('propertyChange: one event per changed property, none for unchanged values or the modified date', async () => {
    const { origin, deliveries, events } = await receiver();
    const { call } = await start(`${origin}/hubspot`);
    const created = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'kari@example.no', firstname: 'Kari', phone: '22334455' },
    });
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(1);
    await call('PATCH', `/crm/objects/2026-09/contacts/${created.json.id}`, {
      properties: { firstname: 'Kari Anne', phone: '', email: 'kari@example.no' },
    });
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(2);
    expect(deliveries[1]?.events).toEqual([
      expect.objectContaining({
        subscriptionType: 'contact.propertyChange',
        objectId: Number(created.json.id),
        propertyName: 'firstname',
        propertyValue: 'Kari Anne',
        ...byApp,
      }),
      expect.objectContaining({ propertyName: 'phone', propertyValue: '' }),
    ]);
    // Each property is its own subscription; the two events are two changes.
    const [first, second] = deliveries[1]?.events ?? [];
    expect(first.subscriptionId).not.toBe(second.subscriptionId);
    expect(first.eventId).not.toBe(second.eventId);
    expect(events().filter((event) => event.propertyName === 'lastmodifieddate')).toEqual([]);
  });

  it('edits on the admin surface are a user’s in HubSpot: CRM_UI and a user id', async () => {
    const { origin, deliveries } = await receiver();
    const { simulator, call } = await start(`${origin}/hubspot`);
    const created = await call('POST', '/admin/companies', { name: 'Nord AS' });
    await call('PATCH', `/admin/companies/${created.json.id}`, { name: 'Nord Fisk AS' });
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(2);
    expect(deliveries.map((delivery) => delivery.events[0])).toEqual([
      expect.objectContaining({ subscriptionType: 'company.creation', changeFlag: 'CREATED', ...byUser }),
      expect.objectContaining({
        subscriptionType: 'company.propertyChange',
        propertyName: 'name',
        propertyValue: 'Nord Fisk AS',
        ...byUser,
      }),
    ]);
    expect(simulator.store.records.companies.get(created.json.id)?.properties.get('name')).toBe(
      'Nord Fisk AS',
    );
  });

  it('an import of 250 companies arrives in batches of at most 100 events, IMPORT as the source', async () => {
    const { origin, deliveries, events } = await receiver();
    const { simulator, call } = await start(`${origin}/hubspot`);
    const ids: string[] = [];
    for (let index = 0; index < 250; index += 1)
      ids.push(simulator.store.create('companies', { name: `Firma ${index} AS` }).id);
    const imported = await call('POST', '/admin/companies/batch/update', {
      inputs: ids.map((id, index) => ({ id, properties: { city: `By ${index}` } })),
    });
    expect(imported).toEqual({ status: 200, json: { updated: 250 } });
    await expect.poll(() => events().length, { timeout: 5000 }).toBe(250);
    // HubSpot: "Each request can contain up to 100 events", "in batches and not one per request".
    expect(deliveries.map((delivery) => delivery.events.length)).toEqual([100, 100, 50]);
    expect(new Set(events().map((event) => event.objectId))).toEqual(new Set(ids.map(Number)));
    expect(events()[0]).toMatchObject({ subscriptionType: 'company.propertyChange', changeSource: 'IMPORT' });
    expect(events()[0]).not.toHaveProperty('sourceId');
    expect(simulator.store.records.companies.get(ids[249] ?? '')?.properties.get('city')).toBe('By 249');
  });

  it('refuses an import naming an unknown company, and changes nothing', async () => {
    const { origin, events } = await receiver();
    const { simulator, call } = await start(`${origin}/hubspot`);
    const known = simulator.store.create('companies', { name: 'Kjent AS' }).id;
    const refused = await call('POST', '/admin/companies/batch/update', {
      inputs: [
        { id: known, properties: { city: 'Bergen' } },
        { id: '999999', properties: { city: 'Oslo' } },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain('inputs[1]');
    expect(simulator.store.records.companies.get(known)?.properties.get('city')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events()).toEqual([]);
  });

  it('deletion and restore (from the recycle bin, as a user)', async () => {
    const { origin, deliveries } = await receiver();
    const { simulator, call } = await start(`${origin}/hubspot`);
    const created = await call('POST', '/crm/objects/2026-09/companies', {
      properties: { name: 'Borte AS' },
    });
    const id = created.json.id as string;
    expect((await call('POST', `/admin/companies/${id}/restore`)).status).toBe(409);
    await call('DELETE', `/crm/objects/2026-09/companies/${id}`);
    expect((await call('POST', `/admin/companies/${id}/restore`)).status).toBe(200);
    expect(simulator.store.records.companies.get(id)?.archived).toBe(false);
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(3);
    expect(deliveries.map((delivery) => delivery.events[0])).toEqual([
      expect.objectContaining({ subscriptionType: 'company.creation' }),
      expect.objectContaining({
        subscriptionType: 'company.deletion',
        objectId: Number(id),
        changeFlag: 'DELETED',
        ...byApp,
      }),
      expect.objectContaining({ subscriptionType: 'company.restore', objectId: Number(id), ...byUser }),
    ]);
    expect(deliveries[2]?.events[0]).not.toHaveProperty('changeFlag');
  });

  it('merge: a new record with a new id, named with the primary and the merged ids', async () => {
    const { origin, events } = await receiver();
    const { call } = await start(`${origin}/hubspot`);
    const primary = (await call('POST', '/crm/v3/objects/companies', { properties: { name: 'A AS' } })).json
      .id;
    const other = (
      await call('POST', '/crm/v3/objects/companies', { properties: { name: 'B AS', phone: '1' } })
    ).json.id;
    const merged = await call('POST', '/crm/objects/2026-09/companies/merge', {
      primaryObjectId: primary,
      objectIdToMerge: other,
    });
    const newId = Number(merged.json.id);
    expect(newId).not.toBe(Number(primary));
    await expect
      .poll(() => events().filter((event) => event.subscriptionType === 'company.merge'), { timeout: 5000 })
      .toEqual([
        expect.objectContaining({
          objectId: newId,
          primaryObjectId: Number(primary),
          mergedObjectIds: [Number(other)],
          newObjectId: newId,
          numberOfPropertiesMoved: 1,
          ...byApp,
        }),
      ]);
  });

  it('associationChange: both sides, added and removed, none when nothing changed', async () => {
    const { origin, events } = await receiver();
    const { call } = await start(`${origin}/hubspot`);
    const company = (await call('POST', '/crm/v3/objects/companies', { properties: { name: 'A AS' } })).json
      .id;
    const contact = (await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@a.no' } })).json
      .id;
    const path = `/crm/objects/2026-09/contacts/${contact}/associations/default/companies/${company}`;
    await call('PUT', path);
    await call('PUT', path);
    await call('DELETE', `/crm/v4/objects/contacts/${contact}/associations/companies/${company}`);
    const associationEvents = () =>
      events()
        .filter((event) => event.subscriptionType.endsWith('.associationChange'))
        .map(
          ({
            subscriptionType,
            associationType,
            fromObjectId,
            toObjectId,
            associationRemoved,
            objectId,
          }) => ({
            subscriptionType,
            associationType,
            fromObjectId,
            toObjectId,
            associationRemoved,
            objectId,
          }),
        );
    const side = (fromContact: boolean, removed: boolean) => ({
      subscriptionType: fromContact ? 'contact.associationChange' : 'company.associationChange',
      associationType: fromContact ? 'CONTACT_TO_COMPANY' : 'COMPANY_TO_CONTACT',
      fromObjectId: Number(fromContact ? contact : company),
      toObjectId: Number(fromContact ? company : contact),
      associationRemoved: removed,
      objectId: undefined,
    });
    await expect
      .poll(associationEvents, { timeout: 5000 })
      .toEqual([side(true, false), side(false, false), side(true, true), side(false, true)]);
    expect(events().find((event) => event.subscriptionType === 'contact.associationChange')).toMatchObject(
      byApp,
    );
  });

  it('an inline association on a create is an association change too, primary when labelled so', async () => {
    const { origin, events } = await receiver();
    const { call } = await start(`${origin}/hubspot`);
    const company = (await call('POST', '/crm/v3/objects/companies', { properties: { name: 'A AS' } })).json
      .id;
    const contact = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'b@a.no' },
      associations: [
        { to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] },
      ],
    });
    await expect
      .poll(() => events().filter((event) => event.subscriptionType === 'contact.associationChange'), {
        timeout: 5000,
      })
      .toEqual([
        expect.objectContaining({
          fromObjectId: Number(contact.json.id),
          toObjectId: Number(company),
          associationRemoved: false,
          isPrimaryAssociation: true,
        }),
      ]);
  });

  it('signs the target URL as HubSpot does, with the listed percent-encodings decoded', async () => {
    const { origin, deliveries } = await receiver();
    const url = `${origin}/hubspot?account=eu%3A1%2C2`;
    const { call } = await start(url);
    await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Signert AS' } });
    await expect.poll(() => deliveries.length, { timeout: 5000 }).toBe(1);
    const [delivery] = deliveries;
    expect(delivery?.url).toBe('/hubspot?account=eu%3A1%2C2');
    expect(delivery?.signature).toBe(
      createHmac('sha256', 'app-secret')
        .update(`POST${origin}/hubspot?account=eu:1,2${delivery?.body}${delivery?.timestamp}`)
        .digest('base64'),
    );
  });

  it('redelivers a refused delivery with the same events and the next attemptNumber', async () => {
    const { origin, deliveries } = await receiver(1);
    const { call } = await start(`${origin}/hubspot`, { seed: 3 });
    await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Igjen AS' } });
    await expect.poll(() => deliveries.length, { timeout: 10_000 }).toBe(1);
    expect(deliveries[0]?.events[0]).toMatchObject({
      subscriptionType: 'company.creation',
      attemptNumber: 1,
    });
  });
});
