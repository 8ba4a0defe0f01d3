/**
 * The service section of `pnpm bench` (sync.bench.ts runs it after the cycles; `npx tsx bench/service.bench.ts`
 * runs it alone): `crm-sync serve` in this process against both simulators at their default limits, webhooks on;
 * the simulators run in a child process (simulator-process.ts), so the service's CPU is its own.
 * Steady edits at 60 per minute on each side, then a burst of 1,000 edits; each edit is watched for in the other
 * system's store. Seeded: the same data, pairs and values every run. Exits non-zero when an edit never arrived.
 */
import { fileURLToPath } from 'node:url';
import { table } from '../src/output/table.js';
import { writePerformanceSection } from './performance-doc.js';
import { createEditTracker, type Edit, type EditedIn, type EditTracker } from './service-edits.js';
import {
  burstMinimum,
  latencyOf,
  rateBound,
  runSummary,
  seconds,
  splitOfLatency,
  windowBound,
  writesOf,
} from './service-figures.js';
import { describeBurst, describeStart, describeSteady } from './service-notes.js';
import { profiled } from './service-profile.js';
import { createTimeline } from './service-timeline.js';
import { quiet, runsSince, servedBetween, servedRequests } from './service-usage.js';
import { type LinkedPair, type ServiceWorld, serviceLimits, startServiceWorld } from './service-world.js';
import { pause } from './simulator-edits.js';

const seed = 42;
const customers = 2000;
const perCustomer = 3;
const perMinutePerSide = 60;
// Five minutes; shorter only to try the bench out (the section then says how long it ran).
const steadySeconds = Number(process.env.CRM_SYNC_BENCH_STEADY_SECONDS ?? 300);
const burstPerSide = 500;
// Edits at the steady rate straight after the first cycle: 10 s, one HubSpot rolling window.
const startEdits = 20;
// How the burst's edits are made: `import` (default), one import per system, as 500 edits at once really arrive;
// `each`, one request per edit, `burstSenders` at a time (people editing a record each, all at once).
const burstMode = process.env.CRM_SYNC_BENCH_BURST === 'each' ? 'each' : 'import';
const burstSenders = 50;
const pollMs = 20;
const p95TargetMs = 5000;
const burstTargetRatio = 1.2;
// The burst request by request on stderr, to see where its time goes (see service-timeline.ts).
const timeline = createTimeline(process.env.CRM_SYNC_BENCH_TIMELINE === '1');

/** A phase's outcome: its edits with their arrival, what the simulators served meanwhile, the service's runs. */
interface Phase {
  readonly edits: readonly Edit[];
  readonly served: Awaited<ReturnType<typeof servedRequests>>;
  readonly runs: Awaited<ReturnType<typeof runsSince>>;
  readonly startedAt: number;
  /** When the last edit had been sent. */
  readonly sentAt: number;
}

async function measured(
  serviceWorld: ServiceWorld,
  tracker: EditTracker,
  makeEdits: () => Promise<Edit[]>,
): Promise<Phase> {
  const before = await servedRequests(serviceWorld);
  const startedAt = Date.now();
  const edits = await makeEdits();
  const sentAt = Date.now();
  await tracker.settled(edits, 300_000);
  await quiet(serviceWorld);
  const served = servedBetween(before, await servedRequests(serviceWorld));
  return { edits, served, runs: await runsSince(serviceWorld, startedAt), startedAt, sentAt };
}

/** `count` edits, one every half second alternating sides (60 a minute on each), each on a pair of its own. */
function paced(
  serviceWorld: ServiceWorld,
  tracker: EditTracker,
  pairs: readonly LinkedPair[],
  count: number,
  street: string,
) {
  const spacingMs = 60_000 / perMinutePerSide / 2;
  return measured(serviceWorld, tracker, async () => {
    const start = Date.now();
    const sent: Promise<Edit>[] = [];
    for (let index = 0; index < count; index += 1) {
      await pause(Math.max(0, start + index * spacingMs - Date.now()));
      const editedIn: EditedIn = index % 2 === 0 ? 'hubspot' : 'visma-nxt';
      sent.push(tracker.edit(editedIn, pairAt(pairs, index), `${street} ${index + 1}`));
    }
    return Promise.all(sent);
  });
}

/** 500 edits on each side at once (alternating sides), on pairs the steady phase left alone, made as `burstMode` says. */
function burst(serviceWorld: ServiceWorld, tracker: EditTracker, pairs: readonly LinkedPair[]) {
  const requests = Array.from({ length: 2 * burstPerSide }, (_, index) => ({
    editedIn: (index % 2 === 0 ? 'hubspot' : 'visma-nxt') as EditedIn,
    pair: pairAt(pairs, index),
    value: `Toppveien ${index + 1}`,
  }));
  return measured(serviceWorld, tracker, () =>
    burstMode === 'import' ? tracker.importEdits(requests) : tracker.editEach(requests, burstSenders),
  );
}

