import { editBothSides, startDemoWorld } from '../demo/scenario.js';
import { demoService } from '../demo/service-demo.js';
import { runCommand } from './run.js';
import { type GlobalOptions, openRuntime } from './runtime.js';
import { setupCommand } from './setup.js';

export interface DemoOptions extends GlobalOptions {
  readonly seed: number;
  readonly customers: number;
  readonly json?: boolean | undefined;
  /** Keep `serve` running after the demo, until Ctrl-C. */
  readonly serve?: boolean | undefined;
}

/**
 * `crm-sync demo`: both simulators on loopback with seeded data, `setup`, a first (full) cycle, edits on both
 * sides, an incremental cycle, both reports, then `serve` for a moment with webhooks on, and everything stopped.
 * No credentials, no network.
 */
export async function demoCommand(options: DemoOptions, write: (text: string) => void): Promise<number> {
  const world = await startDemoWorld(options.seed, options.customers);
  const heading = (text: string) => {
    if (!options.json) write(`\n=== ${text} ===\n`);
  };
  try {
    heading(
      `Simulators: HubSpot ${world.crm.baseUrl} (${world.crm.store.records.companies.size} companies), Business NXT ${world.erp.graphqlUrl} (${world.erp.store.rows.size} associates)`,
    );
    const runtime = await openRuntime(options, world.env);
    try {
      heading('crm-sync setup');
      const setup = await setupCommand(runtime, options.json ? () => {} : write);
      if (setup !== 0) return setup;
      heading('crm-sync run  (first cycle: full)');
      const first = await runCommand(runtime, { json: options.json }, write);
      heading('Edits on both sides');
      const edits = await editBothSides(world);
      if (!options.json) for (const edit of edits) write(`  - ${edit}`);
      heading('crm-sync run  (incremental)');
      const second = await runCommand(runtime, { json: options.json }, write);
      heading('crm-sync run  (nothing changed: plans no writes)');
      const third = await runCommand(runtime, { json: options.json }, write);
      if (!options.json) {
        heading('crm-sync serve  (webhooks on: a change reaches the other side within seconds)');
        await demoService(runtime, world, write, { keepServing: options.serve });
      }
      heading('APIs the simulators served');
      if (!options.json) write(`  HubSpot: ${servedApis(world.crm.stats.byApi)}`);
      // The demo ends clean if the cycles ran; records needing attention (exit 3) are part of the story.
      const worst = Math.max(
        first.exitCode === 3 ? 0 : first.exitCode,
        second.exitCode === 3 ? 0 : second.exitCode,
        third.exitCode === 3 ? 0 : third.exitCode,
      );
      return worst;
    } finally {
      await runtime.close();
    }
  } finally {
    await world.close();
  }
}

/** `crm/objects/2026-09 812, crm/associations/2026-09 40, …`: the API families and versions, busiest first. */
function servedApis(byApi: Readonly<Record<string, number>>): string {
  return Object.entries(byApi)
    .sort(([, a], [, b]) => b - a)
    .map(([api, count]) => `${api} ${count}`)
    .join(', ');
}
