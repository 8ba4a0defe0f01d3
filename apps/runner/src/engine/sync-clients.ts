import { createHubSpotClient, type HubSpotClient } from '@port-service/hubspot';
import { createVismaNxtClient, type VismaNxtClient } from '@port-service/visma-nxt';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import type { ApiUsage } from './api-usage.js';

export interface SyncClients {
  readonly hubspot: HubSpotClient;
  readonly visma: VismaNxtClient;
}

/** Both clients from the configuration, counting every request into `usage` and logging retries. */
export function createSyncClients(config: RunnerConfig, usage: ApiUsage, logger: Logger): SyncClients {
  const hubspot = createHubSpotClient({
    accessToken: config.hubspot.accessToken,
    baseUrl: config.hubspot.baseUrl,
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
    clientId: config.visma.clientId,
    clientSecret: config.visma.clientSecret,
    companyNo: config.visma.companyNo,
    tenantId: config.visma.tenantId,
    tokenUrl: config.visma.tokenUrl,
    graphqlUrl: config.visma.graphqlUrl,
    customerNumbers: config.visma.customerNumbers,
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
