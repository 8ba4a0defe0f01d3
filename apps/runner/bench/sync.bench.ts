/**
 * `pnpm bench` (issue 6): the sync against both simulators with HubSpot's default limits (100 requests per 10 s,
 * search 4 per second) and Business NXT's (600 per minute), on their real time scale (no compression). Prints one
 * table and writes it to docs/PERFORMANCE.md. Seeded: the same data every run. Then the state section
 * (state.bench.ts: SQLite and PostgreSQL side by side) and the service section (service.bench.ts: `crm-sync serve`
 * with webhooks), which write their own parts of the document.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@hubspot/api-client';
import { createHubSpotClient, syncPropertyGroup, syncPropertySpecs } from '@port-service/hubspot';
import { startHubSpotSimulator } from '@port-service/simulators';
import { openRuntime, type Runtime } from '../src/commands/runtime.js';
import { startWorld, type World } from '../src/e2e/cli-harness.js';
import { runCycle } from '../src/engine/cycle.js';
import type { CycleReport } from '../src/engine/report.js';
import { createLogger } from '../src/logging/logger.js';
import { table } from '../src/output/table.js';
import { customersData, seedCrm, seedErp } from './data.js';
import { writePerformanceSection } from './performance-doc.js';
import { reportServiceBench, runServiceBench } from './service.bench.js';
import { reportStateBench, runStateBench } from './state.bench.js';

const seed = 42;
const customers = 2000;
const perCustomer = 3;
const contacts = customers * perCustomer;
const hubspotLimit = { requests: 100, windowMs: 10_000 };
const vismaLimit = { requests: 600, windowMs: 60_000 };
const schedule = 10 * 60_000;
const bin = fileURLToPath(new URL('../bin/crm-sync.js', import.meta.url));
const rows: Array<Array<string | number>> = [];
/** Requests the HubSpot simulator served to the sync, per API and version, over every world of the bench. */
const served: Record<string, number> = {};
function tallyServed(world: World): void {
  for (const [api, count] of Object.entries(world.crm.stats.byApi)) served[api] = (served[api] ?? 0) + count;
}
const logger = createLogger({ level: 'silent' });

/** The least wall time a rolling window allows for `calls` requests: the last window must open. */
function windowBound(calls: number, limit: { requests: number; windowMs: number }): number {
  return Math.max(0, Math.ceil(calls / limit.requests) - 1) * limit.windowMs;
}

const ratio = (actual: number, minimum: number) =>
  minimum === 0 ? 'n/a' : `${(actual / minimum).toFixed(2)}×`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function row(
  scenario: string,
  report: CycleReport,
  minimum: { hubspot: number; visma: number } | null,
  target: string,
): void {
  const calls = report.apiCalls;
  const bound = minimum
    ? Math.max(windowBound(minimum.hubspot, hubspotLimit), windowBound(minimum.visma, vismaLimit))
    : 0;
  rows.push([
    scenario,
    minimum
      ? `${calls.hubspot} / ${minimum.hubspot} (${ratio(calls.hubspot, minimum.hubspot)})`
      : String(calls.hubspot),
    minimum
      ? `${calls.vismaNxt} / ${minimum.visma} (${ratio(calls.vismaNxt, minimum.visma)})`
      : String(calls.vismaNxt),
    calls.hubspotRateLimited + calls.vismaNxtRateLimited,
    seconds(report.durationMs),
    bound > 0 ? `${seconds(bound)} (${ratio(report.durationMs, bound)})` : 'not binding',
    target,
  ]);
  process.stderr.write(
    `  ${scenario}: ${JSON.stringify({ calls, ms: report.durationMs, exit: report.exitCode })}\n`,
  );
}

/** Both simulators with the default limits, a clock the bench can move (a schedule's 10 minutes), the runtime. */
async function syncWorld(): Promise<{
  world: World;
  runtime: Runtime;
  cycle: (full?: boolean) => Promise<CycleReport>;
  later: () => void;
}> {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const world = await startWorld({
    seed,
    crm: {
      perTenSeconds: hubspotLimit.requests,
      windowMs: hubspotLimit.windowMs,
      searchPerSecond: 4,
      now: clock,
    },
    erp: { requestsPerMinute: vismaLimit.requests, now: () => new Date(clock()), maxPageSize: 500 },
  });
  const runtime = await openRuntime({ logLevel: 'silent' }, world.env);
  for (const type of ['companies', 'contacts'] as const)
    await runtime.clients.hubspot.properties.ensureProperties(
      type,
      syncPropertyGroup,
      syncPropertySpecs()[type],
    );
  const cycle = async (full = false) => {
    const report = await runCycle(
      { ...runtime, logger, now: () => new Date(clock()) },
      { full, dryRun: false },
    );
    if (report.exitCode === 1) throw new Error(`cycle failed: ${report.failure}`);
    return report;
  };
  return { world, runtime, cycle, later: () => (offset += schedule) };
}

