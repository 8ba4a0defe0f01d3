import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import type { ObjectType, PropertyDefinition, PropertyOption } from './properties.js';
import { batchEnvelope, batchError, sendError } from './responses.js';
import type { HubSpotStore } from './store.js';

type Json = Record<string, unknown>;
const maxUnique = 10;

function show(property: PropertyDefinition) {
  return {
    name: property.name,
    label: property.label,
    type: property.type,
    fieldType: property.fieldType,
    groupName: property.groupName,
    description: property.description,
    options: property.options ?? [],
    hasUniqueValue: property.hasUniqueValue,
    hubspotDefined: property.hubspotDefined,
    calculated: false,
    hidden: false,
    formField: !property.readOnly,
    displayOrder: -1,
    createdAt: property.createdAt,
    updatedAt: property.updatedAt,
    archived: false,
    modificationMetadata: {
      archivable: !property.hubspotDefined,
      readOnlyDefinition: property.hubspotDefined,
      readOnlyValue: property.readOnly,
    },
  };
}

/** An enumeration's options as given on create (`[{label, value, displayOrder?, hidden?}]`). */
function options(input: unknown): PropertyOption[] | undefined {
  if (!Array.isArray(input)) return undefined;
  return (input as Json[]).map((option, index) => ({
    label: String(option.label ?? option.value ?? ''),
    value: String(option.value ?? ''),
    displayOrder: Number(option.displayOrder ?? index),
    hidden: option.hidden === true,
  }));
}

/**
 * The properties API, v3 (https://developers.hubspot.com/docs/api-reference/legacy/crm/properties/guide) and
 * 2026-09 (`dateBased`: batch create answers 200, not 201, as its document has it).
 */
export function handleProperties(
  store: HubSpotStore,
  type: ObjectType,
  rest: readonly string[],
  method: string,
  body: Json,
  response: ServerResponse,
  now: () => number,
  dateBased = false,
) {
  const properties = store.properties[type];
  const groups = store.groups[type];
  const create = (input: Json): PropertyDefinition | string => {
    const name = String(input.name ?? '');
    if (!/^[a-z][a-z0-9_]*$/u.test(name)) return `Property name "${name}" is not valid`;
    if (properties.has(name)) return `A property named "${name}" already exists`;
    if (!groups.has(String(input.groupName ?? '')))
      return `Property group "${String(input.groupName)}" does not exist`;
    const unique = input.hasUniqueValue === true;
    if (
      unique &&
      [...properties.values()].filter((property) => property.hasUniqueValue && !property.hubspotDefined)
        .length >= maxUnique
    ) {
      return `At most ${maxUnique} unique value properties per object`;
    }
    const stamp = new Date(now()).toISOString();
    const choices = options(input.options);
    const definition: PropertyDefinition = {
      name,
      label: String(input.label ?? name),
      type: (input.type as PropertyDefinition['type']) ?? 'string',
      fieldType: String(input.fieldType ?? 'text'),
      groupName: String(input.groupName),
      description: String(input.description ?? ''),
      hasUniqueValue: unique,
      ...(choices ? { options: choices } : {}),
      hubspotDefined: false,
      readOnly: false,
      createdAt: stamp,
      updatedAt: stamp,
    };
    properties.set(name, definition);
    return definition;
  };
  const [first, second] = rest;
  if (first === undefined && method === 'GET')
    return sendJson(response, 200, { results: [...properties.values()].map(show) });
  if (first === undefined && method === 'POST') {
    const made = create(body);
    return typeof made === 'string'
      ? sendError(
          response,
          made.includes('already exists') ? 409 : 400,
          made.includes('already exists') ? 'CONFLICT' : 'VALIDATION_ERROR',
          made,
        )
      : sendJson(response, 201, show(made));
  }
  if (first === 'batch' && second === 'create' && method === 'POST') {
    const results = [];
    for (const input of Array.isArray(body.inputs) ? (body.inputs as Json[]) : []) {
      const made = create(input);
      if (typeof made === 'string') return sendError(response, 400, 'VALIDATION_ERROR', made);
      results.push(show(made));
    }
    return sendJson(response, dateBased ? 200 : 201, batchEnvelope(results));
  }
  // Batch read by name (unknown names as one error: 207 in v3, in the 200 body in 2026-09).
  if (first === 'batch' && second === 'read' && method === 'POST') {
    const names = (Array.isArray(body.inputs) ? (body.inputs as Json[]) : []).map((input) =>
      String(input.name ?? ''),
    );
    const found = names.flatMap((name) => {
      const property = properties.get(name);
      return property ? [show(property)] : [];
    });
    const missing = names.filter((name) => !properties.has(name));
    const errors =
      missing.length > 0
        ? [
            batchError('OBJECT_NOT_FOUND', `Properties do not exist: ${missing.join(', ')}`, {
              names: missing,
            }),
          ]
        : [];
    return sendJson(response, errors.length > 0 && !dateBased ? 207 : 200, batchEnvelope(found, errors));
  }
  // Batch archive: custom properties only (HubSpot's own cannot be archived); unknown names are skipped.
  if (first === 'batch' && second === 'archive' && method === 'POST') {
    const inputs = Array.isArray(body.inputs) ? (body.inputs as Json[]) : [];
    const fixed = inputs
      .map((input) => String(input.name ?? ''))
      .filter((name) => properties.get(name)?.hubspotDefined);
    if (fixed.length > 0)
      return sendError(
        response,
        400,
        'VALIDATION_ERROR',
        `HubSpot's own properties cannot be archived: ${fixed}`,
      );
    for (const input of inputs) properties.delete(String(input.name ?? ''));
    response.writeHead(204).end();
    return;
  }
  if (first === 'groups') {
    if (second === undefined && method === 'GET')
      return sendJson(response, 200, {
        results: [...groups.values()].map((group) => ({ ...group, archived: false })),
      });
    if (second === undefined && method === 'POST') {
      const name = String(body.name ?? '');
      if (groups.has(name))
        return sendError(response, 409, 'CONFLICT', `A property group named "${name}" already exists`);
      const group = {
        name,
        label: String(body.label ?? name),
        displayOrder: Number(body.displayOrder ?? -1),
      };
      groups.set(name, group);
      return sendJson(response, 201, { ...group, archived: false });
    }
    const group = second === undefined ? undefined : groups.get(second);
    if (method === 'GET')
      return group
        ? sendJson(response, 200, { ...group, archived: false })
        : sendError(response, 404, 'OBJECT_NOT_FOUND', `Property group ${second} does not exist`);
  }
  if (first !== undefined && second === undefined && method === 'GET') {
    const property = properties.get(first);
    return property
      ? sendJson(response, 200, show(property))
      : sendError(response, 404, 'OBJECT_NOT_FOUND', `Property ${first} does not exist`);
  }
  sendError(
    response,
    404,
    'OBJECT_NOT_FOUND',
    `No route for ${method} ${dateBased ? '/crm/properties/2026-09' : '/crm/v3/properties'}/${type}/${rest.join('/')}`,
  );
}
