import { afterEach, expect, it } from 'vitest';
import { convergenceProblems } from '../reliability/convergence.js';
import { cli, finished, run, spawnCli, startWorld, type World } from './cli-harness.js';
import { waitFor, within } from './deadline.js';

// SIGINT (Ctrl-C) and SIGTERM stop a run cleanly: the work in flight is committed, the run is recorded as
// interrupted, the lock is released, the report is printed, and the exit code says which signal it was. A rerun
// completes everything, including the contact persons a first sync had not reached.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const cases = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

it.each(cases)(
  '%s during a first sync stops cleanly, and the rerun completes it',
  async (signal, code) => {
    world = await startWorld({
      customers: 60,
      companies: 10,
      seed: 51,
      crm: { responseDelayMs: 15 },
      erp: { responseDelayMs: 15 },
    });
    const w = world;
    expect((await cli(w, ['setup'])).code).toBe(0);
    const before = w.crm.stats.requests;
    const child = spawnCli(w, ['run']);
    const done = finished(child);
    // Into the cycle: past the account check and the property check, while companies are being created.
    await waitFor(
      () => w.crm.stats.requests >= before + 6 || child.exitCode !== null,
      'the run to reach its cycle',
      60_000,
      5,
    );
    child.kill(signal);
    // It finishes the slice in flight: seconds, far less than this.
    const stopped = await within(done, `the run stopped by ${signal}`, 60_000, child);
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(code);
    expect(stopped.stdout).toContain(`exit ${code} (stopped by ${signal})`);
    expect(stopped.stdout).toContain(`INTERRUPTED: stopped by ${signal}`);

    const status = await cli(w, ['status']);
    expect(status.stdout).toContain(`${code} interrupted (${signal})`);
    // Not everything was done, and the lock is free: the rerun starts at once and completes it.
    expect(convergenceProblems(w).length).toBeGreaterThan(0);
    const rerun = await run(w);
    expect([0, 3]).toContain(rerun.code);
    expect(convergenceProblems(w)).toEqual([]);
  },
  120_000,
);
