import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { type CliResult, cli, finished, spawnCli, startWorld, type World } from './cli-harness.js';
import { within } from './deadline.js';

// What the CLI prints where (docs/OPERATION.md, "What each command prints where"): stdout is the report, or with
// `--json` exactly one JSON document; stderr is JSON log lines, progress included, never a plain line among them.
// Usage errors exit 2, and a reader that closes the pipe early ends the output, not the command.
let world: World;
beforeAll(async () => {
  world = await startWorld({ customers: 12, companies: 8, seed: 91 });
  expect((await cli(world, ['setup'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await world?.close();
});

/** A CLI run, with a budget far above what it takes (about 1 s here), so a hang fails here and says so. */
const crmSync = (args: readonly string[], budgetMs = 45_000) =>
  within(cli(world, args), `crm-sync ${args.join(' ')}`, budgetMs);

/** Every stderr line is one JSON log entry; returns them. */
function logLines(result: CliResult): Array<Record<string, unknown>> {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  const entries: Array<Record<string, unknown>> = [];
  for (const line of lines) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new Error(`a stderr line is not a JSON log line: ${JSON.stringify(line)}`);
    }
    expect(entry).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    entries.push(entry as Record<string, unknown>);
  }
  return entries;
}

/** stdout is exactly one JSON document. */
function jsonDocument(result: CliResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

describe('--json', () => {
  // In this order: a plan on a state not bound yet, the first run, then the rest on a bound state.
  const commands: ReadonlyArray<readonly string[]> = [
    ['plan', '--json'],
    ['run', '--dry-run', '--json'],
    ['run', '--json'],
    ['plan', '--full', '--json'],
    ['run', '--full', '--only', 'customers', '--json'],
    ['status', '--json'],
    ['conflicts', 'list', '--json'],
    ['relink', '--dry-run', '--json'],
    ['relink', '--json'],
  ];

  it.each(commands.map((args) => [args.join(' '), args] as const))(
    'crm-sync %s prints one JSON document on stdout, and only JSON log lines on stderr, at debug level too',
    async (_, args) => {
      const result = await crmSync(['--log-level', 'debug', ...args]);
      expect([0, 3], result.stderr).toContain(result.code);
      expect(typeof jsonDocument(result)).toBe('object');
      logLines(result);
    },
    60_000,
  );

  it('crm-sync demo --json prints one JSON array: a report per cycle', async () => {
    const result = await crmSync(['demo', '--json', '--customers', '40'], 90_000);
    expect(result.code, result.stderr).toBe(0);
    const reports = jsonDocument(result) as Array<{ exitCode: number }>;
    expect(reports).toHaveLength(3);
    for (const report of reports) expect([0, 3]).toContain(report.exitCode);
    logLines(result);
  }, 120_000);
});

describe('stderr', () => {
  it('carries the progress of a cycle as JSON log lines among the others when it is not a terminal', async () => {
    const result = await crmSync(['run', '--full']);
    expect([0, 3], result.stderr).toContain(result.code);
    expect(result.stdout).toContain('crm-sync run ');
    const entries = logLines(result);
    const progress = entries.filter((entry) => entry.progress !== undefined);
    // One entry per phase at least: customers and contacts, on both sides and the links.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress[0]).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/^customers · HubSpot: \d+(\/\d+)? read$/u),
      progress: { entity: 'customer', side: 'hubspot', read: expect.any(Number) },
    });
    // The report is not on stderr, and no log line is on stdout.
    expect(result.stderr).not.toContain('crm-sync run ');
    expect(result.stdout).not.toContain('"level"');
  }, 60_000);

  it('has no progress entries when the log level is above info', async () => {
    const result = await crmSync(['--log-level', 'warn', 'run', '--full']);
    expect([0, 3], result.stderr).toContain(result.code);
    expect(logLines(result).filter((entry) => entry.progress !== undefined)).toEqual([]);
  }, 60_000);
});

describe('usage errors exit 2', () => {
  const usageErrors: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['no command', [], /Usage: crm-sync/u],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/u],
    ['an unknown option', ['run', '--frobnicate'], /unknown option '--frobnicate'/u],
    ['an unknown global option', ['--frobnicate', 'status'], /unknown option '--frobnicate'/u],
    ['a missing argument', ['conflicts', 'resolve'], /missing required argument 'id'/u],
    ['an option without its value', ['run', '--only'], /option '--only <entity>' argument missing/u],
    [
      'a value not among the choices',
      ['run', '--only', 'companies'],
      /Allowed choices are customers, contacts/u,
    ],
    ['a bad number', ['demo', '--seed', 'seven'], /expected a positive whole number/u],
    ['a bad log level', ['--log-level', 'loud', 'status'], /Allowed choices are debug, info, warn, error/u],
  ];

  it.each(usageErrors)(
    '%s',
    async (_, args, message) => {
      const result = await crmSync(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
    60_000,
  );

  it.each([[['--help']], [['run', '--help']], [['help']], [['help', 'conflicts']]])(
    'help (%j) exits 0 and prints on stdout',
    async (args) => {
      const result = await crmSync(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Usage: crm-sync');
    },
    60_000,
  );
});

describe('a reader that closes the pipe early', () => {
  it('ends the output of `crm-sync doctor | head -1` quietly, not the checks', async () => {
    const all = await crmSync(['doctor']);
    expect(all.code, all.stdout).toBe(0);
    const last = all.stdout.trimEnd().split('\n').at(-1) ?? '';

    const child = spawnCli(world, ['doctor']);
    child.stdout?.once('data', () => child.stdout?.destroy());
    const result = await within(finished(child), 'crm-sync doctor with its stdout closed', 45_000, child);
    expect(result.stdout).not.toContain(last);
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at \S/u);
  }, 120_000);

  it.each([[['status']], [['status', '--json']], [['--help']]])(
    'exits as usual when stdout is closed before anything is printed (%j)',
    async (args) => {
      const child = spawnCli(world, args);
      child.stdout?.destroy();
      const result = await within(finished(child), `crm-sync ${args.join(' ')}`, 45_000, child);
      expect(result.signal).toBeNull();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/EPIPE|\n\s+at \S/u);
    },
    60_000,
  );

  it('lets a cycle whose stdout or stderr is closed finish and record its run', async () => {
    const runs = async () => {
      const store = openSqliteStateStore(world.env.CRM_SYNC_STATE ?? '');
      try {
        return (await store.runs(1000)).filter((entry) => entry.exitCode !== null).length;
      } finally {
        await store.close();
      }
    };
    const before = await runs();
    for (const stream of ['stdout', 'stderr'] as const) {
      world.crm.store.create('companies', { name: `Lukket ${stream} AS`, lifecyclestage: 'customer' });
      const child = spawnCli(world, ['run', '--full']);
      child[stream]?.destroy();
      const result = await within(finished(child), `crm-sync run with its ${stream} closed`, 45_000, child);
      expect(result.signal).toBeNull();
      expect([0, 3], `${result.stdout}${result.stderr}`).toContain(result.code);
      if (stream === 'stderr') expect(result.stdout).toContain('crm-sync run ');
      else expect(result.stderr).not.toMatch(/EPIPE|\n\s+at \S/u);
    }
    expect(await runs()).toBe(before + 2);
  }, 120_000);
});
