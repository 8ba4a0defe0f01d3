import type { Entity } from '@port-service/mapping';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { InboxEvent } from '../inbox-event.js';
import { genericAssociationFields, isOwnAppSource } from './unconfirmed.js';

const recordId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/u)]).transform(String);

/**
 * One event of a HubSpot webhook delivery, the fields the inbox uses
 * (https://developers.hubspot.com/docs/api/webhooks, "Webhook payloads"; merge and association fields:
 * https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks; the generic `object.*` form with
 * `objectTypeId`: https://developers.hubspot.com/docs/apps/legacy-apps/public-apps/create-generic-webhook-subscriptions).
 * Association events name their ends (`fromObjectId`, `toObjectId`), not always `objectId`.
 */
const eventSchema = z.object({
  subscriptionType: z.string().min(1).nullish(),
  // The docs' examples name the type `eventType`.
  eventType: z.string().min(1).nullish(),
  objectId: recordId.nullish(),
  objectTypeId: z.string().nullish(),
  eventId: recordId.nullish(),
  portalId: z.number().int().nullish(),
  occurredAt: z.number().int().nonnegative().nullish(),
  sourceId: z.union([z.string(), z.number()]).transform(String).nullish(),
  propertyName: z.string().nullish(),
  primaryObjectId: recordId.nullish(),
  mergedObjectIds: z.array(recordId).nullish(),
  newObjectId: recordId.nullish(),
  associationType: z.string().nullish(),
  fromObjectId: recordId.nullish(),
  toObjectId: recordId.nullish(),
  associationRemoved: z.boolean().nullish(),
  ...genericAssociationFields,
});
type HubSpotEvent = z.infer<typeof eventSchema>;

const deliverySchema = z.array(eventSchema);

/** What a verified delivery holds: the inbox events, and how many events were about something not synced. */
export interface HubSpotDelivery {
  readonly events: InboxEvent[];
  readonly ignored: number;
  /** Events of another HubSpot account than the bound one, by its `portalId`: never stored, never synced. */
  readonly otherPortals: ReadonlyMap<number, number>;
}

export interface HubSpotEventSettings {
  /** Our app's id: events its own API writes caused are marked `ownEcho`. `null`: none are. */
  readonly appId: number | null;
  /** When the delivery arrived (epoch ms): keys events that carry neither `occurredAt` nor `eventId`. */
  readonly receivedAt: number;
  /**
   * The account the state is bound to (`store.binding()`): an event whose `portalId` names another is set apart in
   * `otherPortals`. `null` or absent: none bound yet, nothing to compare (an event without `portalId` is kept).
   */
  readonly boundPortalId?: number | null | undefined;
}

const kinds: Record<string, InboxEvent['kind'] | undefined> = {
  creation: 'created',
  propertyChange: 'changed',
  deletion: 'deleted',
  privacyDeletion: 'deleted',
  restore: 'restored',
  merge: 'merged',
  associationChange: 'association',
};
const legacyObjects: Record<string, Entity | undefined> = { company: 'customer', contact: 'contact' };
const objectTypeIds: Record<string, Entity | undefined> = { '0-2': 'customer', '0-1': 'contact' };
const associationNames: Record<string, Entity | undefined> = { COMPANY: 'customer', CONTACT: 'contact' };

/**
 * Turns a verified delivery's raw body into inbox events: `company.*`, `contact.*` and the generic `object.*` events
 * of companies (`0-2`) and contacts (`0-1`). Events about other objects (deals, tickets…) or of other kinds are
 * counted in `ignored`. A body that is not an array of events, or an event without the ids its kind needs, is an
 * error naming the event and the field.
 */