function pairAt(pairs: readonly LinkedPair[], index: number): LinkedPair {
  const pair = pairs[index];
  if (pair === undefined)
    throw new Error(`the bench needs ${index + 1} linked customers, the first cycle linked ${pairs.length}`);
  return pair;
}

const header = [
  'scenario',
  'edits arrived',
  'latency p50 / p95 / max',
  'requests per edit: HubSpot + Business NXT',
  '429s',
  'drain time / rate-limit bound (ratio)',
  'target',
];

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function latencyRows(label: string, edits: readonly Edit[], check: (p95: number) => string) {
  return (['hubspot', 'visma-nxt'] as const).map((editedIn) => {
    const latency = latencyOf(edits.filter((edit) => edit.editedIn === editedIn));
    return [
      `${label}, ${editedIn === 'hubspot' ? 'HubSpot → Business NXT' : 'Business NXT → HubSpot'}`,
      `${latency.arrived} / ${latency.edits}`,
      `${seconds(latency.p50)} / ${seconds(latency.p95)} / ${seconds(latency.max)}`,
      '',
      '',
      '',
      check(latency.p95),
    ];
  });
}

function totalRow(label: string, phase: Phase, drain: string, target: string) {
  const latency = latencyOf(phase.edits);
  const perEdit = (count: number) => (count / phase.edits.length).toFixed(3);
  const limited = phase.served.hubspotRateLimited + phase.served.vismaRateLimited;
  return [
    `${label}, both sides`,
    `${latency.arrived} / ${latency.edits}`,
    `${seconds(latency.p50)} / ${seconds(latency.p95)} / ${seconds(latency.max)}`,
    `${perEdit(phase.served.hubspot + phase.served.visma)} = ${perEdit(phase.served.hubspot)} + ${perEdit(phase.served.visma)}`,
    limited,
    drain,
    `${target}; 0 × 429: ${met(limited === 0)}; all arrived: ${met(latency.arrived === latency.edits)}`,
  ];
}

/** The burst's drain (first edit sent to last value seen) against the rate-limit bound of its minimum requests. */
function drainOf(phase: Phase) {
  const minimum = burstMinimum(burstPerSide, burstPerSide);
  const bound = Math.max(
    rateBound(minimum.hubspot, serviceLimits.hubspot),
    rateBound(minimum.visma, serviceLimits.visma),
  );
  const rolling = Math.max(
    windowBound(minimum.hubspot, serviceLimits.hubspot),
    windowBound(minimum.visma, serviceLimits.visma),
  );
  const arrivals = phase.edits.flatMap((edit) => (edit.arrivedAt === null ? [] : [edit.arrivedAt]));
  const drainMs =
    arrivals.length === phase.edits.length ? Math.max(...arrivals) - phase.startedAt : Number.NaN;
  // When the other system's store took the last value: the poll's lag shows against it (see simulator-process.ts).
  const stores = phase.edits.map((edit) => edit.storedAt ?? Number.NaN);
  const storedMs = Math.max(...stores) - phase.startedAt;
  return { minimum, bound, rolling, drainMs, storedMs, ratio: drainMs / bound };
}

/** The burst's moments from its start: edits sent, the runs, the last value seen, then the timeline's lines. */
function burstTimeline(phase: Phase): string[] {
  const at = (ms: number) => seconds(ms - phase.startedAt);
  const arrivals = phase.edits.map((edit) => edit.arrivedAt ?? Number.NaN);
  const stored = phase.edits.map((edit) => edit.storedAt ?? Number.NaN);
  return [
    `edits sent by ${at(phase.sentAt)}; last value stored ${at(Math.max(...stored))}, seen ${at(Math.max(...arrivals))}`,
    ...phase.runs.map(
      (run) =>
        `${run.mode} run ${at(Date.parse(run.startedAt))}–${at(Date.parse(run.finishedAt ?? ''))}: ${writesOf(run)} written`,
    ),
    ...timeline.describe(phase.startedAt),
  ];
}

export interface ServiceBenchResult {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
  readonly markdown: string;
  /** Edits that never arrived, named: the bench fails on any. */
  readonly failures: readonly string[];
}

export async function runServiceBench(): Promise<ServiceBenchResult> {
  process.stderr.write(
    `service benchmark: seed ${seed}, ${customers} customers with ${perCustomer} contacts each, steady ${steadySeconds} s at ${perMinutePerSide}/min per side, burst ${burstPerSide} per side\n`,
  );
  const serviceWorld = await startServiceWorld({ seed, customers, perCustomer, pollMs });
  const tracker = createEditTracker(serviceWorld.simulators);
  try {
    const { pairs } = serviceWorld;
    const startPhase = await paced(serviceWorld, tracker, pairs, startEdits, 'Oppstartveien');
    process.stderr.write(`  after the first cycle: ${JSON.stringify(latencyOf(startPhase.edits))}\n`);
    // The steady phase starts once the first cycle's requests have left HubSpot's rolling window.
    await pause(serviceLimits.hubspot.windowMs);
    const steadyCount = 2 * Math.round((steadySeconds * perMinutePerSide) / 60);
    const steadyPhase = await paced(serviceWorld, tracker, pairs.slice(startEdits), steadyCount, 'Jevnveien');
    process.stderr.write(`  steady: ${JSON.stringify(latencyOf(steadyPhase.edits))}\n`);
    const burstPhase = await profiled(process.env.CRM_SYNC_BENCH_PROFILE, () =>
      burst(serviceWorld, tracker, pairs.slice(startEdits + steadyCount)),
    );
    process.stderr.write(`  burst: ${JSON.stringify(latencyOf(burstPhase.edits))}\n`);
    for (const line of burstTimeline(burstPhase)) process.stderr.write(`    ${line}\n`);
    return resultOf(startPhase, steadyPhase, burstPhase);
  } finally {
    await serviceWorld.close();
  }
}

