import { z } from 'zod';

/**
 * Webhook facts no public documentation confirms, kept in one place so they are easy to find and to change.
 */

/**
 * UNCONFIRMED: how a HubSpot event caused by an app's own API write names that app. HubSpot's webhook docs
 * (https://developers.hubspot.com/docs/api/webhooks) list `changeSource` and `sourceId` without their values; its own
 * example of a change made in HubSpot carries `changeSource: "CRM_UI"`, `sourceId: "userId:76023669"`
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests). Deliveries integrators have published for
 * writes through an app's token carry `changeSource: "INTEGRATION"` and `sourceId` = that app's id as a string
 * (e.g. https://github.com/diegotrevisancc/hubspot-demo-integration), as the property history does for the same
 * writes (`source-type: INTEGRATION`, `source-id: <app id>`, https://github.com/tinashaw/doit-sfdc-hubspot-papi).
 * Only `sourceId` is compared: the `changeSource` label for an app's write is the less certain of the two.
 */
export function isOwnAppSource(sourceId: string | null, appId: number | null): boolean {
  return appId !== null && sourceId !== null && sourceId.trim() === String(appId);
}

/**
 * UNCONFIRMED: the object types of the generic `object.associationChange` event. HubSpot's changelog says the other
 * generic events carry `objectTypeId` (https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions);
 * for association events these two names are assumed. `associationType` (`CONTACT_TO_COMPANY`) is read first when
 * it is there.
 */
export const genericAssociationFields = {
  fromObjectTypeId: z.string().nullish(),
  toObjectTypeId: z.string().nullish(),
};

/**
 * UNCONFIRMED: the name of the `Associate` key in a Business NXT `TableChange`'s `primaryKeys`. The docs say keys
 * are named as in GraphQL (`associateNo`, https://docs.vismasoftware.no/businessnxtapi/webhooks); the SQL name
 * `ActNo` is accepted too, in case the table's database column name is sent.
 */
export const associateKeyNames = ['associateNo', 'actNo'] as const;
