import type { RunnerConfig } from '../../config/config.js';

/** One system's request limit the overview compares usage with. */
export interface RequestLimit {
  readonly system: 'HubSpot' | 'Business NXT';
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
  /** `configured` from the service's settings, `default` when the console runs without them. */
  readonly source: 'configured' | 'default';
  /** What the limit counts and what else limits the system, and where that is documented. */
  readonly note: { readonly text: string; readonly sources: readonly string[] };
}

const hubSpotNote = {
  text: 'per app, per rolling 10 seconds (HUBSPOT_REQUESTS_PER_TEN_SECONDS: 100 by default, 190 on Professional and Enterprise, 250 with the API limit increase); HubSpot also counts requests per day, by plan (650,000 on Professional, 1,000,000 on Enterprise)',
  sources: [
    'https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines',
    'https://developers.hubspot.com/changelog/increasing-our-api-limits',
  ],
};
const businessNxtNote = {
  text: 'per access token, per minute (VISMA_REQUESTS_PER_MINUTE, 600 documented), and at most 60 requests in progress at once per company',
  sources: ['https://docs.vismasoftware.no/businessnxtapi/apireference/ratelimits/'],
};

/** The limits of both systems: the service's configured ones, or the documented defaults. */
export function requestLimits(config: RunnerConfig | undefined): readonly [RequestLimit, RequestLimit] {
  return [
    {
      system: 'HubSpot',
      limit: config?.hubspot.requestsPerTenSeconds ?? 100,
      windowSeconds: 10,
      source: config === undefined ? 'default' : 'configured',
      note: hubSpotNote,
    },
    {
      system: 'Business NXT',
      limit: config?.visma.requestsPerMinute ?? 600,
      windowSeconds: 60,
      source: config === undefined ? 'default' : 'configured',
      note: businessNxtNote,
    },
  ];
}
