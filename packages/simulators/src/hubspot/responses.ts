import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import type { ObjectType } from './properties.js';
import type { HubSpotRecord, HubSpotStore } from './store.js';

/** HubSpot's error body (https://developers.hubspot.com/docs/api-reference/error-handling). */
export function sendError(
  response: ServerResponse,
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(
    response,
    status,
    { status: 'error', message, correlationId: randomUUID(), category, ...extra },
    headers,
  );
}

const defaults: Record<ObjectType, string[]> = {
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
};

/**
 * A record as the API returns it: requested properties only, unknown ones ignored. An empty property is left out:
 * HubSpot's guides disagree (`null` in
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/guide, omitted in
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/using-object-apis; which holds is UNCONFIRMED), and
 * the official OpenAPI document types every value as a string, so the simulator follows the document.
 */
export function serialize(
  record: HubSpotRecord,
  requested: readonly string[] | null,
  known: ReadonlySet<string>,
  extra: Record<string, unknown> = {},
) {
  const names =
    requested && requested.length > 0 ? requested.filter((name) => known.has(name)) : defaults[record.type];
  return {
    id: record.id,
    properties: Object.fromEntries(
      names.flatMap((name) => {
        const value = record.properties.get(name);
        return value === undefined ? [] : [[name, value]];
      }),
    ),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
    ...(record.archivedAt !== null ? { archivedAt: new Date(record.archivedAt).toISOString() } : {}),
    ...extra,
  };
}

/**
 * `propertiesWithHistory` for the names asked (unknown ones, and ones never set, left out), each newest first as
 * the OpenAPI document's `ValueWithTimestamp`; nothing when none were asked.
 */
export function propertiesWithHistory(
  record: HubSpotRecord,
  requested: readonly string[] | null,
  known: ReadonlySet<string>,
): {
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: string; sourceType: string }>>;
} {
  if (!requested || requested.length === 0) return {};
  const entries = requested.flatMap((name) => {
    const changes = known.has(name) ? record.history.get(name) : undefined;
    if (!changes || changes.length === 0) return [];
    return [
      [
        name,
        changes.map((change) => ({
          value: change.value,
          timestamp: new Date(change.timestamp).toISOString(),
          sourceType: change.sourceType,
        })),
      ] as const,
    ];
  });
  return { propertiesWithHistory: Object.fromEntries(entries) };
}

const singular: Record<ObjectType, string> = { companies: 'company', contacts: 'contact' };
const objectTypeNames: Record<string, ObjectType> = {
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
};

/**
 * The name v3-style answers give an association type (`associations.{type}.results[].type`): for contacts and
 * companies `contact_to_company` for the primary label and `contact_to_company_unlabeled` for the unlabelled type,
 * one entry per label (as HubSpot answers since association labels came).
 */
function associationTypeName(from: ObjectType, to: ObjectType, typeId: number): string {
  const name = `${singular[from]}_to_${singular[to]}`;
  return typeId === 279 || typeId === 280 ? `${name}_unlabeled` : name;
}

/**
 * `associations` of a single read or a list (`?associations=companies`, comma-separated or repeated; unknown types
 * ignored, types without associations left out): the documents' `SimplePublicObjectWithAssociations`. Nothing when
 * none were asked or found.
 */
export function recordAssociations(
  store: HubSpotStore,
  record: HubSpotRecord,
  asked: readonly string[],
): { associations?: Record<string, { results: Array<{ id: string; type: string }> }> } {
  const wanted = new Set(asked.flatMap((name) => objectTypeNames[name.trim().toLowerCase()] ?? []));
  const found = [...wanted].flatMap((toType) => {
    const results = store.associationsOf(record.type, record.id, toType).flatMap((item) =>
      item.typeIds.map((typeId) => ({
        id: item.toId,
        type: associationTypeName(record.type, toType, typeId),
      })),
    );
    return results.length === 0 ? [] : [[toType, { results }] as const];
  });
  return found.length === 0 ? {} : { associations: Object.fromEntries(found) };
}

/** The envelope of every batch answer. */
export function batchEnvelope(results: unknown[], errors: unknown[] = []) {
  const now = new Date().toISOString();
  return {
    status: 'COMPLETE',
    results,
    startedAt: now,
    completedAt: now,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  };
}

/** One error of a batch answer (the documents' `StandardError`), with the refused values' details if any. */
export function batchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  errors: ReadonlyArray<{ message: string; code?: string; context?: Record<string, string[]> }> = [],
) {
  return { status: 'error', category, message, context, errors: [...errors], links: {} };
}
