import { runCommand } from './run.js';
import type { Runtime } from './runtime.js';

/**
 * `crm-sync relink`: a full read that only records links: by the ERP numbers HubSpot keeps (written back by the
 * sync), then organization numbers and emails, exactly as first matching does. Nothing is created or updated and
 * the watermarks stay, so the next `run` is full and merges the relinked pairs field by field.
 */
export async function relinkCommand(
  runtime: Runtime,
  options: { dryRun: boolean; json: boolean },
  write: (text: string) => void,
): Promise<number> {
  const outcome = await runCommand(
    runtime,
    { full: true, dryRun: options.dryRun, json: options.json, linkOnly: true },
    write,
  );
  return outcome.exitCode;
}
