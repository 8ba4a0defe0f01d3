import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerActionCommands } from './commands/actions.js';
import { registerConflictsCommand } from './commands/conflicts.js';
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
} from './commands/runtime.js';
import { serveCommand } from './commands/serve.js';
import { setupCommand } from './commands/setup.js';
import { registerStateCommand } from './commands/state-copy.js';
import { formatStatus, readStatus } from './commands/status.js';
import { registerUsersCommand } from './commands/users.js';
import { loadSingleSignOnSettings } from './console/auth/single-sign-on-settings.js';
import { loadAlertConfig } from './serve/alerts/index.js';
import { loadServiceConfig } from './serve/service-config.js';

// A reader that goes away early (`crm-sync doctor | head -1`) closes the pipe: the rest of the output is dropped
// quietly, and the command still finishes its work (a cycle is never cut short by it) and exits with its own code.
let stdoutOpen = true;
const closedPipe = (stream: NodeJS.WriteStream, onClosed: () => void) =>
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    onClosed();
  });
closedPipe(process.stdout, () => {
  stdoutOpen = false;
});
closedPipe(process.stderr, () => {});

/** stdout: the report, or with `--json` exactly one JSON document. Logs and progress go to stderr. */
const write = (text: string) => {
  if (stdoutOpen) process.stdout.write(`${text}\n`);
};

/** Usage errors (unknown command or option, a missing argument, a bad value) exit 2, like configuration errors. */
const usageError = exitCodes.configuration;

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

// exitOverride before any command is added, so every command inherits it: commander throws instead of exiting,
// and the end of this file turns its errors into exit code 2.
const program = new Command()
  .name('crm-sync')
  .description('Keeps customers and contact persons in sync between HubSpot and Visma Business NXT.')
  .exitOverride()
  .addOption(
    new Option(
      '--log-level <level>',
      'JSON log level on stderr (default: warn on a terminal, info otherwise)',
    ).choices(['debug', 'info', 'warn', 'error', 'silent']),
  )
  .option('--log-personal-data', 'log and show emails and phone numbers unmasked', false)
  .addHelpText(
    'after',
    '\nExit codes: 0 clean, 3 some records need attention, 1 the cycle failed, 2 configuration or usage error, 75 another cycle is running.\nOutput: the report (or with --json one JSON document) on stdout; JSON log lines and progress on stderr.\nConfiguration: environment variables, see docs/CONFIGURATION.md.',
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

program
  .command('serve')
  .description(
    'run as a service: cycles on a schedule and a nightly full one, webhooks from both systems synced within seconds, /healthz, /readyz, /metrics',
  )
  .action(async () =>
    withRuntime(globals(), async (runtime) => {
      const loaded = loadServiceConfig(process.env);
      const alerts = loadAlertConfig(process.env, undefined, {
        intervalMs: loaded.ok ? loaded.config.intervalMs : undefined,
      });
      const sso = loadSingleSignOnSettings(
        process.env,
        undefined,
        loaded.ok ? loaded.config.publicUrl : undefined,
      );
      const problems = [
        ...(loaded.ok ? [] : loaded.errors),
        ...(alerts.ok ? [] : alerts.errors),
        ...(sso.ok ? [] : sso.errors),
      ];
      if (!loaded.ok || !alerts.ok || !sso.ok) throw new ConfigurationError(problems);
      return serveCommand(runtime, loaded.config, alerts.config, write, sso.settings);
    }),
  );

registerConflictsCommand(program, { withRuntime, globals, write });
registerActionCommands(program, { withRuntime, globals, write });

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

// The operator console's accounts: only the state store is needed, not the HubSpot and Business NXT settings.
registerUsersCommand(program);
// Moving the state to PostgreSQL: only the state and its fingerprint key are needed.
registerStateCommand(program, { globals, write });

program
  .command('demo')
  .description('start both simulators with seeded data, sync, edit both sides, sync again, print the reports')
  .option('--seed <n>', 'seed for the generated data', positiveInteger, 7)
  .option('--customers <n>', 'Business NXT customers to generate', positiveInteger, 300)
  .option('--json', 'print the reports as one JSON array (one report per cycle, in order)', false)
  .option('--serve', 'keep serving (webhooks, console) after the demo, until Ctrl-C', false)
  .action(async (options: { seed: number; customers: number; json: boolean; serve: boolean }) => {
    if (!options.json) {
      process.exitCode = await demoCommand({ ...globals(), ...options }, write);
      return;
    }
    // Each cycle writes its own JSON report; stdout gets them as one document.
    const reports: unknown[] = [];
    process.exitCode = await demoCommand({ ...globals(), ...options }, (text) => {
      reports.push(JSON.parse(text));
    });
    write(JSON.stringify(reports, null, 2));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has printed the message (or the help). `--help` and `help` exit 0; every usage error exits 2.
  process.exitCode = error.exitCode === 0 ? exitCodes.clean : usageError;
}
