import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { openRuntime, type Runtime } from '../commands/runtime.js';
import { startWorld, type World } from '../e2e/cli-harness.js';
import { type CycleOptions, runCycle } from '../engine/cycle.js';
import { runTargetedSync, type TargetedRecords } from '../engine/targeted-sync.js';
import { createLogger } from '../logging/logger.js';

const logger = createLogger({ level: 'silent' });

/**
 * Both simulators and an in-process runtime with the real clients, on a clock that moves 10 minutes at a time as a
 * schedule's would (so HubSpot's look-back does not re-read the last cycle's writes). Close it after each test.
 */
export async function startScheduledWorld(options: {
  customers: number;
  companies: number;
  seed: number;
  policy?: Record<string, unknown>;
  /** How far each system's clock is ahead of the runner's (negative: behind). */
  skewMs?: { hubspot?: number; erp?: number };
  /** How long HubSpot's search takes to show a write (its index lag). Default 0. */
  searchLagMs?: number;
  /** The runner's clock at the start (epoch ms), e.g. a night the clocks change. Default: the real time. */
  startAt?: number;
}) {
  let offset = options.startAt === undefined ? 0 : options.startAt - Date.now();
  const clock = () => Date.now() + offset;
  const crmClock = () => clock() + (options.skewMs?.hubspot ?? 0);
  const erpClock = () => clock() + (options.skewMs?.erp ?? 0);
  const world: World = await startWorld({
    customers: options.customers,
    companies: options.companies,
    seed: options.seed,
    crm: { now: crmClock, searchLagMs: options.searchLagMs ?? 0 },
    erp: { now: () => new Date(erpClock()) },
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
  const runtime: Runtime = await openRuntime({ logLevel: 'silent' }, world.env);
  for (const type of ['companies', 'contacts'] as const)
    await runtime.clients.hubspot.properties.ensureProperties(
      type,
      syncPropertyGroup,
      syncPropertySpecs()[type],
    );
  return {
    world,
    runtime,
    /** Moves every clock on, by 10 minutes unless told. */
    later: (ms = 10 * 60_000) => {
      offset += ms;
    },
    cycle: (full: boolean, more: Partial<CycleOptions> = {}) =>
      runCycle({ ...runtime, logger, now: () => new Date(clock()) }, { full, dryRun: false, ...more }),
    /** A targeted sync of these records (what `serve` runs for webhook events). */
    targeted: (targets: Partial<TargetedRecords['crmIds']> & { associateNos?: readonly number[] }) =>
      runTargetedSync(
        { ...runtime, logger, now: () => new Date(clock()) },
        {
          crmIds: { customer: targets.customer ?? [], contact: targets.contact ?? [] },
          associateNos: targets.associateNos ?? [],
        },
      ),
    async close() {
      await runtime.close();
      await world.close();
    },
  };
}

export type ScheduledWorld = Awaited<ReturnType<typeof startScheduledWorld>>;
