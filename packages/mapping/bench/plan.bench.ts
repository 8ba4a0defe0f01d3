/**
 * Planner throughput (docs/DESIGN.md §6: ≥ 100,000 record pairs per second on one core). Plans 100,000 linked customer
 * pairs, seeded and repeatable: the steady state (fingerprints stored, 1 % changed on each side) and a first
 * link (no fingerprints yet). Prints one table; run with `pnpm --filter @port-service/mapping bench`.
 */
import { defaultSyncPolicy, type LinkState, planSync, writeKinds } from '../dist/index.js';
import { generatePair, seededRandom } from './generate.js';
import { replaceSection } from './write-docs.js';

const pairs = Number(process.env.BENCH_PAIRS ?? 100_000);
const seed = Number(process.env.BENCH_SEED ?? 42);
const rounds = 7;
const fingerprintKey = 'benchmark-fingerprint-key';
const policy = defaultSyncPolicy();

const random = seededRandom(seed);
const generated = Array.from({ length: pairs }, (_, index) => generatePair(random, index));
// Through JSON, as the clients hand records over: same object shapes as in production.
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const companies = viaJson(generated.map((pair) => pair.company));
const customers = viaJson(generated.map((pair) => pair.associate));
const bareLinks: LinkState[] = generated.map((pair) => ({
  crmId: pair.company.id,
  associateNo: pair.associate.associateNo,
  fingerprints: {},
}));

const pageSize = 1_000;

function input(
  links: readonly LinkState[],
  hubspotCompanies = companies,
  erpCustomers = customers,
  from = 0,
  to = pairs,
) {
  return {
    hubspot: { companies: hubspotCompanies.slice(from, to), contacts: [] },
    erp: { customers: erpCustomers.slice(from, to), contactPersons: [] },
    links: { customers: links.slice(from, to), contacts: [] },
    policy,
    fingerprintKey,
  };
}

/** Plans all pairs page by page, as the runner streams them; returns the number of writes planned. */
function planPaged(
  links: readonly LinkState[],
  hubspotCompanies = companies,
  erpCustomers = customers,
): number {
  let writes = 0;
  for (let from = 0; from < pairs; from += pageSize) {
    const plan = planSync(input(links, hubspotCompanies, erpCustomers, from, from + pageSize));
    writes += plan.operations.filter((operation) => writeKinds.has(operation.kind)).length;
  }
  return writes;
}

// The state after a first sync: every link holds the fingerprints its baseline operation gave it.
const firstPlan = planSync(input(bareLinks));
const printsByCrmId = new Map<string, Record<string, string>>();
for (const operation of firstPlan.operations) {
  if (operation.kind === 'baseline') printsByCrmId.set(operation.crmId, { ...operation.fingerprints });
}
const syncedLinks = bareLinks.map((link) => ({ ...link, fingerprints: printsByCrmId.get(link.crmId) ?? {} }));

// 1 % edited in HubSpot (phone), another 1 % in Business NXT (address).
const editedCompanies = viaJson(
  companies.map((company, index) =>
    index % 100 === 0 ? { ...company, properties: { ...company.properties, phone: '+4733123456' } } : company,
  ),
);
const editedCustomers = viaJson(
  customers.map((customer, index) =>
    index % 100 === 50 ? { ...customer, addressLine1: 'Storgata 1' } : customer,
  ),
);

function measure(label: string, run: () => number) {
  const times: number[] = [];
  let writes = run();
  for (let round = 0; round < rounds; round += 1) {
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    writes = run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  return {
    scenario: label,
    pairs,
    'median ms': Math.round(median),
    'pairs/s': Math.round(pairs / (median / 1000)),
    'vs 100k/s target': `${(pairs / (median / 1000) / 100_000).toFixed(2)}×`,
    'writes planned': writes,
  };
}

const writesOf = (plan: ReturnType<typeof planSync>) =>
  plan.operations.filter((operation) => writeKinds.has(operation.kind)).length;

const rows = [
  measure('no change, pages of 1,000', () => planPaged(syncedLinks)),
  measure('1 % changed each side, pages of 1,000', () =>
    planPaged(syncedLinks, editedCompanies, editedCustomers),
  ),
  measure('first link (no fingerprints), pages of 1,000', () => planPaged(bareLinks)),
  measure('no change, one call of all pairs', () => writesOf(planSync(input(syncedLinks)))),
];
console.log(
  `planner benchmark: seed ${seed}, median of ${rounds} rounds, node ${process.version}, one core; the runner plans in pages`,
);
console.table(rows);
const heapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
console.log(
  `heap used after the runs: ${heapMb} MiB (the benchmark holds all ${pairs} input pairs in memory)`,
);

// Full runs record their figures in docs/PERFORMANCE.md (a smaller BENCH_PAIRS run is a try-out and does not).
if (pairs === 100_000) {
  const columns = Object.keys(rows[0] ?? {});
  const table = [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${Object.values(row).join(' | ')} |`),
  ].join('\n');
  const section = [
    `Generated by \`pnpm --filter @port-service/mapping bench\` on ${new Date().toISOString().slice(0, 10)}: seed ${seed},`,
    `median of ${rounds} rounds, Node ${process.version}, one core of this project's 2-core machine (shared, so`,
    'expect ±15 % between runs). Inputs pass through JSON, as the clients deliver them.',
    '',
    table,
  ].join('\n');
  replaceSection(new URL('../../../docs/PERFORMANCE.md', import.meta.url), 'planner', section);
  console.log('written to docs/PERFORMANCE.md');
}
