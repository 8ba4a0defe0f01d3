import type { SingleSignOnSettings } from '../console/auth/single-sign-on-settings.js';
import { describeBinding } from '../engine/binding.js';
import type { AlertConfig } from '../serve/alerts/index.js';
import type { Leadership } from '../serve/leadership/leadership.js';
import { createPostgresLeadership } from '../serve/leadership/postgres-leadership.js';
import { startSyncService } from '../serve/service.js';
import type { ServiceConfig } from '../serve/service-config.js';
import { stateLocationKind } from '../state/state-location.js';
import { exitCodes, type Runtime, requireBinding } from './runtime.js';

/**
 * On a PostgreSQL state, instances compete for the leadership and the state's writes carry its fence (docs/DESIGN.md
 * §5b, "Leadership"); on SQLite there is one instance, which leads (`undefined`).
 */
function leadershipFor(runtime: Runtime): Leadership | undefined {
  const { stateLocation } = runtime.config;
  if (stateLocationKind(stateLocation) !== 'postgres') return undefined;
  const leadership = createPostgresLeadership({ url: stateLocation.trim(), logger: runtime.logger });
  runtime.fenceWrites(leadership.fence);
  return leadership;
}

/**
 * `crm-sync serve`: the service runs until SIGTERM or SIGINT; then it stops accepting work, lets the run in flight
 * finish and commit, releases the lock (and the leadership) and exits 0. A second signal stops it at once (as safe
 * as a crash: intents settle interrupted creates on the next start).
 */
export async function serveCommand(
  runtime: Runtime,
  config: ServiceConfig,
  alerts: AlertConfig,
  write: (text: string) => void,
  singleSignOn: SingleSignOnSettings | null = null,
): Promise<number> {
  const binding = await requireBinding(runtime, true);
  if (binding.isErr()) {
    write(`crm-sync: ${binding.error}`);
    return exitCodes.cycleFailed;
  }
  const note = describeBinding(binding.value);
  if (note !== null) write(note);
  // After the binding check: a standby on a new database records the binding as the leader would, and both agree.
  const leadership = leadershipFor(runtime);
  const service = await startSyncService(runtime, config, { alerts, singleSignOn, leadership });
  if (leadership !== undefined)
    write(
      'crm-sync serve: the state is on PostgreSQL: this instance starts as the standby and runs cycles only while it leads',
    );
  write(
    `crm-sync serve: listening on ${service.url} (webhooks /webhooks/hubspot, /webhooks/visma-nxt; /healthz, /readyz, /metrics); Ctrl-C or SIGTERM stops it`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  runtime.logger.warn(
    { signal },
    `${signal}: no new work; finishing the run in flight, then stopping (send it again to stop at once)`,
  );
  const again = () => {
    runtime.logger.warn({ signal }, 'second signal: stopping now');
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await service.stop();
  write('crm-sync serve: stopped');
  return exitCodes.clean;
}
