import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { HubSpotError } from '../errors.js';

const base = z.object({
  objectId: z.union([z.number(), z.string()]).transform(String),
  eventId: z.union([z.number(), z.string()]).transform(String).nullish(),
  subscriptionId: z.number().nullish(),
  portalId: z.number().nullish(),
  appId: z.number().nullish(),
  occurredAt: z.number(),
  attemptNumber: z.number().nullish(),
  changeSource: z.string().nullish(),
  subscriptionType: z.string().nullish(),
  eventType: z.string().nullish(),
  propertyName: z.string().nullish(),
  propertyValue: z.string().nullish(),
  primaryObjectId: z.union([z.number(), z.string()]).transform(String).nullish(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()]).transform(String)).nullish(),
  newObjectId: z.union([z.number(), z.string()]).transform(String).nullish(),
  associationType: z.string().nullish(),
  fromObjectId: z.union([z.number(), z.string()]).transform(String).nullish(),
  toObjectId: z.union([z.number(), z.string()]).transform(String).nullish(),
  associationRemoved: z.boolean().nullish(),
  isPrimaryAssociation: z.boolean().nullish(),
});

export type WebhookEventType =
  | 'creation'
  | 'deletion'
  | 'propertyChange'
  | 'merge'
  | 'restore'
  | 'associationChange'
  | 'privacyDeletion';

/** One event of a webhook batch, typed by what happened. https://developers.hubspot.com/docs/api/webhooks */
export type HubSpotWebhookEvent = {
  readonly objectType: 'company' | 'contact' | string;
  readonly type: WebhookEventType | string;
  readonly objectId: string;
  readonly occurredAt: number;
  /** Not guaranteed unique by HubSpot: deduplicate on content, not on this alone. */
  readonly eventId: string | null;
  readonly attemptNumber: number;
  readonly propertyName: string | null;
  readonly propertyValue: string | null;
  readonly merge: {
    readonly primaryObjectId: string;
    readonly mergedObjectIds: readonly string[];
    readonly newObjectId: string | null;
  } | null;
  readonly association: {
    readonly type: string;
    readonly fromObjectId: string;
    readonly toObjectId: string;
    readonly removed: boolean;
    readonly primary: boolean;
  } | null;
};

/**
 * Parses a webhook POST body: an array of fewer than 100 events, delivered at least once and unordered (sort by
 * `occurredAt`). Both `subscriptionType` and the docs' `eventType` key are read.
 */
export function parseWebhookEvents(body: unknown): Result<HubSpotWebhookEvent[], HubSpotError> {
  const parsed = z.array(base).safeParse(body);
  if (!parsed.success) {
    return err({
      kind: 'validation',
      message: 'not a HubSpot webhook event batch',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      retryable: false,
    });
  }
  return ok(
    parsed.data.map((event) => {
      const [objectType = 'unknown', type = 'unknown'] = (
        event.subscriptionType ??
        event.eventType ??
        'unknown.unknown'
      ).split('.');
      return {
        objectType,
        type,
        objectId: event.objectId,
        occurredAt: event.occurredAt,
        eventId: event.eventId ?? null,
        attemptNumber: event.attemptNumber ?? 0,
        propertyName: event.propertyName ?? null,
        propertyValue: event.propertyValue ?? null,
        merge:
          event.primaryObjectId != null
            ? {
                primaryObjectId: event.primaryObjectId,
                mergedObjectIds: event.mergedObjectIds ?? [],
                newObjectId: event.newObjectId ?? null,
              }
            : null,
        association:
          event.associationType != null && event.fromObjectId != null && event.toObjectId != null
            ? {
                type: event.associationType,
                fromObjectId: event.fromObjectId,
                toObjectId: event.toObjectId,
                removed: event.associationRemoved ?? false,
                primary: event.isPrimaryAssociation ?? false,
              }
            : null,
      };
    }),
  );
}
