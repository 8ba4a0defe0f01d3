import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import { type ObjectType, objectTypeId } from './properties.js';
import { batchEnvelope, sendError } from './responses.js';
import type { HubSpotStore } from './store.js';
import type { AssociationChange } from './webhooks.js';

type Json = Record<string, unknown>;
const types = new Set<ObjectType>(['companies', 'contacts']);
const labels: Record<number, string | undefined> = { 1: 'Primary', 2: 'Primary' };
/** The HubSpot-defined types between contacts and companies: the primary label, then the unlabelled type. */
const definedTypes: Partial<Record<`${ObjectType}/${ObjectType}`, readonly number[]>> = {
  'contacts/companies': [1, 279],
  'companies/contacts': [2, 280],
};
const unlabelled = (from: ObjectType) => (from === 'contacts' ? 279 : 280);

function associationTypes(typeIds: readonly number[]) {
  return typeIds.map((typeId) => ({
    category: 'HUBSPOT_DEFINED',
    typeId,
    ...(labels[typeId] ? { label: labels[typeId] } : {}),
  }));
}

/** Where an association call was made: which API version, and which of its two path layouts. */
export interface AssociationRoute {
  /** 2026-09 rather than v4. */
  readonly dateBased: boolean;
  /** `associations`: `…/associations/{version}/{from}/{to}/…`; `objects`: `…/objects/{version}/{type}/{id}/associations/…`. */
  readonly area: 'associations' | 'objects';
  /** The path's segments after the API and version. */
  readonly parts: readonly string[];
}

/** A pair's ids as the documents' `LabelsBetweenObjectPair` has them: strings, in v4 and 2026-09 alike. */
function labelsBetween(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeIds: number[]) {
  return {
    fromObjectTypeId: objectTypeId[from],
    fromObjectId: fromId,
    toObjectTypeId: objectTypeId[to],
    toObjectId: toId,
    labels: typeIds.map((typeId) => labels[typeId] ?? ''),
  };
}

/** Hears what a write changed between two records (for webhook events). */
export type AssociationListener = (change: AssociationChange) => void;

const isPrimary = (typeIds: readonly number[]) => typeIds.includes(1) || typeIds.includes(2);

/**
 * Runs a write on one pair of records and tells the listener what it changed between them: an association that
 * appeared or went, or a primary label that did. Nothing when the write changed nothing.
 */
export function trackAssociation(
  store: HubSpotStore,
  listener: AssociationListener | undefined,
  pair: { fromType: ObjectType; fromId: string; toType: ObjectType; toId: string },
  write: () => void,
): void {
  const between = () =>
    store.associationsOf(pair.fromType, pair.fromId, pair.toType).find((item) => item.toId === pair.toId)
      ?.typeIds ?? [];
  const before = between();
  write();
  const after = between();
  const change =
    before.length === 0 && after.length > 0
      ? { removed: false, primary: isPrimary(after) }
      : before.length > 0 && after.length === 0
        ? { removed: true, primary: isPrimary(before) }
        : isPrimary(before) !== isPrimary(after)
          ? { removed: isPrimary(before), primary: true }
          : null;
  if (change !== null) listener?.({ ...pair, ...change });
}

/**
 * Associations v4 (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide)
 * and 2026-09 (https://developers.hubspot.com/docs/api-reference/latest/overview). 2026-09 answers batch create,
 * archive and label archive 200 with a batch body (v4: 201, 204, 204), and has no GET of one record's associations.
 */
