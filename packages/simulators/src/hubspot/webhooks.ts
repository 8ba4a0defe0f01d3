import { createHmac } from 'node:crypto';
import { modifiedProperty, type ObjectType } from './properties.js';
import type { SourceType } from './store.js';

export interface HubSpotWebhookTarget {
  /** The full URL HubSpot calls (signed as HubSpot signs it: a few percent-encodings decoded). */
  readonly url: string;
  /** The app's client secret, the signing key of v3 signatures. */
  readonly clientSecret: string;
}

/** An association between two records that appeared or went, or whose primary label did. */
export interface AssociationChange {
  readonly fromType: ObjectType;
  readonly fromId: string;
  readonly toType: ObjectType;
  readonly toId: string;
  readonly removed: boolean;
  /** The change is to a primary association (contact ↔ its primary company). */
  readonly primary: boolean;
}

/** The app the portal's webhooks belong to: the one whose token calls the API. */
export const simulatorAppId = 7654321;
/** The HubSpot user edits on the admin surface stand for ("as a user in HubSpot"). */
const simulatorUser = 'userId:1100001';

const singular: Record<ObjectType, string> = { companies: 'company', contacts: 'contact' };

// The percent-encodings HubSpot decodes in the URI it signs (the v3 section of
// https://developers.hubspot.com/docs/api/webhooks/validating-requests).
const decodedInUri: ReadonlyArray<readonly [RegExp, string]> = [
  [/%3A/giu, ':'],
  [/%2F/giu, '/'],
  [/%3F/giu, '?'],
  [/%40/giu, '@'],
  [/%21/giu, '!'],
  [/%24/giu, '$'],
  [/%27/giu, "'"],
  [/%28/giu, '('],
  [/%29/giu, ')'],
  [/%2A/giu, '*'],
  [/%2C/giu, ','],
  [/%3B/giu, ';'],
];
const signedUri = (url: string) =>
  decodedInUri.reduce((text, [pattern, to]) => text.replace(pattern, to), url);

/**
 * Who made a change, as webhook events say it: a user in HubSpot (`CRM_UI`, `userId:…`, as in HubSpot's own
 * example, https://developers.hubspot.com/docs/api/webhooks/validating-requests) or our app through the API
 * (`INTEGRATION` and the app's id, as deliveries integrators have published show: HubSpot's docs name no values).
 */
function changeSource(source: SourceType): { changeSource: string; sourceId: string } {
  return source === 'API'
    ? { changeSource: 'INTEGRATION', sourceId: String(simulatorAppId) }
    : { changeSource: 'CRM_UI', sourceId: simulatorUser };
}

// Creations and deletions say so in `changeFlag` (HubSpot's example above: `CREATED`).
const changeFlags: Record<string, string | undefined> = { creation: 'CREATED', deletion: 'DELETED' };

/**
 * Delivers event batches like HubSpot (https://developers.hubspot.com/docs/api/webhooks): a JSON array of the events
 * one change made, signed with `X-HubSpot-Signature-v3` over `method + uri + body + timestamp`
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests), retried with backoff on failure (HubSpot
 * tries up to 10 times), `attemptNumber` counting from 0. Every target gets every event (as if subscribed to all).
 */
export function createHubSpotWebhookSender(
  targets: HubSpotWebhookTarget[],
  random: () => number,
  portalId: number,
  now: () => number = Date.now,
) {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let nextEventId = 100;
  // One subscription per event type (and per property, for property changes), as an app sets them up.
  const subscriptions = new Map<string, number>();
  const subscriptionId = (key: string) => {
    if (!subscriptions.has(key)) subscriptions.set(key, subscriptions.size + 1);
    return subscriptions.get(key) ?? 0;
  };
  const send = (target: HubSpotWebhookTarget, events: Array<Record<string, unknown>>, attempt: number) => {
    if (stopped) return;
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', target.clientSecret)
      .update(`POST${signedUri(target.url)}${body}${timestamp}`)
      .digest('base64');
    fetch(target.url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
      signal: AbortSignal.timeout(5000),
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
      })
      .catch(() => {
        if (attempt + 1 >= 10) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            send(target, events, attempt + 1);
          },
          100 * 2 ** attempt * (0.5 + random()),
        );
        timers.add(timer);
      });
  };
  /** Sends the events one change made, in one delivery, in the field order HubSpot uses. */
  const deliver = (events: ReadonlyArray<Record<string, unknown>>, source: SourceType) => {
    if (events.length === 0) return;
    const occurredAt = now();
    const full = events.map(({ subscriptionType, ...fields }) => ({
      eventId: nextEventId++,
      subscriptionId: subscriptionId(`${subscriptionType}:${fields.propertyName ?? ''}`),
      portalId,
      appId: simulatorAppId,
      occurredAt,
      subscriptionType,
      attemptNumber: 0,
      ...fields,
      ...changeSource(source),
    }));
    for (const target of targets) send(target, full, 0);
  };
  return {
    /** `creation`, `deletion`, `restore`, `merge` (its ids in `extra`), `privacyDeletion` of one record. */
    notify(
      type: ObjectType,
      event: string,
      record: { readonly id: string },
      extra: Record<string, unknown> = {},
      source: SourceType = 'API',
    ): void {
      const flag = changeFlags[event];
      deliver(
        [
          {
            subscriptionType: `${singular[type]}.${event}`,
            objectId: Number(record.id),
            ...(flag ? { changeFlag: flag } : {}),
            ...extra,
          },
        ],
        source,
      );
    },
    /** One `propertyChange` per property whose value a write changed (`""` for a cleared one); none for the modified date. */
    propertyChanges(
      type: ObjectType,
      record: { readonly id: string; readonly properties: ReadonlyMap<string, string> },
      before: ReadonlyMap<string, string>,
      source: SourceType = 'API',
    ): void {
      const names = new Set([...before.keys(), ...record.properties.keys()]);
      names.delete(modifiedProperty[type]);
      const events = [...names]
        .filter((name) => (before.get(name) ?? '') !== (record.properties.get(name) ?? ''))
        .map((name) => ({
          subscriptionType: `${singular[type]}.propertyChange`,
          objectId: Number(record.id),
          propertyName: name,
          propertyValue: record.properties.get(name) ?? '',
        }));
      deliver(events, source);
    },
    /** An association change, seen from both ends: `contact.associationChange` and `company.associationChange`. */
    associationChanged(change: AssociationChange, source: SourceType = 'API'): void {
      const side = (fromType: ObjectType, fromId: string, toType: ObjectType, toId: string) => ({
        subscriptionType: `${singular[fromType]}.associationChange`,
        associationType: `${singular[fromType]}_TO_${singular[toType]}`.toUpperCase(),
        fromObjectId: Number(fromId),
        toObjectId: Number(toId),
        associationRemoved: change.removed,
        isPrimaryAssociation: change.primary,
      });
      deliver(
        [
          side(change.fromType, change.fromId, change.toType, change.toId),
          side(change.toType, change.toId, change.fromType, change.fromId),
        ],
        source,
      );
    },
    add(target: HubSpotWebhookTarget): void {
      targets.push(target);
    },
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

export type HubSpotWebhookSender = ReturnType<typeof createHubSpotWebhookSender>;
