import type { ActionDependencies } from '../engine/actions/action-types.js';
import type { ServiceMetrics } from '../serve/metrics.js';
import type { LoopState } from '../serve/service-loop.js';

/**
 * What `crm-sync serve` hands the console beyond the state: the engine its actions and conflict resolutions run
 * through (configuration, clients, store, API usage, logger: the service's runtime), and its live state. Without
 * it the console still shows everything the state holds, and its actions answer 501.
 */
export interface ConsoleService {
  readonly engine: ActionDependencies;
  /** The schedule: the last cycle and targeted sync, when the next incremental and full cycles are due. */
  readonly state?: Readonly<LoopState> | undefined;
  /** The service's Prometheus metrics, for the webhook deliveries counted since it started. */
  readonly metrics?: Pick<ServiceMetrics, 'registry'> | undefined;
}
