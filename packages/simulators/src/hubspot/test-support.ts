import { hubspotDocumentsAvailable, validateRequest, validateResponse } from '@port-service/hubspot-openapi';
import { type HubSpotSimulator, type HubSpotSimulatorOptions, startHubSpotSimulator } from './server.js';

/** What a test call answered. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read HubSpot's JSON freely
  readonly json: any;
}

export interface CallOptions {
  /** Check the answer against HubSpot's documents (default: yes, where the documents are on this machine). */
  readonly validate?: boolean;
  /** Check the request body against them too (default: no). */
  readonly validateRequest?: boolean;
  readonly token?: string;
}

/**
 * A simulator for one test, and `call` for its API: each answer is checked against HubSpot's official OpenAPI
 * documents when they are on this machine (violations collect in `violations`, for the test to assert empty).
 */
export async function startForTest(options: HubSpotSimulatorOptions = {}) {
  const simulator = await startHubSpotSimulator(options);
  const violations: string[] = [];
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    callOptions: CallOptions = {},
  ): Promise<Answer> => {
    const bare = path.split('?')[0] ?? path;
    if (hubspotDocumentsAvailable && callOptions.validateRequest && body !== undefined)
      violations.push(...validateRequest(method, bare, body));
    const response = await fetch(`${simulator.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${callOptions.token ?? simulator.accessToken}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = text === '' ? null : JSON.parse(text);
    if (hubspotDocumentsAvailable && callOptions.validate !== false && response.status !== 429)
      violations.push(...validateResponse(method, bare, response.status, json));
    return { status: response.status, headers: response.headers, json };
  };
  return { simulator, call, violations };
}

export type TestCall = Awaited<ReturnType<typeof startForTest>>['call'];
export type { HubSpotSimulator };
