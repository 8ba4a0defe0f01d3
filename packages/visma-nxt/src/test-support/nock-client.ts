import nock from 'nock';
import { createVismaNxtClient, type VismaNxtClientSettings } from '../client.js';
import type { VismaNxtRequestInfo } from '../transport/graphql-transport.js';

export const tokenOrigin = 'https://connect.visma.com';
export const apiOrigin = 'https://business.visma.net';
export const tokenResponse = { access_token: 'token-1', expires_in: 3600, token_type: 'Bearer' };

/** A client against nock-intercepted Visma endpoints, with an instant clock that records every wait. */
export function testClient(overrides: Partial<VismaNxtClientSettings> = {}) {
  const waits: number[] = [];
  const requests: VismaNxtRequestInfo[] = [];
  let now = 1_000_000;
  const client = createVismaNxtClient({
    clientId: 'port-service-sync',
    clientSecret: 'secret-value',
    companyNo: 9112233,
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
  return { client, waits, requests, advance: (ms: number) => (now += ms) };
}

/** The token endpoint, answering `times` token requests. */
export function mockToken(times = 1, body: object = tokenResponse) {
  return nock(tokenOrigin).post('/connect/token').times(times).reply(200, body);
}

export function graphql() {
  return nock(apiOrigin).post('/api/graphql-service');
}
