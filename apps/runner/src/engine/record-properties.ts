import type { AssociatedRecord, HubSpotObject } from '@port-service/hubspot';
import {
  companyPropertyNames,
  type HubSpotContactInput,
  type HubSpotObjectInput,
  type SyncPolicy,
} from '@port-service/mapping';

/** The HubSpot company properties a cycle reads: the synced fields, the ERP numbers, merges, the create filter. */
export function companyProperties(policy: SyncPolicy): string[] {
  const names = policy.hubspotProperties;
  const filter = policy.customers.createInErp;
  return [
    ...new Set([
      ...Object.values(companyPropertyNames(names)),
      names.erpCustomerNo,
      names.erpActorNo,
      'hs_merged_object_ids',
      'hs_lastmodifieddate',
      ...(typeof filter === 'object' ? [filter.property] : []),
    ]),
  ];
}

/** The HubSpot contact properties a cycle reads. */
export function contactProperties(policy: SyncPolicy): string[] {
  return [
    'firstname',
    'lastname',
    'email',
    'phone',
    'mobilephone',
    policy.hubspotProperties.erpActorNo,
    'hs_merged_object_ids',
    'lastmodifieddate',
  ];
}

/** A client record as the planner's input (the planner reads `updatedAt` for newest-wins). */
export function toObjectInput(record: HubSpotObject): HubSpotObjectInput {
  const input = {
    id: record.id,
    properties: record.properties,
    updatedAt: record.updatedAt,
    archived: false,
  };
  if (!record.propertiesWithHistory) return input;
  const propertyHistory = Object.fromEntries(
    Object.entries(record.propertiesWithHistory).map(([name, values]) => [
      name,
      values.map((entry) => entry.value),
    ]),
  );
  return { ...input, propertyHistory };
}

/** A linked HubSpot record that HubSpot no longer returns: archived (or deleted) there. */
export function goneObjectInput(id: string): HubSpotObjectInput {
  return { id, properties: {}, archived: true };
}

/** A contact with its companies as the planner reads them: every associated company, and the primary one (type 1). */
export function withAssociatedCompanies(
  contact: HubSpotObjectInput,
  companies: readonly AssociatedRecord[],
): HubSpotContactInput {
  return {
    ...contact,
    companyIds: companies.map((company) => company.toObjectId),
    primaryCompanyId: companies.find((company) => company.typeIds.includes(1))?.toObjectId ?? null,
  };
}
