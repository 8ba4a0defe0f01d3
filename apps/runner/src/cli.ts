import { Command, InvalidArgumentError, Option } from 'commander';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { relinkCommand } from './commands/relink.js';
import { runCommand } from './commands/run.js';
import {
  ConfigurationError,
  exitCodes,
  type GlobalOptions,
  openRuntime,
  type Runtime,
  requireBinding,
} from './commands/runtime.js';
import { setupCommand } from './commands/setup.js';
import { formatStatus, readStatus } from './commands/status.js';
import { LockHeldError } from './engine/cycle-lock.js';
import { resolveConflict } from './engine/resolve-conflict.js';
import { table } from './output/table.js';

const write = (text: string) => process.stdout.write(`${text}\n`);

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a positive whole number');
  return parsed;
}

/**
 * Runs a command with the runtime open; configuration errors (opening it, or a state bound to another account)
 * print every problem and exit 2.
 */
async function withRuntime(
  options: GlobalOptions,
  action: (runtime: Runtime) => Promise<number>,
): Promise<void> {
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(options);
    process.exitCode = await action(runtime);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(
      `crm-sync: ${error.message}\n(see docs/CONFIGURATION.md; \`crm-sync doctor\` checks a setup)\n`,
    );
    process.exitCode = exitCodes.configuration;
  } finally {
    await runtime?.close();
  }
}

const program = new Command()
  .name('crm-sync')
  .description('Keeps customers and contact persons in sync between HubSpot and Visma Business NXT.')
  .option(
    '--log-level <level>',
    'JSON log level on stderr: debug, info, warn, error (default: warn on a terminal, info otherwise)',
  )
  .option('--log-personal-data', 'log and show emails and phone numbers unmasked', false)
  .addHelpText(
    'after',
    '\nExit codes: 0 clean, 3 some records need attention, 1 the cycle failed, 2 configuration error, 75 another cycle is running.\nConfiguration: environment variables, see docs/CONFIGURATION.md.',
  );

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
const only = new Option('--only <entity>', 'sync only customers or only contacts').choices([
  'customers',
  'contacts',
]);

program
  .command('run')
  .description('run one sync cycle (incremental from the watermarks; the first cycle is full)')
  .option('--dry-run', 'plan and report, write nothing', false)
  .option('--full', 're-read everything instead of the changes since the last cycle', false)
  .addOption(only)
  .option('--json', 'print the report as JSON', false)
  .action(async (options) =>
    withRuntime(
      globals(),
      async (runtime) => (await runCommand(runtime, { ...options, ...globals() }, write)).exitCode,
    ),
  );

program
  .command('plan')
  .description('show what a cycle would do, field by field (before → after), without applying it')
  .option('--full', 'plan from everything instead of the changes since the last cycle', false)
  .addOption(only)
  .option('--json', 'print the plan as JSON', false)
  .action(async (options) =>
    withRuntime(
      globals(),
      async (runtime) => (await runCommand(runtime, { ...options, ...globals() }, write, true)).exitCode,
    ),
  );

program
  .command('status')
  .description('last runs, links, open conflicts, records with errors, watermarks (no API calls)')
  .option('--json', 'print as JSON', false)
  .action(async (options: { json: boolean }) =>
    withRuntime(globals(), async (runtime) => {
      const status = await readStatus(runtime.store);
      write(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return exitCodes.clean;
    }),
  );

const conflicts = program
  .command('conflicts')
  .description('conflicts queued for a person (fields with the manual policy)');
conflicts
  .command('list')
  .description('list open conflicts')
  .option('--json', 'print as JSON', false)
  .action(async (options: { json: boolean }) =>
    withRuntime(globals(), async (runtime) => {
      const open = await runtime.store.conflicts('open');
      if (options.json) write(JSON.stringify(open, null, 2));
      else if (open.length === 0) write('No open conflicts.');
      else
        write(
          table(
            ['id', 'entity', 'HubSpot', 'NXT actor', 'field', 'reason', 'since'],
            open.map((conflict) => [
              conflict.id,
              conflict.entity,
              conflict.crmId,
              String(conflict.associateNo),
              conflict.field,
              conflict.reason,
              conflict.createdAt,
            ]),
          ),
        );
      return exitCodes.clean;
    }),
  );
conflicts
  .command('resolve <id>')
  .description(
    "settle a conflict: take HubSpot's value (crm) or Business NXT's (erp) and write it to the other side",
  )
  .addOption(
    new Option('--take <side>', 'the side whose value wins').choices(['crm', 'erp']).makeOptionMandatory(),
  )
  .action(async (id: string, options: { take: 'crm' | 'erp' }) =>
    withRuntime(globals(), async (runtime) => {
      const conflict = (await runtime.store.conflicts('open')).find((candidate) => candidate.id === id);
      if (conflict === undefined) {
        write(`No open conflict ${id} (see \`crm-sync conflicts list\`).`);
        return exitCodes.configuration;
      }
      const binding = await requireBinding(runtime, true);
      if (binding.isErr()) {
        write(`Could not resolve ${id}: ${binding.error}`);
        return exitCodes.cycleFailed;
      }
      let resolved: Awaited<ReturnType<typeof resolveConflict>>;
      try {
        resolved = await resolveConflict(runtime, conflict, options.take);
      } catch (error) {
        if (!(error instanceof LockHeldError)) throw error;
        write(`crm-sync: ${error.message}`);
        return exitCodes.locked;
      }
      if (!resolved.ok) {
        write(
          `Could not resolve ${id}: ${typeof resolved.error === 'string' ? resolved.error : resolved.error.message}`,
        );
        return exitCodes.cycleFailed;
      }
      write(
        `Resolved ${id}: ${conflict.field} now follows ${options.take === 'crm' ? 'HubSpot' : 'Business NXT'}.`,
      );
      return exitCodes.clean;
    }),
  );

program
  .command('setup')
  .description(
    "create the sync's HubSpot custom properties (ERP customer and actor numbers, org number, company email)",
  )
  .action(async () => withRuntime(globals(), (runtime) => setupCommand(runtime, write)));

program
  .command('doctor')
  .description(
    'check configuration, the state and the account it is bound to, credentials, company access, HubSpot scopes and properties, Business NXT schema',
  )
  .action(async () => {
    process.exitCode = await doctorCommand(globals(), write);
  });

program
  .command('relink')
  .description(
    "after a lost state store: rebuild links from HubSpot's stored ERP numbers, org numbers and emails",
  )
  .option('--dry-run', 'show the links it would record', false)
  .option('--json', 'print the report as JSON', false)
  .action(async (options: { dryRun: boolean; json: boolean }) =>
    withRuntime(globals(), (runtime) => relinkCommand(runtime, options, write)),
  );

program
  .command('demo')
  .description('start both simulators with seeded data, sync, edit both sides, sync again, print the reports')
  .option('--seed <n>', 'seed for the generated data', positiveInteger, 7)
  .option('--customers <n>', 'Business NXT customers to generate', positiveInteger, 300)
  .option('--json', 'print the reports as JSON', false)
  .action(async (options: { seed: number; customers: number; json: boolean }) => {
    process.exitCode = await demoCommand({ ...globals(), ...options }, write);
  });

await program.parseAsync(process.argv);