function resultOf(startPhase: Phase, steadyPhase: Phase, burstPhase: Phase): ServiceBenchResult {
  const drain = drainOf(burstPhase);
  const rows = [
    totalRow(
      `right after the first (full) cycle, ${startEdits} edits at the steady rate`,
      startPhase,
      '',
      'no target (start-up)',
    ),
    ...latencyRows(
      `steady ${perMinutePerSide}/min per side`,
      steadyPhase.edits,
      (p95) => `p95 < 5 s: ${met(p95 < p95TargetMs)}`,
    ),
    totalRow(
      `steady ${perMinutePerSide}/min per side`,
      steadyPhase,
      '',
      `p95 < 5 s: ${met(latencyOf(steadyPhase.edits).p95 < p95TargetMs)}`,
    ),
    ...latencyRows(`burst of ${2 * burstPerSide}`, burstPhase.edits, () => ''),
    totalRow(
      `burst of ${2 * burstPerSide}`,
      burstPhase,
      `${seconds(drain.drainMs)} / ${seconds(drain.bound)} (${drain.ratio.toFixed(2)}×)`,
      `drain ≤ ${burstTargetRatio}× bound: ${met(drain.ratio <= burstTargetRatio)}`,
    ),
  ];
  const failures = [...startPhase.edits, ...steadyPhase.edits, ...burstPhase.edits]
    .filter((edit) => edit.arrivedAt === null)
    .map(
      (edit) =>
        `the address "${edit.value}" edited in ${edit.editedIn === 'hubspot' ? `HubSpot company ${edit.pair.companyId}` : `Business NXT associate ${edit.pair.associateNo}`} never arrived in the other system`,
    );
  const notes = [
    ...describeStart({ runs: runSummary(startPhase.runs), latency: latencyOf(startPhase.edits) }),
    ...describeSteady({
      served: steadyPhase.served,
      runs: runSummary(steadyPhase.runs),
      split: splitOfLatency(steadyPhase.edits, steadyPhase.runs, pollMs),
    }),
    ...describeBurst({
      served: burstPhase.served,
      drain,
      sentMs: burstPhase.sentAt - burstPhase.startedAt,
      runs: burstPhase.runs,
      startedAt: burstPhase.startedAt,
      split: splitOfLatency(burstPhase.edits, burstPhase.runs, pollMs),
      limits: serviceLimits,
    }),
  ];
  const markdown = [
    `Generated by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: seed ${seed}, Node ${process.version}, ${customers} customers with ${perCustomer} contacts each seeded in Business NXT and linked by the service's first cycle; HubSpot 100 requests per 10 s (search 5 per s), Business NXT 600 per minute (the simulators' defaults), real time scale. First ${startEdits} edits at the steady rate straight after the service's first cycle; then, one HubSpot window later, the steady phase: ${steadySeconds} s, one edit every ${60 / perMinutePerSide / 2} s alternating sides. Burst: ${burstPerSide} edits in HubSpot and ${burstPerSide} in Business NXT, ${burstMode === 'import' ? "made as one import per system, sent together: HubSpot's admin batch update, whose events reach the service batched as HubSpot batches them (up to 100 a request, at most 10 requests in flight: https://developers.hubspot.com/docs/api/webhooks), and a Business NXT edit of many rows, one notification per row" : `each edit its own request, ${burstSenders} at a time`}. Both simulators run in a process of their own (the bench's child process), the service in the bench's. Each edit changes one customer's street address on one side (each on a customer of its own, a value of its own); its latency runs from just before the edit is sent to the first ${pollMs} ms poll that sees the value in the other simulator's store.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...notes.map((note) => `- ${note}`),
    ...(failures.length > 0
      ? ['', `**FAILED: ${failures.length} edits never arrived.** ${failures.slice(0, 5).join('; ')}`]
      : []),
  ].join('\n');
  return { header, rows, markdown, failures };
}

/** Prints the table, writes the section and fails the process when an edit never arrived. */
export function reportServiceBench(result: ServiceBenchResult): void {
  process.stdout.write(`${table(result.header, result.rows)}\n`);
  writePerformanceSection('service', result.markdown);
  if (result.failures.length === 0) return;
  process.stderr.write(
    `service benchmark FAILED:\n${result.failures.map((line) => `  ${line}`).join('\n')}\n`,
  );
  process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  reportServiceBench(await runServiceBench());
