import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import { type ObjectType, objectTypeId } from './properties.js';
import { batchEnvelope, sendError } from './responses.js';
import type { HubSpotStore } from './store.js';

type Json = Record<string, unknown>;
const types = new Set<ObjectType>(['companies', 'contacts']);
const labels: Record<number, string | undefined> = { 1: 'Primary', 2: 'Primary' };

function associationTypes(typeIds: readonly number[]) {
  return typeIds.map((typeId) => ({
    category: 'HUBSPOT_DEFINED',
    typeId,
    ...(labels[typeId] ? { label: labels[typeId] } : {}),
  }));
}

/** Associations v4 (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide). */
export function handleAssociations(
  store: HubSpotStore,
  parts: string[],
  method: string,
  body: Json,
  response: ServerResponse,
) {
  // /crm/v4/associations/{from}/{to}/batch/{operation...}
  if (parts[0] === 'associations' && parts[3] === 'batch' && method === 'POST') {
    const from = parts[1] as ObjectType;
    const to = parts[2] as ObjectType;
    if (!types.has(from) || !types.has(to))
      return sendError(response, 400, 'VALIDATION_ERROR', 'Unknown object type');
    const operation = parts.slice(4).join('/');
    const inputs = Array.isArray(body.inputs) ? (body.inputs as Json[]) : [];
    if (operation === 'read') {
      if (inputs.length > 1000)
        return sendError(response, 400, 'VALIDATION_ERROR', 'Batch read takes at most 1000 inputs');
      const results = inputs.flatMap((input) => {
        const id = String(input.id ?? '');
        const list = store.associationsOf(from, id, to);
        return list.length === 0
          ? []
          : [
              {
                from: { id },
                to: list.map((item) => ({
                  toObjectId: item.toId,
                  associationTypes: associationTypes(item.typeIds),
                })),
              },
            ];
      });
      return sendJson(response, 200, batchEnvelope(results));
    }
    if (inputs.length > 2000)
      return sendError(response, 400, 'VALIDATION_ERROR', 'Batch create takes at most 2000 inputs');
    if (operation === 'associate/default' || operation === 'create') {
      const results = inputs.map((input) => {
        const fromId = String((input.from as Json | undefined)?.id ?? '');
        const toId = String((input.to as Json | undefined)?.id ?? '');
        const typeIds =
          operation === 'create'
            ? ((input.types as Json[] | undefined) ?? []).map((spec) => Number(spec.associationTypeId))
            : [from === 'contacts' ? 279 : 280];
        for (const typeId of typeIds) store.associate(from, fromId, to, toId, typeId);
        return operation === 'create'
          ? {
              fromObjectTypeId: objectTypeId[from],
              fromObjectId: Number(fromId),
              toObjectTypeId: objectTypeId[to],
              toObjectId: Number(toId),
              labels: typeIds.map((typeId) => labels[typeId] ?? ''),
            }
          : {
              from: { id: fromId },
              to: { id: toId },
              associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeIds[0] },
            };
      });
      return sendJson(response, operation === 'create' ? 201 : 200, batchEnvelope(results));
    }
    if (operation === 'labels/archive') {
      // Removes only the given labels; removing the unlabelled type removes every label between the pair.
      for (const input of inputs) {
        const fromId = String((input.from as Json | undefined)?.id ?? '');
        const toId = String((input.to as Json | undefined)?.id ?? '');
        for (const spec of (input.types as Json[] | undefined) ?? [])
          store.removeAssociationType(from, fromId, to, toId, Number(spec.associationTypeId));
      }
      response.writeHead(204).end();
      return;
    }
    if (operation === 'archive') {
      for (const input of inputs) {
        const fromId = String((input.from as Json | undefined)?.id ?? '');
        for (const target of (input.to as Json[] | undefined) ?? []) {
          store.associations.get(`${from}:${fromId}`)?.delete(`${to}:${String(target.id)}`);
          store.associations.get(`${to}:${String(target.id)}`)?.delete(`${from}:${fromId}`);
        }
      }
      response.writeHead(204).end();
      return;
    }
  }
  // /crm/v4/objects/{type}/{id}/associations/{toType}[/...]
  if (parts[0] === 'objects' && parts[3] === 'associations') {
    const from = parts[1] as ObjectType;
    const id = parts[2] ?? '';
    if (parts[4] === 'default' && method === 'PUT') {
      const to = parts[5] as ObjectType;
      store.associate(from, id, to, parts[6] ?? '', from === 'contacts' ? 279 : 280);
      return sendJson(
        response,
        200,
        batchEnvelope([
          {
            from: { id },
            to: { id: parts[6] },
            associationSpec: {
              associationCategory: 'HUBSPOT_DEFINED',
              associationTypeId: from === 'contacts' ? 279 : 280,
            },
          },
        ]),
      );
    }
    if (method === 'GET' && parts.length === 5) {
      const list = store.associationsOf(from, id, parts[4] as ObjectType);
      return sendJson(response, 200, {
        results: list.map((item) => ({
          toObjectId: item.toId,
          associationTypes: associationTypes(item.typeIds),
        })),
      });
    }
  }
  sendError(response, 404, 'OBJECT_NOT_FOUND', `No route for ${method} /crm/v4/${parts.join('/')}`);
}