async function initialSyncs(): Promise<void> {
  const data = customersData(customers, perCustomer, seed);
  const pages = (count: number, size: number) => Math.max(1, Math.ceil(count / size));

  // 1a. ERP → CRM: everything is in Business NXT, HubSpot is empty.
  {
    const { world, runtime, cycle, later } = await syncWorld();
    seedErp(world, data);
    const minimum = {
      // Both list reads (empty) and every record created in batches of 100, contacts with their company inline.
      hubspot: 2 + pages(customers, 100) + pages(contacts, 100),
      // Every row read in pages of 500.
      visma: pages(customers, 500) + pages(contacts, 500),
    };
    row(
      `initial sync ERP → CRM (${customers} customers, ${contacts} contacts)`,
      await cycle(),
      minimum,
      'calls ≤ 1.1×, wall ≤ 1.2× bound',
    );

    // 2. The cycle after (it reads the sync's own writes back: echoes) and then a cycle with no changes.
    later();
    row('next cycle (reads its own writes back)', await cycle(), null, 'writes 0');
    later();
    row('cycle with no changes', await cycle(), null, '≤ 4 calls per side');

    // 3. 1 % of the records changed on each side.
    later();
    const companies = [...world.crm.store.records.companies.values()];
    const people = [...world.crm.store.records.contacts.values()];
    for (let index = 0; index < customers / 100; index += 1) {
      const company = companies[index * 100];
      if (company) world.crm.store.update(company, { address: `Endret ${index}` });
      const contact = people[index * 100];
      if (contact)
        world.crm.store.update(contact, { phone: `+47 33 44 ${String(10 + index).padStart(2, '0')} 00` });
    }
    let edited = 2 * (customers / 100);
    const rows = [...world.erp.store.rows.values()];
    for (let index = 0; index < (customers + contacts) / 100; index += 1) {
      const row = rows[index * 100 + 50];
      if (row) world.erp.store.update(row.associateNo, { phone: `33${String(550_000 + index)}` });
      if (row) edited += 1;
    }
    const incremental = await cycle();
    const applied = (['customer', 'contact'] as const).reduce(
      (sum, entity) =>
        sum +
        (['update-erp', 'update-crm'] as const).reduce(
          (total, kind) => total + (incremental.entities[entity].applied[kind] ?? 0),
          0,
        ),
      0,
    );
    row(
      'incremental, 1 % changed on each side',
      incremental,
      null,
      `${applied} updates applied for ${edited} edits`,
    );
    await runtime.close();
    tallyServed(world);
    await world.close();
  }

  // 1b. CRM → ERP: everything is in HubSpot, Business NXT is empty.
  {
    const { world, runtime, cycle } = await syncWorld();
    seedCrm(world, data);
    const minimum = {
      // Every record listed (100 per page) and its ERP numbers written back in batches of 100.
      hubspot: 2 * (pages(customers, 100) + pages(contacts, 100)),
      // Two empty list reads; one duplicate check per 3,200 keys; creates of 50 rows, 32 per batch request.
      visma:
        2 +
        pages(customers, 3200) +
        pages(contacts, 3200) +
        pages(pages(customers, 50), 32) +
        pages(pages(contacts, 50), 32),
    };
    row(
      `initial sync CRM → ERP (${customers} customers, ${contacts} contacts)`,
      await cycle(),
      minimum,
      'calls ≤ 1.1×, wall ≤ 1.2× bound',
    );
    await runtime.close();
    tallyServed(world);
    await world.close();
  }
}

