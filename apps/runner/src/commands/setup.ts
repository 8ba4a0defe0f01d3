import { syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { type Runtime, requireBinding } from './runtime.js';

/** `crm-sync setup`: creates the sync's HubSpot custom properties (ERP numbers, org number, company email). */
export async function setupCommand(runtime: Runtime, write: (text: string) => void): Promise<number> {
  // Setup records no binding (the first cycle does), but refuses a state that belongs to another account.
  const binding = await requireBinding(runtime, false);
  if (binding.isErr()) {
    write(`FAIL ${binding.error}`);
    return 1;
  }
  const specs = syncPropertySpecs(runtime.config.policy.hubspotProperties);
  let exitCode = 0;
  for (const type of ['companies', 'contacts'] as const) {
    const result = await runtime.clients.hubspot.properties.ensureProperties(
      type,
      syncPropertyGroup,
      specs[type],
    );
    if (result.isErr()) {
      write(`FAIL ${type}: ${result.error.message}`);
      exitCode = 1;
      continue;
    }
    const { created, existing, mismatched } = result.value;
    write(
      `ok   ${type}: ${created.length > 0 ? `created ${created.join(', ')}` : 'nothing to create'}${existing.length > 0 ? `; already there: ${existing.join(', ')}` : ''}`,
    );
    for (const problem of mismatched) {
      write(`FAIL ${type}.${problem.name}: ${problem.reason}`);
      exitCode = 1;
    }
  }
  return exitCode;
}
