import { describe, expect, it } from 'vitest';
import { expectCall, record, sentBodies, testClient, useNockGuards } from '../test-support/nock-hubspot.js';

useNockGuards({ allowUnused: true });

interface SearchBody {
  filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>;
  sorts: string[];
  limit: number;
  after: string;
}

/**
 * HubSpot's documented search behaviour over a fixed data set: filters ANDed in a group, one ascending sort,
 * `after` as an offset, at most 200 per page, and HTTP 400 for anything past the 10,000th result.
 * https://developers.hubspot.com/docs/api-reference/search/guide
 */
function fakeSearch(records: Array<{ id: string; modified: number }>) {
  return (raw: unknown) => {
    const body = raw as SearchBody;
    const after = Number(body.after);
    if (after + body.limit > 10_000)
      return {
        status: 400,
        body: {
          status: 'error',
          message: 'Cannot page past 10000 results',
          category: 'VALIDATION_ERROR',
          correlationId: 'x',
        },
      };
    const value = (item: { id: string; modified: number }, property: string) =>
      property === 'hs_object_id' ? Number(item.id) : item.modified;
    const matches = records.filter((item) =>
      (body.filterGroups[0]?.filters ?? []).every((filter) => {
        const left = value(item, filter.propertyName);
        const right = Number(filter.value);
        return filter.operator === 'GTE'
          ? left >= right
          : filter.operator === 'GT'
            ? left > right
            : filter.operator === 'EQ'
              ? left === right
              : false;
      }),
    );
    const sort = body.sorts[0] ?? 'hs_lastmodifieddate';
    matches.sort((a, b) => value(a, sort) - value(b, sort));
    const page = matches.slice(after, after + body.limit);
    return {
      status: 200,
      body: {
        total: matches.length,
        results: page.map((item) => record(item.id, { hs_lastmodifieddate: String(item.modified) })),
        ...(after + page.length < matches.length
          ? { paging: { next: { after: String(after + page.length) } } }
          : {}),
      },
    };
  };
}

describe('changedSince search', () => {
  it('pages through more than 10,000 records with one timestamp, and those after, each exactly once', async () => {
    const bulk = Date.parse('2026-11-24T02:00:00Z');
    const records = [
      ...Array.from({ length: 10_500 }, (_, index) => ({
        id: String(1000 + ((index * 7919) % 10_500)),
        modified: bulk,
      })),
      ...Array.from({ length: 300 }, (_, index) => ({
        id: String(50_000 + index),
        modified: bulk + 1000 + index,
      })),
    ];
    expectCall('POST', '/crm/objects/2026-09/companies/search', fakeSearch(records), { times: 200 });
    const { client } = testClient({ rateLimit: { searchPerSecond: 1000 } });
    const seen: string[] = [];
    for await (const page of client.companies.changedSince({
      since: bulk,
      lookBackMs: 0,
      properties: ['name'],
    })) {
      seen.push(...page._unsafeUnwrap().map((item) => item.id));
    }
    expect(seen).toHaveLength(records.length);
    expect(new Set(seen).size).toBe(records.length);
    const first = sentBodies[0]?.body as SearchBody;
    expect(first).toMatchObject({ sorts: ['hs_lastmodifieddate'], limit: 200, after: '0' });
    expect(first.filterGroups[0]?.filters[0]).toEqual({
      propertyName: 'hs_lastmodifieddate',
      operator: 'GTE',
      value: String(bulk),
    });
  });

  it('looks back for search-index lag, filters contacts on lastmodifieddate, and paces searches', async () => {
    const since = Date.parse('2026-11-24T10:00:00Z');
    expectCall(
      'POST',
      '/crm/objects/2026-09/contacts/search',
      fakeSearch([{ id: '201', modified: since - 60_000 }]),
      { times: 1 },
    );
    const { client } = testClient();
    const seen: string[] = [];
    for await (const page of client.contacts.changedSince({ since, properties: ['email'] }))
      seen.push(...page._unsafeUnwrap().map((item) => item.id));
    expect(seen).toEqual(['201']);
    expect((sentBodies[0]?.body as SearchBody | undefined)?.filterGroups[0]?.filters[0]).toEqual({
      propertyName: 'lastmodifieddate',
      operator: 'GTE',
      value: String(since - 5 * 60_000),
    });
  });

  it('retries the search secondly limit after a second', async () => {
    const since = Date.parse('2026-11-24T10:00:00Z');
    expectCall(
      'POST',
      '/crm/objects/2026-09/companies/search',
      {
        status: 429,
        body: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' },
      },
      { unchecked: true },
    );
    expectCall('POST', '/crm/objects/2026-09/companies/search', fakeSearch([]));
    const { client, waits } = testClient();
    for await (const page of client.companies.changedSince({ since, properties: [] }))
      expect(page.isOk()).toBe(true);
    expect(waits).toContain(1000);
  });
});