export function handleAssociations(
  store: HubSpotStore,
  route: AssociationRoute,
  method: string,
  rawBody: unknown,
  response: ServerResponse,
  listener?: AssociationListener,
) {
  const { parts, dateBased } = route;
  const tracked = (
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    toId: string,
    write: () => void,
  ) => trackAssociation(store, listener, { fromType, fromId, toType, toId }, write);
  const body = (typeof rawBody === 'object' && rawBody !== null ? rawBody : {}) as Json;
  // …/associations/{version}/{from}/{to}/labels: the HubSpot-defined types between the pair.
  if (route.area === 'associations' && parts[2] === 'labels' && parts.length === 3 && method === 'GET') {
    const from = parts[0] as ObjectType;
    const to = parts[1] as ObjectType;
    if (!types.has(from) || !types.has(to))
      return sendError(response, 400, 'VALIDATION_ERROR', 'Unknown object type');
    return sendJson(response, 200, { results: associationTypes(definedTypes[`${from}/${to}`] ?? []) });
  }
  // …/associations/{version}/{from}/{to}/batch/{operation...}
  if (route.area === 'associations' && parts[2] === 'batch' && method === 'POST') {
    const from = parts[0] as ObjectType;
    const to = parts[1] as ObjectType;
    if (!types.has(from) || !types.has(to))
      return sendError(response, 400, 'VALIDATION_ERROR', 'Unknown object type');
    const operation = parts.slice(3).join('/');
    const inputs = Array.isArray(body.inputs) ? (body.inputs as Json[]) : [];
    // 2026-09 answers the archives 200 with an empty batch body (`BatchResponseVoid`), v4 204.
    const archived = () =>
      dateBased ? sendJson(response, 200, batchEnvelope([])) : void response.writeHead(204).end();
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
            : [unlabelled(from)];
        tracked(from, fromId, to, toId, () => {
          for (const typeId of typeIds) store.associate(from, fromId, to, toId, typeId);
        });
        return operation === 'create'
          ? labelsBetween(from, fromId, to, toId, typeIds)
          : {
              from: { id: fromId },
              to: { id: toId },
              associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeIds[0] },
            };
      });
      return sendJson(response, operation === 'create' && !dateBased ? 201 : 200, batchEnvelope(results));
    }
    if (operation === 'labels/archive') {
      // Removes only the given labels; removing the unlabelled type removes every label between the pair.
      for (const input of inputs) {
        const fromId = String((input.from as Json | undefined)?.id ?? '');
        const toId = String((input.to as Json | undefined)?.id ?? '');
        tracked(from, fromId, to, toId, () => {
          for (const spec of (input.types as Json[] | undefined) ?? [])
            store.removeAssociationType(from, fromId, to, toId, Number(spec.associationTypeId));
        });
      }
      return archived();
    }
    if (operation === 'archive') {
      for (const input of inputs) {
        const fromId = String((input.from as Json | undefined)?.id ?? '');
        for (const target of (input.to as Json[] | undefined) ?? [])
          tracked(from, fromId, to, String(target.id), () =>
            store.dissociate(from, fromId, to, String(target.id)),
          );
      }
      return archived();
    }
  }
  // …/objects/{version}/{type}/{id}/associations/{toType}[/...]
  if (route.area === 'objects' && parts[2] === 'associations') {
    const from = parts[0] as ObjectType;
    const id = parts[1] ?? '';
    const defaulted = parts[3] === 'default';
    const to = (defaulted ? parts[4] : parts[3]) as ObjectType;
    const toId = (defaulted ? parts[5] : parts[4]) ?? '';
    if (!types.has(from) || !types.has(to))
      return sendError(response, 400, 'VALIDATION_ERROR', 'Unknown object type');
    if (defaulted && parts.length === 6 && method === 'PUT') {
      tracked(from, id, to, toId, () => store.associate(from, id, to, toId, unlabelled(from)));
      return sendJson(
        response,
        200,
        batchEnvelope([
          {
            from: { id },
            to: { id: toId },
            associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: unlabelled(from) },
          },
        ]),
      );
    }
    // PUT with a body of `[{associationCategory, associationTypeId}]`: these labels (201).
    if (!defaulted && parts.length === 5 && method === 'PUT') {
      const specs = Array.isArray(rawBody) ? (rawBody as Json[]) : [];
      const typeIds = specs.map((spec) => Number(spec.associationTypeId));
      if (typeIds.length === 0 || typeIds.some((typeId) => !Number.isInteger(typeId)))
        return sendError(
          response,
          400,
          'VALIDATION_ERROR',
          'Expected [{associationCategory, associationTypeId}]',
        );
      tracked(from, id, to, toId, () => {
        for (const typeId of typeIds) store.associate(from, id, to, toId, typeId);
      });
      return sendJson(response, 201, labelsBetween(from, id, to, toId, typeIds));
    }
    // DELETE: every label between the pair.
    if (!defaulted && parts.length === 5 && method === 'DELETE') {
      tracked(from, id, to, toId, () => store.dissociate(from, id, to, toId));
      response.writeHead(204).end();
      return;
    }
    // One record's associations: v4 only (2026-09 reads them with a batch read).
    if (!dateBased && method === 'GET' && parts.length === 4) {
      const list = store.associationsOf(from, id, to);
      return sendJson(response, 200, {
        results: list.map((item) => ({
          toObjectId: item.toId,
          associationTypes: associationTypes(item.typeIds),
        })),
      });
    }
  }
  const prefix = dateBased ? `/crm/${route.area}/2026-09` : `/crm/v4/${route.area}`;
  sendError(response, 404, 'OBJECT_NOT_FOUND', `No route for ${method} ${prefix}/${parts.join('/')}`);
}
