import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { ApiPaths } from '../api-version.js';
import { type HubSpotError, invalidValue, outcomeUnknown } from '../errors.js';
import type { Safety, Transport } from '../transport/http-transport.js';
import { parseBody } from './parse.js';
import {
  type BatchError,
  batchResponseSchema,
  type HubSpotObject,
  hubSpotObjectSchema,
  pageSchema,
} from './schemas.js';

export type ObjectType = 'companies' | 'contacts';
export type Properties = Readonly<Record<string, string>>;

/** An association to write inline on create (HubSpot-defined association type ids, e.g. 279 contact → company). */
export interface InlineAssociation {
  readonly toId: string;
  readonly typeId: number;
  readonly category?: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | undefined;
}

export interface ObjectPage {
  readonly results: readonly HubSpotObject[];
  /** The cursor for the next page; `null` on the last one. */
  readonly after: string | null;
}

/** One input's outcome in a batch: the record, or why HubSpot did not take it. */
export type BatchResult = Result<HubSpotObject & { readonly new?: boolean | null | undefined }, HubSpotError>;

const batchLimit = 100;

function chunks<T>(items: readonly T[], size = batchLimit): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/** Errors after which no other request can succeed either. */
function stopsAllWork(error: HubSpotError): boolean {
  return (
    error.kind === 'auth' ||
    error.kind === 'config' ||
    (error.kind === 'rate-limited' && error.policy === 'DAILY')
  );
}

function batchFailure(error: BatchError, fallback: string): HubSpotError {
  const message = error.message ?? fallback;
  if (error.category === 'OBJECT_NOT_FOUND')
    return { kind: 'not-found', message, correlationId: null, retryable: false };
  if (error.category === 'VALIDATION_ERROR') {
    const refused = invalidValue({ message, errors: error.errors });
    if (refused !== null) return refused;
  }
  const existing = /Existing ID: ?(\d+)/iu.exec(message)?.[1] ?? null;
  if (error.category === 'CONFLICT' || existing !== null)
    return { kind: 'already-exists', message, existingId: existing, correlationId: null, retryable: false };
  return {
    kind: 'http',
    message,
    status: 207,
    category: error.category ?? null,
    subCategory: null,
    correlationId: null,
    context: error.context ?? null,
    retryable: false,
  };
}

/**
 * A create HubSpot answered 2xx without saying what it stored (a body of another shape, an input not mentioned):
 * it may have been stored, so its outcome is unknown. For other requests the error stands.
 */
function unreadWrite(error: HubSpotError, safety: Safety, status: number): HubSpotError {
  return safety === 'write' ? outcomeUnknown(error, 'malformed-response', status) : error;
}

function unanswered(what: string): HubSpotError {
  return {
    kind: 'validation',
    message: `HubSpot's answer to ${what} did not mention this input`,
    issues: [],
    retryable: false,
  };
}

/**
 * The objects API (`/crm/objects/2026-09/{type}`, or v3 on the legacy setting) for one object type: single records, list pages, and batches of at most 100 with one result
 * per input. Batch writes send a unique `objectWriteTraceId` per input, so one bad record comes back as an error
 * for that record instead of failing the batch (in the answer's `errors`: a 200/201 on 2026-09, a 207 on v3);
 * every answer is mapped back to its inputs, nothing dropped.
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/guide
 */
