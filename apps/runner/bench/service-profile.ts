import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A CPU profile of this process (the service's) while `work` runs, written to `path` as a `.cpuprofile` (open it in
 * Chrome's DevTools, Performance tab): `CRM_SYNC_BENCH_PROFILE=burst.cpuprofile` profiles the burst, to see what
 * the service's one thread spends its time on. Without a path, `work` runs unprofiled.
 */
export async function profiled<T>(path: string | undefined, work: () => Promise<T>): Promise<T> {
  if (path === undefined || path === '') return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    process.stderr.write(`  the burst's CPU profile: ${path}\n`);
    session.disconnect();
  }
}