/** 4. A full initial cycle in its own process (the real CLI), so its peak memory is the runner's alone. */
async function memory(): Promise<void> {
  for (const count of [10_000, 20_000, 40_000]) {
    const world = await startWorld({
      seed,
      crm: { perTenSeconds: 1_000_000, windowMs: hubspotLimit.windowMs, searchPerSecond: 1000 },
      erp: { requestsPerMinute: 1_000_000, maxPageSize: 500 },
    });
    world.env.HUBSPOT_REQUESTS_PER_TEN_SECONDS = '1000000';
    world.env.VISMA_REQUESTS_PER_MINUTE = '1000000';
    const setup = spawn(process.execPath, [bin, 'setup'], { env: world.env, stdio: 'ignore' });
    await new Promise((resolve) => setup.on('close', resolve));
    seedErp(world, customersData(count, perCustomer, seed));
    const child = spawn(process.execPath, [bin, 'run', '--json'], {
      env: world.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    await new Promise((resolve) => child.on('close', resolve));
    const report = JSON.parse(out) as CycleReport;
    const pairs = report.planning.records;
    rows.push([
      `full cycle, ${count} customers / ${count * perCustomer} contacts (limits lifted)`,
      String(report.apiCalls.hubspot),
      String(report.apiCalls.vismaNxt),
      report.apiCalls.hubspotRateLimited + report.apiCalls.vismaNxtRateLimited,
      seconds(report.durationMs),
      `planner ${Math.round(pairs / (report.planning.ms / 1000))} records/s`,
      `peak RSS ${Math.round(report.peakRssBytes / 1024 / 1024)} MB`,
    ]);
    process.stderr.write(
      `  memory ${count}: ${Math.round(report.peakRssBytes / 1048576)} MB, ${report.durationMs} ms\n`,
    );
    tallyServed(world);
    await world.close();
  }
}

/** 5. The same HubSpot work with HubSpot's official SDK (README's recommended settings) and with ours. */
async function officialClient(): Promise<void> {
  const work = customersData(customers, perCustomer, seed + 1);
  const chunk = <T>(items: readonly T[], size = 100) =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
      items.slice(index * size, index * size + size),
    );
  const simulator = () =>
    startHubSpotSimulator({
      port: 0,
      host: '127.0.0.1',
      seed,
      perTenSeconds: hubspotLimit.requests,
      windowMs: hubspotLimit.windowMs,
    });

  // HubSpot's SDK: its documented limiter settings (9 per second, 6 at once) and 3 retries, batches of 100.
  const sdkSimulator = await simulator();
  const sdk = new Client({
    accessToken: sdkSimulator.accessToken,
    basePath: sdkSimulator.baseUrl,
    limiterOptions: { minTime: 1000 / 9, maxConcurrent: 6, id: 'hubspot-client-limiter' },
    numberOfApiCallRetries: 3,
  });
  const originalError = console.error;
  console.error = () => {};
  let started = performance.now();
  const sdkCompanies: string[] = [];
  for (const part of chunk(work)) {
    const created = await sdk.crm.companies.batchApi.create({
      inputs: part.map((customer) => ({
        properties: { name: customer.name, phone: `+47 ${customer.phone}` },
        associations: [],
      })),
    });
    sdkCompanies.push(...created.results.map((record) => record.id));
  }
  const people = work.flatMap((customer, index) =>
    customer.people.map((person) => ({ person, company: sdkCompanies[index] ?? '' })),
  );
  const sdkContacts: string[] = [];
  for (const part of chunk(people)) {
    const created = await sdk.crm.contacts.batchApi.create({
      inputs: part.map(({ person, company }) => ({
        properties: { firstname: person.first, lastname: person.last, email: person.email },
        associations: [
          {
            to: { id: company },
            types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }],
          },
        ],
      })),
    });
    sdkContacts.push(...created.results.map((record) => record.id));
  }
  for (const part of chunk(sdkCompanies))
    await sdk.crm.companies.batchApi.update({
      inputs: part.map((id) => ({ id, properties: { city: 'Oslo' } })),
    });
  for (const part of chunk(sdkContacts))
    await sdk.crm.contacts.batchApi.update({
      inputs: part.map((id) => ({ id, properties: { phone: '+4733000000' } })),
    });
  for (const part of chunk(sdkCompanies))
    await sdk.crm.companies.batchApi.read({
      inputs: part.map((id) => ({ id })),
      properties: ['name'],
      propertiesWithHistory: [],
    });
  for (const part of chunk(sdkContacts))
    await sdk.crm.contacts.batchApi.read({
      inputs: part.map((id) => ({ id })),
      properties: ['email'],
      propertiesWithHistory: [],
    });
  const sdkMs = performance.now() - started;
  console.error = originalError;
  const sdkStats = { ...sdkSimulator.stats };
  await sdkSimulator.close();

  // Ours: default settings.
  const ourSimulator = await simulator();
  const ours = createHubSpotClient({ accessToken: ourSimulator.accessToken, baseUrl: ourSimulator.baseUrl });
  started = performance.now();
  const companies = (
    await ours.companies.batchCreate(
      work.map((customer) => ({ properties: { name: customer.name, phone: `+47 ${customer.phone}` } })),
    )
  )
    ._unsafeUnwrap()
    .map((result) => result._unsafeUnwrap().id);
  const contactIds = (
    await ours.contacts.batchCreate(
      work.flatMap((customer, index) =>
        customer.people.map((person) => ({
          properties: { firstname: person.first, lastname: person.last, email: person.email },
          associations: [{ toId: companies[index] ?? '', typeId: 1 }],
        })),
      ),
    )
  )
    ._unsafeUnwrap()
    .map((result) => result._unsafeUnwrap().id);
  await ours.companies.batchUpdate(companies.map((id) => ({ id, properties: { city: 'Oslo' } })));
  await ours.contacts.batchUpdate(contactIds.map((id) => ({ id, properties: { phone: '+4733000000' } })));
  await ours.companies.batchRead(companies, { properties: ['name'] });
  await ours.contacts.batchRead(contactIds, { properties: ['email'] });
  const ourMs = performance.now() - started;
  const ourStats = { ...ourSimulator.stats };
  await ourSimulator.close();

  const bound = windowBound(ourStats.requests, hubspotLimit);
  for (const [name, ms, stats] of [
    ['@hubspot/api-client 13.5.0 (limiter 9/s, 3 retries)', sdkMs, sdkStats],
    ['@port-service/hubspot (defaults)', ourMs, ourStats],
  ] as const) {
    rows.push([
      `same HubSpot work: ${name}`,
      `${stats.requests}`,
      '-',
      stats.rateLimited,
      seconds(ms),
      `${seconds(bound)} (${ratio(ms, bound)})`,
      name.startsWith('@port') ? `${(sdkMs / ourMs).toFixed(2)}× faster than the SDK` : '',
    ]);
  }
}

