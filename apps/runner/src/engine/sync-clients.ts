import { createHubSpotClient, type HubSpotClient, type HubSpotClientSettings } from '@port-service/hubspot';
import {
  createVismaNxtClient,
  type VismaNxtClient,
  type VismaNxtClientSettings,
} from '@port-service/visma-nxt';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import type { ApiUsage } from './api-usage.js';

export interface SyncClients {
  readonly hubspot: HubSpotClient;
  readonly visma: VismaNxtClient;
}

/** Client settings that benchmarks and reliability suites tune (timeouts, retry delays, limits). */
export interface ClientTuning {
  readonly hubspot?: Partial<
    Pick<HubSpotClientSettings, 'retry' | 'rateLimit' | 'timeoutMs' | 'concurrency'>
  >;
  readonly visma?: Partial<
    Pick<VismaNxtClientSettings, 'retry' | 'requestsPerMinute' | 'timeoutMs' | 'concurrency'>
  >;
}

/** Both clients from the configuration, counting every request into `usage` and logging retries. */
export function createSyncClients(
  config: RunnerConfig,
  usage: ApiUsage,
  logger: Logger,
  tuning: ClientTuning = {},
): SyncClients {
  const hubspot = createHubSpotClient({
    rateLimit: { perTenSeconds: config.hubspot.requestsPerTenSeconds, searchPerSecond: 4 },
    ...tuning.hubspot,
    accessToken: config.hubspot.accessToken,
    baseUrl: config.hubspot.baseUrl,
    apiVersion: config.hubspot.apiVersion,
    onRequest: (info) => {
      usage.hubspot += 1;
      if (info.status === 429) usage.hubspotRateLimited += 1;
      if (info.outcome !== 'ok')
        logger.debug({ side: 'hubspot', ...info }, `HubSpot ${info.method} ${info.path}: ${info.outcome}`);
    },
    onRateLimit: (info) => {
      logger.info({ side: 'hubspot', ...info }, `HubSpot rate limit (${info.policy}): waiting`);
      return true;
    },
  });
  const visma = createVismaNxtClient({
    requestsPerMinute: config.visma.requestsPerMinute,
    ...tuning.visma,
    clientId: config.visma.clientId,
    clientSecret: config.visma.clientSecret,
    companyNo: config.visma.companyNo,
    tenantId: config.visma.tenantId,
    tokenUrl: config.visma.tokenUrl,
    graphqlUrl: config.visma.graphqlUrl,
    customerNumbers: config.visma.customerNumbers,
    timeZone: config.visma.timeZone,
    fieldNames: { contactPersonForAssociateNo: config.visma.contactCustomerColumn },
    onRequest: (info) => {
      usage.vismaNxt += 1;
      if (info.status === 429) usage.vismaNxtRateLimited += 1;
      if (info.outcome !== 'ok')
        logger.debug({ side: 'visma-nxt', ...info }, `Business NXT request: ${info.outcome}`);
    },
    onWarning: (warning) => logger.warn({ side: 'visma-nxt', warning }, 'Business NXT warning'),
  });
  return { hubspot, visma };
}
