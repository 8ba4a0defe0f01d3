/**
 * The state section of `pnpm bench` (sync.bench.ts runs it after the cycles; `npx tsx bench/state.bench.ts` runs it
 * alone): what the engine, the planner and the state store cost per record in a full cycle, on SQLite and on
 * PostgreSQL in the same run. Both systems are held in memory (state-systems.ts), so no API time is in the figures.
 * PostgreSQL is a throwaway cluster (test-support/postgres-server.ts), made durable for the bench as a production
 * server is; without PostgreSQL the section says it was skipped and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import pg from 'pg';
import { loadConfig, type RunnerConfig } from '../src/config/config.js';
import { emptyApiUsage } from '../src/engine/api-usage.js';
import { runCycle } from '../src/engine/cycle.js';
import type { CycleReport } from '../src/engine/report.js';
import { createLogger } from '../src/logging/logger.js';
import { table } from '../src/output/table.js';
import { openMigratedStateStore } from '../src/state/open-state-store.js';
import {
  dropDatabase,
  freshDatabase,
  postgresServerUrl,
  postgresSkipReason,
  testPostgresUrlVariable,
} from '../src/test-support/postgres-server.js';
import { customersData } from './data.js';
import { writePerformanceSection } from './performance-doc.js';
import { emptyUse, postgresQueries, probedStore, type StoreUse } from './state-probe.js';
import { type MemorySystems, memorySystems } from './state-systems.js';

const seed = 42;
const customers = 2000;
const perCustomer = 3;
const records = customers * (1 + perCustomer);
// Rounds per backend, each on a new state; the figures are their medians. Fewer only to try the bench out.
const rounds = Number(process.env.CRM_SYNC_BENCH_STATE_ROUNDS ?? 3);
const logger = createLogger({ level: 'silent' });

interface Scenario {
  readonly name: string;
  /** What the scenario's cycle must have done, or why it did not do what the row claims. */
  readonly check: (report: CycleReport) => string | null;
  /** Done to the systems before the cycle, outside the measured time. */
  readonly before?: (systems: MemorySystems) => void;
}

const applied = (report: CycleReport, kind: string) =>
  (['customer', 'contact'] as const).reduce(
    (sum, entity) => sum + ((report.entities[entity].applied as Record<string, number>)[kind] ?? 0),
    0,
  );
const expect = (what: string, actual: number, wanted: number) =>
  actual === wanted ? null : `${what}: ${actual}, expected ${wanted}`;

const scenarios: readonly Scenario[] = [
  {
    name: `first cycle: ${customers} customers and ${customers * perCustomer} contacts from Business NXT created in an empty HubSpot`,
    check: (report) => expect('records created in HubSpot', applied(report, 'create-crm'), records),
  },
  {
    name: `full cycle, nothing changed (${records} linked records)`,
    check: (report) => {
      const writes = ['create-crm', 'create-erp', 'update-crm', 'update-erp', 'write-back', 'baseline'];
      return expect(
        'writes applied',
        writes.reduce((sum, kind) => sum + applied(report, kind), 0),
        0,
      );
    },
  },
  {
    name: `full cycle, every Business NXT row changed (${records} updates to HubSpot)`,
    before: (systems) => systems.editEveryRow(),
    check: (report) => expect('HubSpot records updated', applied(report, 'update-crm'), records),
  },
];

/** One cycle's cost, per record. */
interface Measure {
  readonly wallMs: number;
  readonly planningMs: number;
  readonly use: StoreUse;
  readonly queries: number;
}

interface Backend {
  readonly name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<string>;
  remove(location: string): Promise<void>;
}

