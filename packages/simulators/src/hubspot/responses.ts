import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import type { ObjectType } from './properties.js';
import type { HubSpotRecord } from './store.js';

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
 * the reference notes both `null` and omission as seen (UNCONFIRMED), and the official OpenAPI document types
 * every value as a string, so the simulator follows the document.
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

export function batchError(category: string, message: string, context: Record<string, string[]>) {
  return { status: 'error', category, message, context, errors: [], links: {} };
}
