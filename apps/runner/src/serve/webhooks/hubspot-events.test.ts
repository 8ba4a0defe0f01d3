import { describe, expect, it } from 'vitest';
import fixtures from './__fixtures__/hubspot-webhook-events.json' with { type: 'json' };
import { hubSpotInboxEvents } from './hubspot-events.js';

const receivedAt = Date.parse('2026-12-01T10:00:00.000Z');
const parse = (body: unknown, appId: number | null = null) =>
  hubSpotInboxEvents(typeof body === 'string' ? body : JSON.stringify(body), { appId, receivedAt });
const events = (body: unknown, appId: number | null = null) => parse(body, appId)._unsafeUnwrap().events;

describe('HubSpot webhook events to inbox events', () => {
  it("reads the docs' batch (eventType): a contact's property change and a contact's creation", () => {
    expect(events(fixtures.propertyChangeAndCreation.body)).toEqual([
      {
        system: 'hubspot',
        dedupeKey: 'hubspot:contact.propertyChange:1246965:lifecyclestage:1462216307945',
        entity: 'contact',
        recordId: '1246965',
        kind: 'changed',
        occurredAt: '2016-05-02T19:11:47.945Z',
        ownEcho: false,
        related: [],
      },
      {
        system: 'hubspot',
        dedupeKey: 'hubspot:contact.creation:1246978::1462216307945',
        entity: 'contact',
        recordId: '1246978',
        kind: 'created',
        occurredAt: '2016-05-02T19:11:47.945Z',
        ownEcho: false,
        related: [],
      },
    ]);
  });

  it('marks an event our own app caused (sourceId = our app id) as an echo, and only that', () => {
    const [byApp] = events(fixtures.propertyChangeByAnApp.body, 50780459);
    expect(byApp).toMatchObject({
      entity: 'customer',
      recordId: '541935488729',
      kind: 'changed',
      ownEcho: true,
    });
    expect(events(fixtures.propertyChangeByAnApp.body, 1234)[0]?.ownEcho).toBe(false);
    expect(events(fixtures.propertyChangeByAnApp.body, null)[0]?.ownEcho).toBe(false);
    // A change made in HubSpot names a user, never an app.
    expect(events(fixtures.creationInHubSpot.body, 16111050)[0]).toMatchObject({
      kind: 'created',
      recordId: '138017612137',
      ownEcho: false,
    });
  });

  it('reads deletion and restore of a company', () => {
    expect(
      events(fixtures.deletionAndRestore.body).map(({ entity, recordId, kind }) => [entity, recordId, kind]),
    ).toEqual([
      ['customer', '10851', 'deleted'],
      ['customer', '10851', 'restored'],
    ]);
  });

  it('reads a merge: the new record lives on, the primary and the merged ids are related', () => {
    expect(events(fixtures.merge.body)).toEqual([
      expect.objectContaining({
        entity: 'contact',
        recordId: '1247001',
        kind: 'merged',
        related: [
          { entity: 'contact', recordId: '1246965' },
          { entity: 'contact', recordId: '1246978' },
        ],
      }),
    ]);
    // Without a new id the primary lives on.
    const [merged] = events([{ ...fixtures.merge.body[0], newObjectId: undefined }]);
    expect(merged).toMatchObject({
      recordId: '1246965',
      related: [{ entity: 'contact', recordId: '1246978' }],
    });
  });

  it('reads association changes from both sides, and ignores ones with a deal', () => {
    const delivery = parse(fixtures.associationChange.body)._unsafeUnwrap();
    expect(delivery.ignored).toBe(1);
    expect(delivery.events).toEqual([
      expect.objectContaining({
        entity: 'contact',
        recordId: '1246965',
        kind: 'association',
        related: [{ entity: 'customer', recordId: '7654321' }],
        dedupeKey: 'hubspot:contact.associationChange:1246965:CONTACT_TO_COMPANY>7654321:added:1715100000000',
      }),
      expect.objectContaining({
        entity: 'customer',
        recordId: '7654321',
        kind: 'association',
        related: [{ entity: 'contact', recordId: '1246965' }],
        dedupeKey:
          'hubspot:company.associationChange:7654321:COMPANY_TO_CONTACT>1246965:removed:1715100000000',
      }),
    ]);
  });

  it('reads the generic object.* form by objectTypeId (0-2 company, 0-1 contact) and ignores other objects', () => {
    const delivery = parse(fixtures.generic.body, 1160452)._unsafeUnwrap();
    expect(delivery.ignored).toBe(1);
    expect(
      delivery.events.map(({ entity, recordId, kind, ownEcho }) => ({ entity, recordId, kind, ownEcho })),
    ).toEqual([
      { entity: 'customer', recordId: '9001', kind: 'created', ownEcho: false },
      { entity: 'contact', recordId: '9002', kind: 'changed', ownEcho: true },
    ]);
    const association = {
      subscriptionType: 'object.associationChange',
      fromObjectTypeId: '0-1',
      toObjectTypeId: '0-2',
      fromObjectId: 5,
      toObjectId: 6,
      associationRemoved: false,
      occurredAt: 1,
    };
    expect(events([association])).toEqual([
      expect.objectContaining({
        entity: 'contact',
        recordId: '5',
        related: [{ entity: 'customer', recordId: '6' }],
      }),
    ]);
  });

  it('gives a redelivery the same key (attempt and eventId aside) and another change another key', () => {
    const [first] = fixtures.propertyChangeByAnApp.body;
    const again = { ...first, attemptNumber: 4, eventId: 99 };
    const later = { ...first, occurredAt: (first?.occurredAt ?? 0) + 1 };
    const other = { ...first, propertyName: 'phone' };
    const keys = events([first, again, later, other]).map((event) => event.dedupeKey);
    expect(keys[0]).toBe(keys[1]);
    expect(new Set(keys).size).toBe(3);
  });

  it('keys an event without occurredAt by eventId, and one without either by when it arrived', () => {
    const [withEventId, withNeither] = events([
      { subscriptionType: 'company.creation', objectId: 7, eventId: 42 },
      { subscriptionType: 'company.creation', objectId: 7 },
    ]);
    expect(withEventId).toMatchObject({
      dedupeKey: 'hubspot:company.creation:7::event-42',
      occurredAt: null,
    });
    expect(withNeither?.dedupeKey).toBe(`hubspot:company.creation:7::received-${receivedAt}-1`);
  });

  it('takes an empty delivery, and ignores kinds it does not sync', () => {
    expect(parse([])._unsafeUnwrap()).toEqual({ events: [], ignored: 0, otherPortals: new Map() });
    expect(parse([{ subscriptionType: 'deal.creation', objectId: 1 }])._unsafeUnwrap()).toEqual({
      events: [],
      ignored: 1,
      otherPortals: new Map(),
    });
    expect(
      parse([{ subscriptionType: 'contact.privacyDeletion', objectId: 3 }])._unsafeUnwrap().events,
    ).toEqual([expect.objectContaining({ kind: 'deleted', recordId: '3' })]);
  });

  it('refuses what is not a batch of events, naming the event and the field', () => {
    expect(parse('not json')._unsafeUnwrapErr()).toMatch(/not JSON/u);
    expect(parse({ objectId: 1 })._unsafeUnwrapErr()).toMatch(/the body: /u);
    expect(parse([{ subscriptionType: 'contact.creation', objectId: 'abc' }])._unsafeUnwrapErr()).toMatch(
      /event 0\.objectId/u,
    );
    expect(parse([{ objectId: 1 }])._unsafeUnwrapErr()).toMatch(/event 0: subscriptionType is missing/u);
    expect(parse([{ subscriptionType: 'contact.creation' }])._unsafeUnwrapErr()).toMatch(
      /objectId is missing/u,
    );
    expect(
      parse([
        {
          subscriptionType: 'contact.associationChange',
          associationType: 'CONTACT_TO_COMPANY',
          fromObjectId: 1,
        },
      ])._unsafeUnwrapErr(),
    ).toMatch(/without toObjectId/u);
    expect(
      parse([{ subscriptionType: 'contact.creation', objectId: 1, occurredAt: 'today' }])._unsafeUnwrapErr(),
    ).toMatch(/occurredAt/u);
  });
});