const sqlite: Backend = {
  name: 'SQLite',
  async fresh() {
    return join(mkdtempSync(join(tmpdir(), 'crm-sync-state-bench-')), 'state.db');
  },
  async remove(location) {
    rmSync(dirname(location), { recursive: true, force: true });
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  fresh: () => freshDatabase({ migrated: true }),
  remove: dropDatabase,
};

function benchConfig(location: string): RunnerConfig {
  const loaded = loadConfig({
    env: {
      HUBSPOT_ACCESS_TOKEN: 'in-memory',
      VISMA_CLIENT_ID: 'in-memory',
      VISMA_CLIENT_SECRET: 'in-memory',
      VISMA_COMPANY_NO: '1',
      CRM_SYNC_STATE: location,
      CRM_SYNC_HASH_KEY: 'state-bench-fingerprint-key',
    },
    readFile: () => undefined,
    writeSecretFile: () => undefined,
    randomKey: () => 'state-bench-fingerprint-key',
  });
  if (!loaded.ok) throw new Error(`state bench: configuration refused: ${loaded.errors.join('; ')}`);
  return loaded.config;
}

/** The three scenarios in order on a new state of `backend`: one measure per scenario. */
async function round(backend: Backend): Promise<Measure[]> {
  const location = await backend.fresh();
  const config = benchConfig(location);
  let use = emptyUse();
  const store = probedStore(await openMigratedStateStore(location), () => use);
  const systems = memorySystems(
    customersData(customers, perCustomer, seed),
    config.policy,
    config.visma.timeZone,
  );
  const measures: Measure[] = [];
  try {
    for (const scenario of scenarios) {
      scenario.before?.(systems);
      use = emptyUse();
      const queriesBefore = postgresQueries();
      const started = performance.now();
      const report = await runCycle(
        { config, store, clients: systems.clients, usage: emptyApiUsage(), logger },
        { full: true, dryRun: false },
      );
      const wallMs = performance.now() - started;
      const problem =
        report.exitCode !== 0
          ? `exit code ${report.exitCode}: ${report.failure ?? JSON.stringify(report.items.slice(0, 3))}`
          : scenario.check(report);
      if (problem !== null) throw new Error(`state bench, ${backend.name}, ${scenario.name}: ${problem}`);
      measures.push({
        wallMs,
        planningMs: report.planning.ms,
        use,
        queries: postgresQueries() - queriesBefore,
      });
    }
  } finally {
    await store.close();
    await backend.remove(location);
  }
  return measures;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The round whose wall time is the median's (its breakdown goes with the figure). */
function medianRound(measures: readonly Measure[]): Measure {
  const sorted = [...measures].sort((a, b) => a.wallMs - b.wallMs);
  const found = sorted[Math.floor((sorted.length - 1) / 2)];
  if (found === undefined) throw new Error('state bench: no rounds measured');
  return found;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await postgresServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const durability = ['fsync', 'synchronous_commit', 'full_page_writes'];

/**
 * The throwaway cluster starts without durability (fast tests); the bench measures what a production server has.
 * A reload is a signal the server handles soon after, not at once: new sessions are asked until they see it.
 * https://www.postgresql.org/docs/15/runtime-config-wal.html, https://www.postgresql.org/docs/15/config-setting.html
 */
async function makeDurable(): Promise<void> {
  await onServer(async (client) => {
    for (const setting of durability) await client.query(`ALTER SYSTEM SET ${setting} = on`);
    await client.query('SELECT pg_reload_conf()');
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const shown = await onServer(async (client) => {
      const values: unknown[] = [];
      for (const name of durability) values.push((await client.query(`SHOW ${name}`)).rows[0]?.[name]);
      return values;
    });
    if (shown.every((value) => value === 'on')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`state bench: PostgreSQL did not take ${durability.join(', ')} = on after a reload`);
}

/** Where PostgreSQL runs and how durable it is, for the section's heading. */
async function describePostgres(): Promise<string> {
  const url = new URL(await postgresServerUrl());
  const external = process.env[testPostgresUrlVariable]?.trim();
  if (!external) await makeDurable();
  return onServer(async (client) => {
    const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0]?.[name] as string;
    const socket = url.hostname === '' || url.searchParams.get('host')?.startsWith('/') === true;
    const where = external
      ? `the server ${testPostgresUrlVariable} names`
      : 'a throwaway cluster this bench started on this machine (test-support/postgres-cluster.ts)';
    return `PostgreSQL ${await show('server_version')}: ${where}, reached over ${socket ? 'a Unix socket' : `loopback TCP (${url.hostname})`}; fsync ${await show('fsync')}, synchronous_commit ${await show('synchronous_commit')}`;
  });
}

function describeSqlite(): string {
  const folder = mkdtempSync(join(tmpdir(), 'crm-sync-state-bench-'));
  try {
    const db = new Database(join(folder, 'probe.db'));
    db.exec('PRAGMA journal_mode = WAL');
    const synchronous = (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
    db.close();
    const modes: Record<number, string> = { 0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA' };
    return `SQLite (libsql) in this process, a file in ${tmpdir()}, WAL, synchronous ${modes[synchronous] ?? synchronous} (the store leaves it at the library's default)`;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface StateBenchResult {
  readonly startedAt: Date;
  readonly sqlite: Measure[][];
  /** The reason instead, when PostgreSQL is not available here. */
  readonly postgres: Measure[][] | { readonly skipped: string };
  readonly setup: { readonly sqlite: string; readonly postgres: string | null };
  readonly seconds: number;
  /** The machine's 1-minute load average when the section started (other work on the shared machine shows). */
  readonly load: number;
}

/** Every round of both backends, alternating which goes first; a warm-up round on SQLite first, not counted. */
export async function runStateBench(): Promise<StateBenchResult> {
  const startedAt = new Date();
  const load = loadavg()[0] ?? 0;
  const began = performance.now();
  const skipped = postgresSkipReason();
  const setup = { sqlite: describeSqlite(), postgres: skipped === null ? await describePostgres() : null };
  process.stderr.write(
    `state bench: ${setup.sqlite}; ${setup.postgres ?? `PostgreSQL skipped: ${skipped}`}\n`,
  );
  await round(sqlite);
  const sqliteRounds: Measure[][] = [];
  const postgresRounds: Measure[][] = [];
  for (let index = 0; index < rounds; index += 1) {
    const order = skipped !== null ? [sqlite] : index % 2 === 0 ? [sqlite, postgres] : [postgres, sqlite];
    for (const backend of order) {
      const measures = await round(backend);
      (backend === sqlite ? sqliteRounds : postgresRounds).push(measures);
      process.stderr.write(
        `  ${backend.name} round ${index + 1}: ${measures.map((measure) => `${Math.round(measure.wallMs)} ms`).join(', ')}\n`,
      );
    }
  }
  return {
    startedAt,
    sqlite: sqliteRounds,
    postgres: skipped === null ? postgresRounds : { skipped },
    setup,
    seconds: (performance.now() - began) / 1000,
    load,
  };
}

const perRecord = (ms: number) => ((ms * 1000) / records).toFixed(1);
const perRecordCount = (count: number) => (count / records).toFixed(2);
const callsOf = (use: StoreUse) =>
  Object.entries(use.calls).reduce((sum, [name, count]) => (name === 'transaction' ? sum : sum + count), 0);

/** One scenario's measures across rounds, for one backend. */
const ofScenario = (byRound: readonly Measure[][], index: number) =>
  byRound.map((measures) => measures[index]).filter((measure): measure is Measure => measure !== undefined);

const both = (result: StateBenchResult, index: number) => [
  ...ofScenario(result.sqlite, index),
  ...(Array.isArray(result.postgres) ? ofScenario(result.postgres, index) : []),
];

function rows(result: StateBenchResult): string[][] {
  return scenarios.map((scenario, index) => {
    const lite = ofScenario(result.sqlite, index);
    const liteMs = median(lite.map((measure) => measure.wallMs));
    const liteRound = medianRound(lite);
    const calls = perRecordCount(callsOf(liteRound.use));
    const planner = perRecord(median(both(result, index).map((measure) => measure.planningMs)));
    if (!Array.isArray(result.postgres))
      return [
        scenario.name,
        perRecord(liteMs),
        'skipped',
        '-',
        calls,
        '-',
        `${perRecord(liteRound.use.outerMs)} / -`,
        planner,
      ];
    const post = ofScenario(result.postgres, index);
    const postMs = median(post.map((measure) => measure.wallMs));
    const postRound = medianRound(post);
    return [
      scenario.name,
      perRecord(liteMs),
      perRecord(postMs),
      `${(postMs / liteMs).toFixed(2)}×`,
      calls,
      perRecordCount(postRound.queries),
      `${perRecord(liteRound.use.outerMs)} / ${perRecord(postRound.use.outerMs)}`,
      planner,
    ];
  });
}

/** The store methods that took longest in a round: calls, queries and µs per call. */
function longestCalls(use: StoreUse, count: number, withQueries: boolean): string {
  return Object.entries(use.ms)
    .filter(([name]) => name !== 'transaction')
    .sort(([, a], [, b]) => b - a)
    .slice(0, count)
    .map(([name, ms]) => {
      const calls = use.calls[name] ?? 0;
      const queries = withQueries
        ? `, ${((use.queries[name] ?? 0) / Math.max(1, calls)).toFixed(1)} queries`
        : '';
      return `\`${name}\` ${calls} × ${((ms * 1000) / Math.max(1, calls)).toFixed(0)} µs${queries} (${perRecord(ms)} µs per record)`;
    })
    .join(', ');
}

function notes(result: StateBenchResult): string[] {
  const lines: string[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const lite = medianRound(ofScenario(result.sqlite, index)).use;
    let line = `- ${scenario.name}. SQLite: ${lite.calls.transaction ?? 0} transactions; longest calls ${longestCalls(lite, 2, false)}.`;
    if (Array.isArray(result.postgres)) {
      const round = medianRound(ofScenario(result.postgres, index));
      // Per query only where queries are what the store does (about one per record or more); a cycle of a few
      // large reads spends its store time on the rows, not on the round trips.
      const perQuery =
        round.queries >= records / 2
          ? `, ${((round.use.outerMs * 1000) / round.queries).toFixed(0)} µs in the store per query`
          : '';
      line += ` PostgreSQL: ${round.use.calls.transaction ?? 0} transactions, ${round.queries} queries (BEGIN and COMMIT included)${perQuery}; longest calls ${longestCalls(round.use, 3, true)}.`;
    }
    lines.push(line);
  }
  const walls = (byRound: readonly Measure[][]) =>
    byRound.map((measures) => measures.map((measure) => Math.round(measure.wallMs)).join('/')).join(', ');
  lines.push(
    `- Wall ms of each round, the scenarios in order: SQLite ${walls(result.sqlite)}${Array.isArray(result.postgres) ? `; PostgreSQL ${walls(result.postgres)}` : ''}. The section took ${result.seconds.toFixed(0)} s.`,
  );
  return lines;
}

export function reportStateBench(result: StateBenchResult): void {
  const header = [
    'scenario',
    'SQLite µs per record',
    'PostgreSQL µs per record',
    'PostgreSQL / SQLite',
    'state calls per record',
    'PostgreSQL queries per record',
    'in the store, µs per record: SQLite / PostgreSQL',
    'planner µs per record',
  ];
  const body = rows(result);
  process.stdout.write(`${table(header, body)}\n`);
  const postgresLine = Array.isArray(result.postgres)
    ? result.setup.postgres
    : `PostgreSQL skipped: ${result.postgres.skipped}`;
  writePerformanceSection(
    'state',
    [
      `Generated by \`pnpm bench\` on ${result.startedAt.toISOString().slice(0, 10)}: seed ${seed}, Node ${process.version}, this project's 2-core machine (shared; load average ${result.load.toFixed(1)} when the section started). ${customers} customers with ${perCustomer} contacts each (${records} records), both systems in memory (bench/state-systems.ts), one full cycle per scenario as \`crm-sync run --full\` runs it, in order on a new state; median of ${rounds} round${rounds === 1 ? '' : 's'} per backend${Array.isArray(result.postgres) ? ', the backends alternating which goes first' : ''}, after one warm-up round on SQLite. ${result.setup.sqlite}. ${postgresLine}.`,
      '',
      `| ${header.join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...body.map((cells) => `| ${cells.join(' | ')} |`),
      '',
      ...notes(result),
    ].join('\n'),
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  reportStateBench(await runStateBench());
