import { modifiedProperty, type ObjectType } from './properties.js';
import type { SourceType } from './store.js';
import { createBatchedDelivery, type HubSpotWebhookTarget } from './webhook-batches.js';

export type { HubSpotWebhookTarget } from './webhook-batches.js';

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

/**
 * Who made a change, as webhook events say it: a user in HubSpot (`CRM_UI`, `userId:…`, as in HubSpot's own
 * example, https://developers.hubspot.com/docs/api/webhooks/validating-requests) or our app through the API
 * (`INTEGRATION` and the app's id, as deliveries integrators have published show: HubSpot's docs name no values).
 */
function changeSource(source: SourceType): { changeSource: string; sourceId?: string } {
  if (source === 'API') return { changeSource: 'INTEGRATION', sourceId: String(simulatorAppId) };
  // An import's events say `IMPORT` and, in HubSpot's example (https://developers.hubspot.com/docs/api/webhooks,
  // "Webhook payloads"), no `sourceId`.
  if (source === 'IMPORT') return { changeSource: 'IMPORT' };
  return { changeSource: 'CRM_UI', sourceId: simulatorUser };
}

// Creations and deletions say so in `changeFlag` (HubSpot's example above: `CREATED`).
const changeFlags: Record<string, string | undefined> = { creation: 'CREATED', deletion: 'DELETED' };

/**
 * Delivers events like HubSpot (https://developers.hubspot.com/docs/api/webhooks): JSON arrays of events, batched,
 * signed and retried per target as webhook-batches.ts describes. Every target gets every event (as if subscribed to
 * all).
 */
export function createHubSpotWebhookSender(
  targets: HubSpotWebhookTarget[],
  random: () => number,
  portalId: number,
  now: () => number = Date.now,
) {
  const deliveries = targets.map((target) => createBatchedDelivery(target, random));
  let nextEventId = 100;
  // One subscription per event type (and per property, for property changes), as an app sets them up.
  const subscriptions = new Map<string, number>();
  const subscriptionId = (key: string) => {
    if (!subscriptions.has(key)) subscriptions.set(key, subscriptions.size + 1);
    return subscriptions.get(key) ?? 0;
  };
  /** Queues the events one change made, in the field order HubSpot uses. */
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
    for (const delivery of deliveries) delivery.enqueue(full);
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
      deliveries.push(createBatchedDelivery(target, random));
    },
    stop(): void {
      for (const delivery of deliveries) delivery.stop();
    },
  };
}

export type HubSpotWebhookSender = ReturnType<typeof createHubSpotWebhookSender>;