export function hubSpotInboxEvents(
  rawBody: string,
  settings: HubSpotEventSettings,
): Result<HubSpotDelivery, string> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return err('the HubSpot delivery is not JSON: expected an array of events');
  }
  const parsed = deliverySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? `event ${issue.path.join('.')}` : 'the body'}: ${issue.message}`,
    );
    return err(`the HubSpot delivery is not an array of webhook events: ${issues.join('; ')}`);
  }
  const events: InboxEvent[] = [];
  let ignored = 0;
  const otherPortals = new Map<number, number>();
  const bound = settings.boundPortalId ?? null;
  for (const [index, event] of parsed.data.entries()) {
    const converted = toInboxEvent(event, index, settings);
    if (typeof converted === 'string') return err(`HubSpot event ${index}: ${converted}`);
    const portalId = event.portalId ?? null;
    if (bound !== null && portalId !== null && portalId !== bound)
      otherPortals.set(portalId, (otherPortals.get(portalId) ?? 0) + 1);
    else if (converted === null) ignored += 1;
    else events.push(converted);
  }
  return ok({ events, ignored, otherPortals });
}

/** The inbox event, `null` for an event about something not synced, or why the event is malformed. */
function toInboxEvent(
  event: HubSpotEvent,
  index: number,
  settings: HubSpotEventSettings,
): InboxEvent | null | string {
  const type = event.subscriptionType ?? event.eventType;
  if (type === null || type === undefined) return 'subscriptionType is missing';
  const [objectName = '', action = '', ...rest] = type.split('.');
  const kind = kinds[action];
  if (kind === undefined || rest.length > 0) return null;
  const target =
    kind === 'association'
      ? associationTarget(event, objectName)
      : kind === 'merged'
        ? mergeTarget(event, objectName)
        : plainTarget(event, objectName);
  if (target === null || typeof target === 'string') return target;
  const moment =
    event.occurredAt ??
    (event.eventId ? `event-${event.eventId}` : `received-${settings.receivedAt}-${index}`);
  return {
    system: 'hubspot',
    dedupeKey: ['hubspot', type, target.recordId, target.detail, moment].join(':'),
    entity: target.entity,
    recordId: target.recordId,
    kind,
    occurredAt:
      event.occurredAt === null || event.occurredAt === undefined
        ? null
        : new Date(event.occurredAt).toISOString(),
    ownEcho: isOwnAppSource(event.sourceId ?? null, settings.appId),
    related: target.related,
  };
}

interface Target {
  readonly entity: Entity;
  readonly recordId: string;
  /** What else tells this change from another of the same record at the same moment (property, other end). */
  readonly detail: string;
  readonly related: InboxEvent['related'];
}

function entityOf(objectName: string, objectTypeId: string | null | undefined): Entity | null {
  if (objectName === 'object') return objectTypeIds[objectTypeId ?? ''] ?? null;
  return legacyObjects[objectName] ?? null;
}

/** The record a creation, change, deletion or restore is about. */
function plainTarget(event: HubSpotEvent, objectName: string): Target | null | string {
  const entity = entityOf(objectName, event.objectTypeId);
  if (entity === null) return null;
  if (event.objectId === null || event.objectId === undefined) return 'objectId is missing';
  return { entity, recordId: event.objectId, detail: event.propertyName ?? '', related: [] };
}

/**
 * A merge's survivor and the records it absorbed. Merges now make a new record with a new id
 * (https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies): the survivor is
 * `newObjectId` where given, else the primary.
 */
function mergeTarget(event: HubSpotEvent, objectName: string): Target | null | string {
  const entity = entityOf(objectName, event.objectTypeId);
  if (entity === null) return null;
  const survivor = event.newObjectId ?? event.primaryObjectId ?? event.objectId;
  if (survivor === null || survivor === undefined)
    return 'a merge without newObjectId, primaryObjectId or objectId';
  const absorbed = [event.primaryObjectId, ...(event.mergedObjectIds ?? []), event.objectId];
  const related = [...new Set(absorbed)]
    .filter((id): id is string => typeof id === 'string' && id !== survivor)
    .map((id) => ({ entity, recordId: id }));
  return { entity, recordId: survivor, detail: related.map((other) => other.recordId).join(','), related };
}

/** An association change's two ends, from `associationType` (`CONTACT_TO_COMPANY`) or the ends' object types. */
function associationTarget(event: HubSpotEvent, objectName: string): Target | null | string {
  const named = /^([A-Z]+)_TO_([A-Z]+)/u.exec(event.associationType ?? '');
  const from = named
    ? (associationNames[named[1] ?? ''] ?? null)
    : entityOf(objectName, event.fromObjectTypeId ?? event.objectTypeId);
  const to = named ? (associationNames[named[2] ?? ''] ?? null) : entityOf('object', event.toObjectTypeId);
  if (from === null || to === null) return null;
  const fromId = event.fromObjectId ?? event.objectId;
  if (fromId === null || fromId === undefined)
    return 'an association change without fromObjectId or objectId';
  if (event.toObjectId === null || event.toObjectId === undefined)
    return 'an association change without toObjectId';
  const state = event.associationRemoved === true ? 'removed' : 'added';
  return {
    entity: from,
    recordId: fromId,
    detail: `${event.associationType ?? ''}>${event.toObjectId}:${state}`,
    related: [{ entity: to, recordId: event.toObjectId }],
  };
}
