import type { ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import type { ObjectType } from './properties.js';
import {
  batchEnvelope,
  batchError,
  propertiesWithHistory,
  recordAssociations,
  sendError,
  serialize,
} from './responses.js';
import { trackAssociation } from './routes-associations.js';
import { compareBy, matchesFilter, matchesQuery, type SearchFilter, sortSpec } from './search.js';
import type { HubSpotRecord, HubSpotStore, SourceType, WriteProblem } from './store.js';
import {
  invalidValues,
  type PortalValidationRules,
  portalRuleProblems,
  type ValueProblem,
  validationFailure,
} from './validation.js';
import type { HubSpotWebhookSender } from './webhooks.js';

type Json = Record<string, unknown>;
export interface ObjectRouteContext {
  readonly store: HubSpotStore;
  readonly now: () => number;
  /** The webhook events the writes make (https://developers.hubspot.com/docs/api/webhooks). */
  readonly webhooks: Pick<HubSpotWebhookSender, 'notify' | 'propertyChanges' | 'associationChanged'>;
  /**
   * The date-based API (2026-09) rather than v3: batches answer 201/200 with `errors`/`numErrors` in the same body
   * (the documents have no 207), and the portal's validation rules apply.
   */
  readonly dateBased?: boolean | undefined;
  readonly rules?: PortalValidationRules | undefined;
}

const singular: Record<ObjectType, string> = { companies: 'Company', contacts: 'Contact' };
const batchLimit = 100;

/** Why a write is refused: HubSpot's status, category, message and `errors`. */
interface Refusal {
  readonly status: number;
  readonly category: string;
  readonly message: string;
  readonly errors: ReadonlyArray<{ message: string; code: string; context: Record<string, string[]> }>;
  /** The refused properties, for a batch error's context. */
  readonly names: readonly string[];
}

function unwritable(problem: Exclude<WriteProblem, { kind: 'unique' }>): ValueProblem {
  return problem.kind === 'read-only'
    ? { name: problem.name, code: 'READ_ONLY_VALUE', message: `Property "${problem.name}" is read-only` }
    : {
        name: problem.name,
        code: 'PROPERTY_DOESNT_EXIST',
        message: `Property "${problem.name}" does not exist`,
      };
}

/**
 * Checks a create or update (single, batch or upsert): unknown and read-only properties, values that do not fit
 * their definitions (HubSpot's `Property values were not valid: [...]`), on the date-based API the portal's
 * validation rules, then uniqueness (409).
 */
function checkWrite(
  context: ObjectRouteContext,
  type: ObjectType,
  properties: Readonly<Record<string, string>>,
  selfId: string | null,
): Refusal | null {
  const { store } = context;
  const problem = store.check(type, properties, selfId);
  const values =
    problem !== null && problem.kind !== 'unique'
      ? [unwritable(problem)]
      : [
          ...invalidValues(store.properties[type], properties),
          ...(context.dateBased
            ? portalRuleProblems(context.rules?.[type] ?? [], properties, selfId === null)
            : []),
        ];
  if (values.length > 0) {
    return {
      status: 400,
      category: 'VALIDATION_ERROR',
      ...validationFailure(values),
      names: [...new Set(values.map((value) => value.name))],
    };
  }
  if (problem?.kind === 'unique') {
    return {
      status: 409,
      category: 'CONFLICT',
      message: `${singular[type]} already exists. Existing ID: ${problem.existingId}`,
      errors: [],
      names: [problem.name],
    };
  }
  return null;
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  sendError(
    response,
    refusal.status,
    refusal.category,
    refusal.message,
    refusal.errors.length > 0 ? { errors: refusal.errors } : {},
  );
}

function stringProperties(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null) return null;
  const entries = Object.entries(value as Json).map(
    ([key, raw]) => [key, raw === null ? '' : String(raw)] as const,
  );
  return Object.fromEntries(entries);
}

/**
 * Merges two records (old ids resolve to what they became): a new record with a new id, and a `merge` event naming
 * the primary, the merged record and the new one. `null` when either is missing or archived, or both are one.
 * https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies
 */
