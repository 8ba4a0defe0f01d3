import type { Entity } from '@port-service/mapping';

/**
 * Where a HubSpot record opens in HubSpot's web app: `https://app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{id}`.
 * The object type ids are documented (companies `0-2`, contacts `0-1`:
 * https://developers.hubspot.com/docs/guides/crm/using-object-apis); the web app's URL pattern itself is UNCONFIRMED:
 * no public documentation states it, it is the address HubSpot's own record pages show. Kept here, in one place.
 */
export function hubSpotRecordUrl(portalId: number, entity: Entity, id: string): string {
  const objectTypeId = entity === 'customer' ? '0-2' : '0-1';
  return `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${encodeURIComponent(id)}`;
}
