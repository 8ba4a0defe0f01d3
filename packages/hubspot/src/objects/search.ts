import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ApiPaths } from '../api-version.js';
import type { HubSpotError } from '../errors.js';
import type { Transport } from '../transport/http-transport.js';
import type { ObjectType } from './objects.js';
import { parseBody } from './parse.js';
import { type HubSpotObject, hubSpotObjectSchema } from './schemas.js';

const searchResponse = z.object({
  total: z.number(),
  results: z.array(hubSpotObjectSchema),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

/** The modified-date property search can filter on, per object type. https://developers.hubspot.com/docs/api-reference/search/guide */
export const modifiedDateProperty: Record<ObjectType, string> = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
};

const pageSize = 200;
// HubSpot answers 400 past 10,000 results for one query, so each query window stops short of that.
const resultCap = 10_000;

export interface ChangedSinceOptions {
  /** The watermark: records modified at or after this instant (epoch ms). */
  readonly since: number;
  /** Read this far before the watermark too, for search-index lag. Default 5 minutes. */
  readonly lookBackMs?: number | undefined;
  readonly properties: readonly string[];
}

type Filter = { propertyName: string; operator: string; value?: string; values?: readonly string[] };

/**
 * One search page, in the request shape HubSpot's documents give (`PublicObjectSearchRequest`, the same in
 * 2026-09 and v3): every field present, the one sort rule as a string (`prop` ascending, `-prop` descending, as
 * HubSpot's Node SDK writes it), `after` an offset as a string.
 * https://developers.hubspot.com/docs/api-reference/search/guide
 */
function searchPage(
  transport: Transport,
  path: string,
  request: {
    readonly filters: readonly Filter[];
    readonly sort: string;
    readonly properties: readonly string[];
    readonly limit: number;
    readonly after: number;
  },
) {
  return transport
    .send({
      method: 'POST',
      path,
      safety: 'read',
      search: true,
      json: {
        filterGroups: request.filters.length === 0 ? [] : [{ filters: request.filters }],
        sorts: [request.sort],
        properties: request.properties,
        limit: request.limit,
        after: String(request.after),
      },
    })
    .andThen((value) => parseBody(searchResponse, value.body, `POST ${path}`));
}

/**
 * Records changed since a watermark, for incremental sync, as pages of records not seen before in this read.
 * Sorted ascending by the modified date; before the 10,000-result cap the query re-windows from the last
 * timestamp seen. Records sharing one timestamp are read in a window of their own ordered by `hs_object_id`, so
 * even more than 10,000 records with the same timestamp (bulk imports) page through.
 */
export async function* searchChangedSince(
  transport: Transport,
  paths: ApiPaths,
  type: ObjectType,
  options: ChangedSinceOptions,
): AsyncGenerator<Result<HubSpotObject[], HubSpotError>> {
  const modified = modifiedDateProperty[type];
  const properties = [...new Set([...options.properties, modified, 'hs_object_id'])];
  const seen = new Set<string>();
  const path = `${paths.objects(type)}/search`;

  const query = (filters: Filter[], sort: string, after: number) =>
    searchPage(transport, path, { filters, sort, properties, limit: pageSize, after });
  const fresh = (records: readonly HubSpotObject[]) =>
    records.filter((record) => {
      if (seen.has(record.id)) return false;
      seen.add(record.id);
      return true;
    });
  const stamp = (record: HubSpotObject) => modifiedAt(record, modified);

  let from = Math.max(0, options.since - (options.lookBackMs ?? 5 * 60_000));
  let inclusive = true;
  for (;;) {
    // One window: everything modified after `from`, ascending, until the result cap is near.
    let after = 0;
    let last: HubSpotObject | undefined;
    let exhausted = false;
    for (;;) {
      const page = await query(
        [{ propertyName: modified, operator: inclusive ? 'GTE' : 'GT', value: String(from) }],
        modified,
        after,
      );
      if (page.isErr()) {
        yield err(page.error);
        return;
      }
      const records = page.value.results;
      if (records.length > 0) yield ok(fresh(records));
      last = records[records.length - 1] ?? last;
      after += records.length;
      if (!page.value.paging?.next || records.length === 0) {
        exhausted = true;
        break;
      }
      if (after + pageSize > resultCap) break;
    }
    if (exhausted || last === undefined) return;
    // Re-window: first every record with exactly the last timestamp, by id, then strictly later ones.
    const boundary = stamp(last);
    let idAfter = '0';
    for (;;) {
      let offset = 0;
      let lastId: string | undefined;
      let more = false;
      for (;;) {
        const page = await query(
          [
            { propertyName: modified, operator: 'EQ', value: String(boundary) },
            { propertyName: 'hs_object_id', operator: 'GT', value: idAfter },
          ],
          'hs_object_id',
          offset,
        );
        if (page.isErr()) {
          yield err(page.error);
          return;
        }
        const records = page.value.results;
        if (records.length > 0) yield ok(fresh(records));
        lastId = records[records.length - 1]?.id ?? lastId;
        offset += records.length;
        if (!page.value.paging?.next || records.length === 0) break;
        if (offset + pageSize > resultCap) {
          more = true;
          break;
        }
      }
      if (!more || lastId === undefined) break;
      idAfter = lastId;
    }
    from = boundary;
    inclusive = false;
  }
}

/** A record's modified date in epoch ms (the value may come as epoch ms or as ISO 8601: both are read). */
function modifiedAt(record: HubSpotObject, modified: string): number {
  const value = record.properties[modified] ?? record.updatedAt;
  return /^\d+$/u.test(value) ? Number(value) : Date.parse(value);
}

/** HubSpot accepts at most 100 values in one `IN` filter. https://developers.hubspot.com/docs/api-reference/search/guide#filter-search-results */
const inValuesCap = 100;

/**
 * The latest modified date of any record of `type` (epoch ms, HubSpot's own clock), or `null` when there is none:
 * one search sorted descending. Read before a pass, it is a watermark no later than any change the pass may miss.
 * https://developers.hubspot.com/docs/api-reference/search/guide#sorting
 */
export async function searchLatestModified(
  transport: Transport,
  paths: ApiPaths,
  type: ObjectType,
): Promise<Result<number | null, HubSpotError>> {
  const modified = modifiedDateProperty[type];
  const path = `${paths.objects(type)}/search`;
  return searchPage(transport, path, {
    filters: [],
    sort: `-${modified}`,
    properties: [modified],
    limit: 1,
    after: 0,
  }).map((page) => {
    const record = page.results[0];
    if (record === undefined) return null;
    const stamp = modifiedAt(record, modified);
    return Number.isNaN(stamp) ? null : stamp;
  });
}

/**
 * Records whose `property` has one of `values` (search with `IN`, 100 values per query, every page), e.g.
 * companies by organization number. Searching is subject to index lag: a record written seconds ago may be
 * missing. https://developers.hubspot.com/docs/api-reference/search/guide
 */
export async function searchByValues(
  transport: Transport,
  paths: ApiPaths,
  type: ObjectType,
  property: string,
  values: readonly string[],
  properties: readonly string[],
): Promise<Result<HubSpotObject[], HubSpotError>> {
  const path = `${paths.objects(type)}/search`;
  const unique = [...new Set(values.filter((value) => value !== ''))];
  const found = new Map<string, HubSpotObject>();
  for (let start = 0; start < unique.length; start += inValuesCap) {
    const chunk = unique.slice(start, start + inValuesCap);
    // Sorted by id: past the 10,000-result cap the query starts again after the last id seen (many companies can
    // share a postal code, say), so nothing is cut off.
    let idAfter = '0';
    let after = 0;
    for (;;) {
      const page = await searchPage(transport, path, {
        filters: [
          { propertyName: property, operator: 'IN', values: chunk },
          { propertyName: 'hs_object_id', operator: 'GT', value: idAfter },
        ],
        sort: 'hs_object_id',
        properties: [...new Set([...properties, property])],
        limit: pageSize,
        after,
      });
      if (page.isErr()) return err(page.error);
      const records = page.value.results;
      for (const record of records) found.set(record.id, record);
      if (!page.value.paging?.next || records.length === 0) break;
      after += records.length;
      if (after + pageSize > resultCap) {
        idAfter = records[records.length - 1]?.id ?? idAfter;
        after = 0;
      }
    }
  }
  return ok([...found.values()]);
}