export function mergeObjects(
  context: Pick<ObjectRouteContext, 'store' | 'webhooks'>,
  type: ObjectType,
  primaryId: string,
  otherId: string,
  source: SourceType = 'CRM_UI',
): HubSpotRecord | null {
  const { store } = context;
  const primary = store.resolve(type, primaryId);
  const other = store.resolve(type, otherId);
  if (!primary || !other || primary.archived || other.archived || primary.id === other.id) return null;
  const { record, propertiesMoved } = store.merge(primary, other, source);
  context.webhooks.notify(
    type,
    'merge',
    record,
    {
      primaryObjectId: Number(primary.id),
      mergedObjectIds: [Number(other.id)],
      newObjectId: Number(record.id),
      numberOfPropertiesMoved: propertiesMoved,
    },
    source,
  );
  return record;
}

/** A create's inline `associations` (`[{to: {id}, types: [{associationTypeId}]}]`), each with its webhook events. */
function associateInline(
  context: ObjectRouteContext,
  type: ObjectType,
  id: string,
  associations: unknown,
): void {
  const other: ObjectType = type === 'contacts' ? 'companies' : 'contacts';
  for (const association of Array.isArray(associations) ? (associations as Json[]) : []) {
    const to = association.to as { id?: string } | undefined;
    if (!to?.id) continue;
    const toId = String(to.id);
    trackAssociation(
      context.store,
      (change) => context.webhooks.associationChanged(change),
      { fromType: type, fromId: id, toType: other, toId },
      () => {
        for (const spec of (association.types as Json[] | undefined) ?? [])
          context.store.associate(type, id, other, toId, Number(spec.associationTypeId));
      },
    );
  }
}

/**
 * `/crm/v3/objects/{type}…` and `/crm/objects/2026-09/{type}…`: records, lists, batches, search, merge and GDPR
 * delete, with HubSpot's documented rules (the differences of the date-based API under `context.dateBased`).
 */