process.stderr.write(
  'sync benchmark: seed 42, HubSpot 100 requests / 10 s and 4 searches / s, Business NXT 600 / min, time scale 1 (real windows)\n',
);
const benchStart = performance.now();
await initialSyncs();
await memory();
await officialClient();
const header = [
  'scenario',
  'HubSpot requests (/ minimum)',
  'Business NXT requests (/ minimum)',
  '429s',
  'wall time',
  'rate-limit bound (ratio)',
  'target / note',
];
// With default settings the sync speaks HubSpot's 2026-09 API only; a request on a legacy path fails the bench.
const legacy = Object.keys(served).filter((api) => /^crm\/v[34]\//u.test(api));
if (legacy.length > 0) throw new Error(`the sync called HubSpot's legacy paths: ${legacy.join(', ')}`);
const servedApis = Object.entries(served)
  .sort(([, a], [, b]) => b - a)
  .map(([api, count]) => `\`${api}\` ${count}`)
  .join(', ');
const servedLine = `HubSpot APIs the sync called, over all scenarios: ${servedApis}; none on \`/crm/v3\` or \`/crm/v4\` (the official SDK's comparison row calls those, as the SDK does).`;
const output = table(header, rows);
process.stdout.write(`${output}\n`);
process.stderr.write(`bench took ${seconds(performance.now() - benchStart)}\n`);

writePerformanceSection(
  'sync',
  [
    `Generated by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: seed ${seed}, Node ${process.version}, both simulators on loopback with HubSpot's default limits (100 requests per 10 s, 4 searches per s) and Business NXT's (600 per minute), real time scale (windows not compressed). The rate-limit bound is the least wall time a rolling window allows for the minimum number of requests: the last window must open ("not binding" when the minimum fits in one window).`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    servedLine,
  ].join('\n'),
);

// 6. The engine, the planner and the state store per record, SQLite and PostgreSQL side by side (state.bench.ts).
reportStateBench(await runStateBench());

// 7. `crm-sync serve` with webhooks: steady edits and a burst (service.bench.ts writes its own section).
reportServiceBench(await runServiceBench());