export function createObjectsApi(transport: Transport, type: ObjectType, paths: ApiPaths) {
  const base = paths.objects(type);

  const single = (
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    safety: Safety,
    json?: unknown,
    searchParams?: Record<string, string | boolean | undefined>,
  ) =>
    transport
      .send({ method, path, safety, json, searchParams })
      .andThen((response) =>
        parseBody(hubSpotObjectSchema, response.body, `${method} ${path}`).mapErr((error) =>
          unreadWrite(error, safety, response.status),
        ),
      );

  /** One chunk of a batch write, every result and error matched to its input by trace id. */
  const writeChunk = async (
    operation: 'create' | 'update' | 'upsert',
    chunk: ReadonlyArray<Record<string, unknown>>,
    offset: number,
    safety: Safety,
  ): Promise<Result<BatchResult[], HubSpotError>> => {
    const traced = chunk.map((input, index) => ({ ...input, objectWriteTraceId: String(offset + index) }));
    const response = await transport.send({
      method: 'POST',
      path: `${base}/batch/${operation}`,
      json: { inputs: traced },
      safety,
    });
    if (response.isErr()) return err(response.error);
    const { status } = response.value;
    const body = parseBody(batchResponseSchema, response.value.body, `batch ${operation}`);
    if (body.isErr()) return err(unreadWrite(body.error, safety, status));
    const byTrace = new Map<string, BatchResult>();
    for (const record of body.value.results)
      if (record.objectWriteTraceId) byTrace.set(record.objectWriteTraceId, ok(record));
    for (const error of body.value.errors ?? []) {
      for (const trace of error.context?.objectWriteTraceId ?? [])
        byTrace.set(trace, err(batchFailure(error, `batch ${operation} failed`)));
    }
    // Without trace ids in the answer, an all-succeeded batch still maps by order.
    const inOrder = body.value.results.length === chunk.length && byTrace.size === 0;
    return ok(
      traced.map((input, index) => {
        const record = body.value.results[index];
        return (
          byTrace.get(input.objectWriteTraceId) ??
          (inOrder && record
            ? ok(record)
            : err(unreadWrite(unanswered(`batch ${operation}`), safety, status)))
        );
      }),
    );
  };

  /**
   * One chunk, and where HubSpot refused the whole chunk for values (a 400 `VALIDATION_ERROR` that names no
   * input, as batches without trace ids and portal validation rules may answer), its halves again until the
   * refused inputs stand alone: a 400 wrote nothing, so resending is safe, and no valid input is held back by
   * another's bad value.
   */
  const writeParts = async (
    operation: 'create' | 'update' | 'upsert',
    chunk: ReadonlyArray<Record<string, unknown>>,
    offset: number,
    safety: Safety,
  ): Promise<Result<BatchResult[], HubSpotError>> => {
    const answer = await writeChunk(operation, chunk, offset, safety);
    if (answer.isOk() || answer.error.kind !== 'invalid-value' || chunk.length === 1) return answer;
    const half = Math.ceil(chunk.length / 2);
    const [first, second] = await Promise.all([
      writeParts(operation, chunk.slice(0, half), offset, safety),
      writeParts(operation, chunk.slice(half), offset + half, safety),
    ]);
    // A half that failed otherwise fails its own inputs only: the other half's records were written and stay.
    const settled: BatchResult[] = [];
    for (const [part, inputs] of [
      [first, chunk.slice(0, half)],
      [second, chunk.slice(half)],
    ] as const) {
      if (part.isOk()) settled.push(...part.value);
      else if (stopsAllWork(part.error)) return err(part.error);
      else for (const _ of inputs) settled.push(err(part.error));
    }
    return ok(settled);
  };

  /** One batch read of up to 100 ids: each id's record, or why HubSpot did not return it. */
  const readChunk = async (
    chunk: readonly string[],
    options: BatchReadOptions,
  ): Promise<Result<Map<string, Result<HubSpotObject, HubSpotError>>, HubSpotError>> => {
    const found = new Map<string, Result<HubSpotObject, HubSpotError>>();
    const response = await transport.send({
      method: 'POST',
      path: `${base}/batch/read`,
      safety: 'read',
      searchParams: { archived: options.archived ?? false },
      json: {
        inputs: chunk.map((id) => ({ id })),
        properties: options.properties,
        propertiesWithHistory: options.propertiesWithHistory ?? [],
        ...(options.idProperty ? { idProperty: options.idProperty } : {}),
      },
    });
    if (response.isErr()) return err(response.error);
    const body = parseBody(batchResponseSchema, response.value.body, 'batch read');
    if (body.isErr()) return err(body.error);
    const key = (record: HubSpotObject) =>
      options.idProperty ? (record.properties[options.idProperty] ?? record.id) : record.id;
    for (const record of body.value.results) found.set(key(record), ok(record));
    for (const error of body.value.errors ?? [])
      for (const id of error.context?.ids ?? []) found.set(id, err(batchFailure(error, 'not found')));
    for (const id of chunk)
      if (!found.has(id))
        found.set(
          id,
          err({
            kind: 'not-found',
            message: `${type} ${id} was not returned`,
            correlationId: null,
            retryable: false,
          }),
        );
    return ok(found);
  };

  /**
   * Sends batch writes in chunks of 100, several at once (the transport bounds concurrency and pace). A chunk
   * that fails fails its own inputs only, each with the chunk's error (a refused value: only the inputs that
   * carry it, see `writeParts`); only an error that stops all work (auth, configuration, HubSpot's daily limit)
   * fails the call.
   */
  const batchWrite = (
    operation: 'create' | 'update' | 'upsert',
    inputs: ReadonlyArray<Record<string, unknown>>,
    safety: Safety,
  ): ResultAsync<BatchResult[], HubSpotError> =>
    new ResultAsync(
      (async (): Promise<Result<BatchResult[], HubSpotError>> => {
        const parts = chunks(inputs);
        const answers = await Promise.all(
          parts.map((chunk, index) => writeParts(operation, chunk, index * batchLimit, safety)),
        );
        const all: BatchResult[] = [];
        for (const [index, answer] of answers.entries()) {
          if (answer.isOk()) {
            all.push(...answer.value);
            continue;
          }
          if (stopsAllWork(answer.error)) return err(answer.error);
          for (const _ of parts[index] ?? []) all.push(err(answer.error));
        }
        return ok(all);
      })(),
    );

  return {
    get: (
      id: string,
      options: {
        properties?: readonly string[];
        archived?: boolean;
        idProperty?: string;
        associations?: readonly string[];
      } = {},
    ) =>
      single('GET', `${base}/${encodeURIComponent(id)}`, 'read', undefined, {
        properties: options.properties?.join(','),
        associations: options.associations?.join(','),
        archived: options.archived,
        idProperty: options.idProperty,
      }),
    /** Creates one record, associations inline. Never resent after an unclear failure (see Safety). */
    create: (properties: Properties, associations: readonly InlineAssociation[] = []) =>
      single('POST', base, 'write', {
        properties,
        associations: associations.map((association) => ({
          to: { id: association.toId },
          types: [
            {
              associationCategory: association.category ?? 'HUBSPOT_DEFINED',
              associationTypeId: association.typeId,
            },
          ],
        })),
      }),
    /** Updates given properties (`""` clears one); works with a merged-away id too. */
    update: (id: string, properties: Properties, idProperty?: string) =>
      single('PATCH', `${base}/${encodeURIComponent(id)}`, 'idempotent', { properties }, { idProperty }),
    archive: (id: string): ResultAsync<void, HubSpotError> =>
      transport
        .send({ method: 'DELETE', path: `${base}/${encodeURIComponent(id)}`, safety: 'idempotent' })
        .map(() => undefined),

    /** List pages of 100 (`archived: true` lists only archived records). */
    async *pages(options: {
      properties: readonly string[];
      archived?: boolean;
      associations?: readonly string[];
      limit?: number;
    }): AsyncGenerator<Result<ObjectPage, HubSpotError>> {
      let after: string | undefined;
      for (;;) {
        const result = await transport
          .send({
            method: 'GET',
            path: base,
            safety: 'read',
            searchParams: {
              limit: options.limit ?? 100,
              after,
              properties: options.properties.join(','),
              associations: options.associations?.join(','),
              archived: options.archived ?? false,
            },
          })
          .andThen((response) => parseBody(pageSchema, response.body, `GET ${base}`))
          .map((page): ObjectPage => ({ results: page.results, after: page.paging?.next?.after ?? null }));
        yield result;
        if (result.isErr() || result.value.after === null) return;
        after = result.value.after;
      }
    },

    /**
     * Reads up to any number of records, 100 per request, the requests several at once as batch writes go (the
     * transport bounds concurrency and pace); ids HubSpot does not know come back as not-found. A failed request
     * fails the call (the first in order, when several fail).
     */
    batchRead: (ids: readonly string[], options: BatchReadOptions) =>
      new ResultAsync(
        (async (): Promise<Result<Map<string, Result<HubSpotObject, HubSpotError>>, HubSpotError>> => {
          const answers = await Promise.all(
            chunks([...new Set(ids)]).map((chunk) => readChunk(chunk, options)),
          );
          const found = new Map<string, Result<HubSpotObject, HubSpotError>>();
          for (const answer of answers) {
            if (answer.isErr()) return err(answer.error);
            for (const [id, record] of answer.value) found.set(id, record);
          }
          return ok(found);
        })(),
      ),
    /** Creates records, 100 per request, one result per input in order (errors in the answer fail only the bad ones). */
    batchCreate: (
      inputs: ReadonlyArray<{ properties: Properties; associations?: readonly InlineAssociation[] }>,
    ) =>
      batchWrite(
        'create',
        inputs.map((input) => ({
          properties: input.properties,
          associations: (input.associations ?? []).map((association) => ({
            to: { id: association.toId },
            types: [
              {
                associationCategory: association.category ?? 'HUBSPOT_DEFINED',
                associationTypeId: association.typeId,
              },
            ],
          })),
        })),
        'write',
      ),
    /** Updates records by id (merged-away ids do not work here: HubSpot allows them only on single updates). */
    batchUpdate: (inputs: ReadonlyArray<{ id: string; properties: Properties; idProperty?: string }>) =>
      batchWrite('update', inputs, 'idempotent'),
    /** Creates or updates by a unique property (`email` for contacts, or a `hasUniqueValue` property). */
    batchUpsert: (inputs: ReadonlyArray<{ id: string; idProperty: string; properties: Properties }>) =>
      batchWrite('upsert', inputs, 'idempotent'),
    batchArchive: (ids: readonly string[]): ResultAsync<void, HubSpotError> =>
      new ResultAsync(
        (async (): Promise<Result<void, HubSpotError>> => {
          for (const chunk of chunks(ids)) {
            const response = await transport.send({
              method: 'POST',
              path: `${base}/batch/archive`,
              safety: 'idempotent',
              json: { inputs: chunk.map((id) => ({ id })) },
            });
            if (response.isErr()) return err(response.error);
          }
          return ok(undefined);
        })(),
      ),
    /**
     * Merges `mergeId` into `primaryId` and answers the resulting record. HubSpot now creates it with a new id
     * (https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies); both old
     * ids resolve to it and are in its `hs_merged_object_ids` (request that property to read them).
     */
    merge: (primaryId: string, mergeId: string) =>
      single('POST', `${base}/merge`, 'write', { primaryObjectId: primaryId, objectIdToMerge: mergeId }),
  };
}

export type ObjectsApi = ReturnType<typeof createObjectsApi>;

/** What a batch read asks for. */
export interface BatchReadOptions {
  readonly properties: readonly string[];
  /** Properties to return with their history (`propertiesWithHistory` on each record). */
  readonly propertiesWithHistory?: readonly string[];
  readonly idProperty?: string;
  readonly archived?: boolean;
}

/**
 * Ids merges folded into this record, from `hs_merged_object_ids` ("123;456"): since merges create a new record,
 * both old ids (and what they had merged before), never the record's own id. Request that property to use it.
 */
export function mergedObjectIds(record: HubSpotObject): string[] {
  const ids = (record.properties.hs_merged_object_ids ?? '')
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '' && id !== record.id);
  return [...new Set(ids)];
}