export function handleObjects(
  context: ObjectRouteContext,
  type: ObjectType,
  rest: string[],
  method: string,
  query: URLSearchParams,
  body: Json,
  response: ServerResponse,
) {
  const { store } = context;
  const records = store.records[type];
  const known = new Set(store.properties[type].keys());
  const requested = (list: unknown) =>
    typeof list === 'string'
      ? list.split(',').filter((name) => name !== '')
      : Array.isArray(list)
        ? list.map(String)
        : null;
  // `properties` (and `propertiesWithHistory`) may come comma-separated or repeated (properties=a&properties=b, as
  // HubSpot's SDK sends it).
  const withHistory = requested(query.getAll('propertiesWithHistory').join(','));
  // `associations` likewise (a single read and a list; batch reads and search cannot return them).
  const associations = requested(query.getAll('associations').join(',')) ?? [];
  const show = (record: HubSpotRecord, extra: Json = {}) =>
    serialize(record, requested(query.getAll('properties').join(',')), known, {
      ...propertiesWithHistory(record, withHistory, known),
      ...recordAssociations(store, record, associations),
      ...extra,
    });
  const [first, second] = rest;

  if (first === undefined && method === 'GET') {
    const limit = Math.min(Number(query.get('limit') ?? 10), 100);
    const archived = query.get('archived') === 'true';
    const after = query.get('after');
    const all = [...records.values()]
      .filter((record) => record.archived === archived && record.mergedInto === null)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const start = after === null ? 0 : all.findIndex((record) => Number(record.id) >= Number(after));
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const next = start >= 0 ? all[start + limit] : undefined;
    sendJson(response, 200, {
      results: page.map((record) => show(record)),
      ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}),
    });
    return;
  }
  if (first === undefined && method === 'POST') {
    const properties = stringProperties(body.properties) ?? {};
    const refusal = checkWrite(context, type, properties, null);
    if (refusal) return refuse(response, refusal);
    const record = store.create(type, properties, 'API');
    context.webhooks.notify(type, 'creation', record);
    associateInline(context, type, record.id, body.associations);
    sendJson(response, 201, serialize(record, Object.keys(properties), known));
    return;
  }
  if (first === 'batch' && method === 'POST')
    return handleBatch(context, type, second ?? '', query, body, response);
  if (first === 'search' && method === 'POST' && second === undefined)
    return handleSearch(context, type, body, response);
  if (first === 'gdpr-delete' && method === 'POST' && second === undefined && type === 'contacts')
    return gdprDelete(context, body, response);
  if (first === 'merge' && method === 'POST') {
    const merged = mergeObjects(
      context,
      type,
      String(body.primaryObjectId ?? ''),
      String(body.objectIdToMerge ?? ''),
      'API',
    );
    if (merged === null) {
      return sendError(
        response,
        400,
        'VALIDATION_ERROR',
        'Both objects must exist, be different and not be archived',
      );
    }
    sendJson(response, 200, serialize(merged, [...known], known));
    return;
  }
  if (first !== undefined && second === undefined) {
    const idProperty = query.get('idProperty');
    const direct = idProperty ? store.findByUnique(type, idProperty, first) : records.get(first);
    // A merged-away id still works for single reads and updates; it answers with the survivor.
    const record = direct?.mergedInto ? store.resolve(type, direct.id) : direct;
    const archivedWanted = query.get('archived') === 'true';
    if (!record || record.archived !== archivedWanted) {
      return sendError(
        response,
        404,
        'OBJECT_NOT_FOUND',
        'Object not found.  objectId are usually numeric.',
        { context: { id: [first] } },
      );
    }
    if (method === 'GET') return sendJson(response, 200, show(record));
    if (method === 'PATCH') {
      const properties = stringProperties(body.properties) ?? {};
      const refusal = checkWrite(context, type, properties, record.id);
      if (refusal) return refuse(response, refusal);
      const before = new Map(record.properties);
      store.update(record, properties, 'API');
      context.webhooks.propertyChanges(type, record, before);
      return sendJson(response, 200, serialize(record, Object.keys(properties), known));
    }
    if (method === 'DELETE') {
      store.archive(record);
      context.webhooks.notify(type, 'deletion', record);
      response.writeHead(204).end();
      return;
    }
  }
  sendError(
    response,
    404,
    'OBJECT_NOT_FOUND',
    `No route for ${method} ${context.dateBased ? '/crm/objects/2026-09' : '/crm/v3/objects'}/${type}/${rest.join('/')}`,
  );
}

/**
 * `POST …/contacts/gdpr-delete {objectId, idProperty?}`: deletes the contact for good (204), with a
 * `contact.privacyDeletion` and a `contact.deletion` event. An unknown email is still answered 204 (HubSpot then
 * blocklists it); an unknown id is 404.
 */
function gdprDelete(context: ObjectRouteContext, body: Json, response: ServerResponse) {
  const { store } = context;
  const objectId = String(body.objectId ?? '');
  const idProperty = typeof body.idProperty === 'string' ? body.idProperty : null;
  const record = idProperty
    ? store.findByUnique('contacts', idProperty, objectId)
    : store.resolve('contacts', objectId);
  if (record === undefined && idProperty !== 'email') {
    return sendError(response, 404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
      context: { id: [objectId] },
    });
  }
  if (record !== undefined) {
    store.erase(record);
    context.webhooks.notify('contacts', 'privacyDeletion', record);
    context.webhooks.notify('contacts', 'deletion', record);
  }
  response.writeHead(204).end();
}

