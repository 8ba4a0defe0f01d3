import {
  hubspotDocumentsAvailable,
  hubspotDocumentsSkipReason,
  validateRequest,
  validateResponse,
} from '@port-service/hubspot-openapi';
import nock from 'nock';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createHubSpotClient, type HubSpotClientSettings } from '../client.js';
import type { HubSpotRequestInfo } from '../transport/http-transport.js';

export const origin = 'https://api.hubapi.com';
/** Every request and fixture response checked against HubSpot's OpenAPI documents (where present); tests expect none. */
export const violations: string[] = [];
export const sentBodies: Array<{ method: string; path: string; body: unknown }> = [];

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * Intercepts one HubSpot call: validates what the client sent against the documented request schema, records it,
 * and answers with `reply` (checked against the documented response schema unless `unchecked`).
 */
export function expectCall(
  method: string,
  path: string | RegExp,
  reply: Reply | ((body: unknown) => Reply),
  options: { unchecked?: boolean; times?: number } = {},
) {
  const scope = nock(origin)
    .intercept(path, method)
    .query(true)
    .times(options.times ?? 1)
    .reply(function handler(uri, requestBody) {
      const pathname = uri.split('?')[0] ?? uri;
      const body = requestBody === '' ? undefined : requestBody;
      sentBodies.push({ method, path: uri, body });
      if (hubspotDocumentsAvailable) violations.push(...validateRequest(method, pathname, body));
      const answer = typeof reply === 'function' ? reply(body) : reply;
      if (hubspotDocumentsAvailable && !options.unchecked && answer.status < 300)
        violations.push(...validateResponse(method, pathname, answer.status, answer.body ?? null));
      return [
        answer.status,
        typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? ''),
        { 'content-type': 'application/json', ...answer.headers },
      ];
    });
  return scope;
}

/** A client against nock, with an instant clock that records every wait. */
export function testClient(overrides: Partial<HubSpotClientSettings> = {}) {
  const waits: number[] = [];
  const requests: HubSpotRequestInfo[] = [];
  let now = Date.parse('2026-11-24T10:00:00Z');
  const client = createHubSpotClient({
    accessToken: 'pat-na1-test-token',
    clock: {
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      random: () => 0.5,
    },
    onRequest: (info) => requests.push(info),
    ...overrides,
  });
  return { client, waits, requests };
}

export const record = (
  id: string,
  properties: Record<string, string | null> = {},
  extra: Record<string, unknown> = {},
) => ({
  id,
  properties: { hs_object_id: id, ...properties },
  createdAt: '2026-11-01T08:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
  archived: false,
  ...extra,
});

/**
 * For a test file: no real network; after each test, no OpenAPI violation and (unless `allowUnused`) no mocked
 * call left unmade. State is reset before asserting, so one failure never leaks into the next test.
 */
export function useNockGuards(options: { allowUnused?: boolean } = {}): void {
  // The behaviour tests still run; only the checks against HubSpot's documents are left out, and said so.
  if (!hubspotDocumentsAvailable)
    it.skip(`requests and answers checked against HubSpot's documents: ${hubspotDocumentsSkipReason}`);
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const found = violations.splice(0);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    sentBodies.length = 0;
    expect(found).toEqual([]);
    if (!options.allowUnused) expect(pending).toEqual([]);
  });
}
