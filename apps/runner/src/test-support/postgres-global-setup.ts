import type { TestProject } from 'vitest/node';
import { stopCluster } from './postgres-cluster.js';
import { postgresTestContext } from './postgres-server.js';

/**
 * Vitest global setup (https://vitest.dev/config/globalsetup): decides once per run where PostgreSQL tests get
 * their server and provides it to every test process (`inject('crmSyncPostgres')`). The throwaway cluster starts
 * only when a test asks for a database; the teardown, or the exit of this process, stops it and deletes its folder.
 */
export default function setup(project: TestProject): () => void {
  const context = postgresTestContext();
  project.provide('crmSyncPostgres', context);
  if (context.kind !== 'throwaway') return () => undefined;
  const stop = () => stopCluster(context.home);
  process.once('exit', stop);
  return () => {
    process.off('exit', stop);
    stop();
  };
}