function handleBatch(
  context: ObjectRouteContext,
  type: ObjectType,
  operation: string,
  query: URLSearchParams,
  body: Json,
  response: ServerResponse,
) {
  const { store } = context;
  const known = new Set(store.properties[type].keys());
  const inputs = Array.isArray(body.inputs) ? (body.inputs as Json[]) : [];
  if (inputs.length > batchLimit)
    return sendError(
      response,
      400,
      'VALIDATION_ERROR',
      `Batch input can contain at most ${batchLimit} inputs, got ${inputs.length}`,
    );
  const requested = Array.isArray(body.properties) ? body.properties.map(String) : null;

  if (operation === 'read') {
    const withHistory = Array.isArray(body.propertiesWithHistory)
      ? body.propertiesWithHistory.map(String)
      : null;
    const archived = query.get('archived') === 'true';
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : null;
    const results = [];
    const answered = new Set<string>();
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      // A merged-away id answers with the record it was merged into (once, however many of its ids are asked).
      const record = idProperty ? store.findByUnique(type, idProperty, id) : store.resolve(type, id);
      if (record === undefined || record.archived !== archived) missing.push(id);
      else if (!answered.has(record.id)) {
        answered.add(record.id);
        results.push(serialize(record, requested, known, propertiesWithHistory(record, withHistory, known)));
      }
    }
    const errors =
      missing.length > 0
        ? [
            batchError(
              'OBJECT_NOT_FOUND',
              `Could not get some ${singular[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
              { ids: missing },
            ),
          ]
        : [];
    return sendJson(
      response,
      errors.length > 0 && !context.dateBased ? 207 : 200,
      batchEnvelope(results, errors),
    );
  }
  if (operation === 'archive') {
    for (const input of inputs) {
      const record = store.records[type].get(String(input.id ?? ''));
      if (record && !record.archived) {
        store.archive(record);
        context.webhooks.notify(type, 'deletion', record);
      }
    }
    response.writeHead(204).end();
    return;
  }
  if (operation !== 'create' && operation !== 'update' && operation !== 'upsert') {
    return sendError(response, 404, 'OBJECT_NOT_FOUND', `No batch operation ${operation}`);
  }
  // Without an objectWriteTraceId on every input, HubSpot treats a batch as all-or-nothing.
  const traced =
    inputs.length > 0 &&
    inputs.every((input) => typeof input.objectWriteTraceId === 'string' && input.objectWriteTraceId !== '');
  const plan: Array<
    | { input: Json; apply: () => HubSpotRecord & { isNew?: boolean } }
    | { input: Json; error: ReturnType<typeof batchError> }
  > = [];
  const pendingUnique = new Map<string, string>();
  for (const input of inputs) {
    const properties = stringProperties(input.properties) ?? {};
    const trace =
      typeof input.objectWriteTraceId === 'string' ? { objectWriteTraceId: [input.objectWriteTraceId] } : {};
    let target: HubSpotRecord | undefined;
    if (operation === 'update') {
      target =
        typeof input.idProperty === 'string'
          ? store.findByUnique(type, input.idProperty, String(input.id))
          : store.records[type].get(String(input.id ?? ''));
      // Merged-away ids work for single updates only, not in batches:
      // https://developers.hubspot.com/docs/api-reference/legacy/crm/using-object-apis
      if (!target || target.archived || target.mergedInto) {
        plan.push({
          input,
          error: batchError('OBJECT_NOT_FOUND', `Object ${String(input.id)} not found`, {
            ids: [String(input.id)],
            ...trace,
          }),
        });
        continue;
      }
    }
    if (operation === 'upsert') {
      const idProperty = String(input.idProperty ?? '');
      target = store.findByUnique(type, idProperty, String(input.id ?? ''));
      if (!target) properties[idProperty] = String(input.id ?? '');
    }
    const refusal = checkWrite(context, type, properties, target?.id ?? null);
    const clash = Object.entries(properties).find(
      ([name, value]) =>
        store.properties[type].get(name)?.hasUniqueValue &&
        value !== '' &&
        pendingUnique.has(`${name}:${value.toLowerCase()}`),
    );
    if (refusal || clash) {
      // Each refused input is its own error, naming its trace id and the refused properties.
      plan.push({
        input,
        error: refusal
          ? batchError(
              refusal.category,
              refusal.message,
              { ...trace, propertyName: [...refusal.names] },
              refusal.errors,
            )
          : batchError('CONFLICT', `Duplicate ${clash?.[0]} in the same batch`, {
              ...trace,
              propertyName: [clash?.[0] ?? ''],
            }),
      });
      continue;
    }
    for (const [name, value] of Object.entries(properties)) {
      if (store.properties[type].get(name)?.hasUniqueValue && value !== '')
        pendingUnique.set(`${name}:${value.toLowerCase()}`, '');
    }
    const existing = target;
    plan.push({
      input,
      apply: () => {
        if (existing) {
          const before = new Map(existing.properties);
          store.update(existing, properties, 'API');
          context.webhooks.propertyChanges(type, existing, before);
          return Object.assign(existing, { isNew: false });
        }
        const created = store.create(type, properties, 'API');
        context.webhooks.notify(type, 'creation', created);
        associateInline(context, type, created.id, input.associations);
        return Object.assign(created, { isNew: true });
      },
    });
  }
  const failures = plan.flatMap((entry) => ('error' in entry ? [entry.error] : []));
  if (failures.length > 0 && !traced) {
    const first = failures[0];
    return sendError(
      response,
      first?.category === 'CONFLICT' ? 409 : 400,
      first?.category ?? 'VALIDATION_ERROR',
      first?.message ?? 'Invalid input',
      first && first.errors.length > 0 ? { errors: first.errors } : {},
    );
  }
  const results = plan.flatMap((entry) => {
    if ('error' in entry) return [];
    const record = entry.apply();
    const extra: Json =
      typeof entry.input.objectWriteTraceId === 'string'
        ? { objectWriteTraceId: entry.input.objectWriteTraceId }
        : {};
    if (operation === 'upsert') extra.new = record.isNew === true;
    const names = Object.keys(stringProperties(entry.input.properties) ?? {});
    return [serialize(record, names, known, extra)];
  });
  // v3 answers a partial batch 207; the 2026-09 documents have one answer, 201/200 with `errors` in it.
  const status = failures.length > 0 && !context.dateBased ? 207 : operation === 'create' ? 201 : 200;
  sendJson(response, status, batchEnvelope(results, failures));
}

const maxGroups = 5;
const maxFiltersPerGroup = 6;
const maxFilters = 18;

function handleSearch(context: ObjectRouteContext, type: ObjectType, body: Json, response: ServerResponse) {
  const { store } = context;
  const known = new Set(store.properties[type].keys());
  const groups = (Array.isArray(body.filterGroups) ? body.filterGroups : []) as Array<{
    filters?: SearchFilter[];
  }>;
  const filterCount = groups.reduce((sum, group) => sum + (group.filters?.length ?? 0), 0);
  if (
    groups.length > maxGroups ||
    groups.some((group) => (group.filters?.length ?? 0) > maxFiltersPerGroup) ||
    filterCount > maxFilters
  ) {
    return sendError(
      response,
      400,
      'VALIDATION_ERROR',
      `Search allows at most ${maxGroups} filter groups of ${maxFiltersPerGroup} filters, ${maxFilters} filters in all`,
    );
  }
  const limit = Math.min(Number(body.limit ?? 10), 200);
  const after = Number(body.after ?? 0);
  if (after + limit > 10_000) {
    return sendError(response, 400, 'VALIDATION_ERROR', 'There was a problem with the request.', {
      errors: [{ message: 'Paging past 10,000 results is not supported' }],
    });
  }
  const now = context.now();
  let matches = [...store.records[type].values()].filter(
    (record) =>
      !record.archived &&
      record.mergedInto === null &&
      record.searchableAt <= now &&
      (typeof body.query !== 'string' || matchesQuery(record, body.query)) &&
      (groups.length === 0 ||
        groups.some((group) => (group.filters ?? []).every((filter) => matchesFilter(record, filter)))),
  );
  const sort = sortSpec(body.sorts);
  matches = sort
    ? matches.sort(compareBy(sort.property, sort.descending))
    : matches.sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
  const page = matches.slice(after, after + limit);
  const requested =
    Array.isArray(body.properties) && body.properties.length > 0 ? body.properties.map(String) : null;
  sendJson(response, 200, {
    total: matches.length,
    results: page.map((record) => serialize(record, requested, known)),
    ...(after + page.length < matches.length
      ? { paging: { next: { after: String(after + page.length) } } }
      : {}),
  });
}
