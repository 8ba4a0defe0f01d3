import { expect } from 'vitest';
import { actionKinds } from '../console/actions/action-kinds.js';
import { type Answer, TestBrowser } from '../console/test-browser.js';
import { addUser, consoleApp, testPassword } from '../console/test-console.js';
import { type ActionWorld, linkedCustomer, startActionWorld } from '../engine/actions/action-world.js';
import { excludeRecord } from '../engine/actions/exclude-record.js';

// For the console security suite: both simulators and the real engine behind the console (so an operator route
// that let a request through would really write), a state holding one of everything an operator can act on, the
// console's routes as the app itself lists them, and a form for each that would change something if accepted.

/** Personal data seeded into a held record's message: a viewer must never see these unmasked. */
export const seededEmail = 'kari.nordmann@example.no';
export const seededPhone = '+47 912 34 567';

/** Two HubSpot leads with a Business NXT customer of the same name and postal code each: candidate pairs. */
const candidateNames = [
  { crm: 'FJORDBRIS BAKERI', erp: 'Fjordbris Bakeri AS', zip: '0150' },
  { crm: 'NORDLYS SYKKEL', erp: 'Nordlys Sykkel AS', zip: '9008' },
] as const;

export interface SecurityWorld {
  readonly w: ActionWorld;
  readonly app: ReturnType<typeof consoleApp>;
  /** The console's clock, which the suite moves to expire sessions. */
  readonly clock: { now: Date };
  readonly conflictId: string;
  readonly conflictKey: string;
  readonly runId: string;
  /** Customers by the action each one's form names. */
  readonly companies: { retry: string; exclude: string; include: string; held: string; conflict: string };
  readonly pairs: readonly { crmId: string; associateNo: number }[];
  /** Values that must appear in no anonymous answer: ids of records, runs and conflicts, personal data. */
  readonly secrets: readonly string[];
}

async function openPhoneConflictAndCandidates(w: ActionWorld) {
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const conflicted = linkedCustomer(w.world, 0);
  w.world.crm.store.update(conflicted.company, { phone: '+47 33 11 11 11' });
  w.world.erp.store.update(conflicted.row.associateNo, { phone: '33222222' });
  const leads = candidateNames.map((names) =>
    w.world.crm.store.create('companies', {
      name: names.crm,
      zip: names.zip,
      country: 'Norway',
      lifecyclestage: 'lead',
    }),
  );
  expect((await w.cycle(false)).exitCode).toBe(0);
  w.later();
  const pairs = candidateNames.map((names, index) => {
    const associateNo = w.world.erp.store.nextAssociateNo();
    w.world.erp.store.insert({
      associateNo,
      customerNo: w.world.erp.store.nextCustomerNo(),
      name: names.erp,
      postCode: names.zip,
      countryNo: 47,
    });
    return { crmId: leads[index]?.id ?? '', associateNo };
  });
  const report = await w.cycle(false);
  for (const pair of pairs)
    expect(report.items).toContainEqual(
      expect.objectContaining({ outcome: 'candidates', crmId: pair.crmId }),
    );
  w.later();
  return { conflicted, pairs };
}

/** The resolve form's key, as the operator's preview page carries it. */
async function resolveKey(app: SecurityWorld['app'], conflictId: string): Promise<string> {
  const browser = new TestBrowser(app);
  const form = await browser.get('/login');
  const login = TestBrowser.field(form.text, 'csrf_token') ?? '';
  await browser.post('/login', { csrf_token: login, name: 'setup', password: testPassword });
  const preview = await browser.get(`/conflicts/${conflictId}/resolve?take=crm`);
  expect(preview.status, preview.text).toBe(200);
  return (TestBrowser.field(preview.text, 'key') ?? '').replaceAll('&quot;', '"');
}

export async function startSecurityWorld(): Promise<SecurityWorld> {
  const w = await startActionWorld({
    customers: 6,
    companies: 3,
    seed: 12,
    policy: { customers: { fields: { phone: { policy: 'manual' } } } },
  });
  const { conflicted, pairs } = await openPhoneConflictAndCandidates(w);
  const store = w.runtime.store;
  const [conflict] = await store.conflicts('open');
  const [run] = await store.runs(1);
  if (conflict === undefined || run === undefined)
    throw new Error('the setup opened no conflict or ran no cycle');
  const companies = {
    conflict: conflicted.company.id,
    retry: linkedCustomer(w.world, 1).company.id,
    exclude: linkedCustomer(w.world, 2).company.id,
    include: linkedCustomer(w.world, 3).company.id,
    held: linkedCustomer(w.world, 4).company.id,
  };
  // A retry has something to write; an include has an exclusion to end.
  w.world.crm.store.update(linkedCustomer(w.world, 1).company, { city: 'Hvitsten' });
  const included = { entity: 'customer', system: 'hubspot', id: companies.include } as const;
  expect((await excludeRecord(w.dependencies, 'setup', included, 'seeded by the suite')).kind).toBe('done');
  await store.recordError({
    entity: 'customer',
    system: 'hubspot',
    recordId: companies.held,
    field: 'email',
    rule: 'email-format',
    message: `email ${seededEmail} (phone ${seededPhone}) is not an address Business NXT takes`,
    seenAt: w.now().toISOString(),
    fixIn: 'hubspot',
  });
  const clock = { now: w.now() };
  const app = consoleApp(store, {
    now: () => clock.now,
    service: { engine: w.dependencies },
    clientAddress: (context) => context.req.header('x-test-client') ?? '192.0.2.1',
  });
  await addUser(store, 'setup', 'operator');
  const conflictKey = await resolveKey(app, conflict.id);
  const secrets = [seededEmail, seededPhone, conflict.id, run.id, ...Object.values(companies)];
  return { w, app, clock, conflictId: conflict.id, conflictKey, runId: run.id, companies, pairs, secrets };
}

/** One route as the app lists it (`app.routes`), and the concrete paths that stand for it. */
export interface ConsoleRoute {
  readonly method: 'GET' | 'POST';
  readonly pattern: string;
  readonly paths: readonly string[];
}

/** Plausible values for a path parameter, by the segment before it (`runs/:id`) or its name alone. */
function parameterValues(world: SecurityWorld, previous: string, name: string, pattern: string): string[] {
  const byPlace: Record<string, string[]> = {
    'actions/:kind': Object.keys(actionKinds),
    'conflicts/:id': [world.conflictId],
    'runs/:id': [world.runId],
    'records/:entity': ['customer'],
    ':entity/:system': ['hubspot'],
    ':system/:id': [world.companies.held],
  };
  const values = byPlace[`${previous}/${name}`];
  if (values === undefined)
    throw new Error(`route ${pattern}: no plausible value for its parameter ${name}: add one to this suite`);
  return values;
}

function concretePaths(world: SecurityWorld, pattern: string): string[] {
  const segments = pattern.split('/').slice(1);
  let paths = [''];
  segments.forEach((segment, index) => {
    const values = segment.startsWith(':')
      ? parameterValues(world, segments[index - 1] ?? '', segment, pattern)
      : [segment];
    paths = paths.flatMap((path) => values.map((value) => `${path}/${value}`));
  });
  return paths.map((path) => (path === '' ? '/' : path));
}

/** Every GET and POST route of the console app (middleware, listed as ALL, is left out), with concrete paths. */
export function consoleRouteList(world: SecurityWorld): ConsoleRoute[] {
  const seen = new Set<string>();
  const routes: ConsoleRoute[] = [];
  for (const route of world.app.routes) {
    if (route.method !== 'GET' && route.method !== 'POST') {
      if (route.method !== 'ALL')
        throw new Error(`route ${route.method} ${route.path}: a method this suite does not try`);
      continue;
    }
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, pattern: route.path, paths: concretePaths(world, route.path) });
  }
  return routes;
}

/** What a form posted to `path` carries besides the token: what would change something if it were accepted. */
export function formFor(world: SecurityWorld, path: string): Record<string, string> {
  const customer = (id: string) => ({ entity: 'customer', system: 'hubspot', id, back: '/attention' });
  const [linked, separated] = world.pairs;
  const pair = (which: typeof linked) => ({
    crmId: which?.crmId ?? '',
    associateNo: String(which?.associateNo),
  });
  const forms: Record<string, Record<string, string>> = {
    '/actions/retry': customer(world.companies.retry),
    '/actions/exclude': { ...customer(world.companies.exclude), reason: 'asked by nobody' },
    '/actions/include': customer(world.companies.include),
    '/actions/link': pair(linked),
    '/actions/separate': pair(separated),
    [`/conflicts/${world.conflictId}/resolve`]: { take: 'crm', key: world.conflictKey },
  };
  return forms[path] ?? {};
}

/** A GET path with the form's fields as its query (an action's or a resolution's preview). */
export function withQuery(world: SecurityWorld, path: string): string {
  const query = new URLSearchParams(formFor(world, path)).toString();
  return query === '' ? path : `${path}?${query}`;
}

/**
 * Everything a request could change: the state (audit log, exclusions, conflicts, held records, separated pairs,
 * links, runs, accounts) and both simulators' records.
 */
export async function snapshot(world: SecurityWorld): Promise<string> {
  const store = world.w.runtime.store;
  const records = world.w.world.crm.store.records;
  const hubspot = (['companies', 'contacts'] as const).map((type) =>
    [...records[type].values()].map((record) => [record.id, record.archived, [...record.properties]]),
  );
  return JSON.stringify({
    audit: await store.auditLog({ limit: 10_000 }),
    exclusions: await store.exclusions(),
    conflicts: await store.conflicts('all'),
    errors: await store.errors(),
    separated: await store.separatedPairs('customer'),
    links: await store.allLinks('customer', null, 10_000),
    runs: (await store.runs(10_000)).map((run) => run.id),
    users: await store.consoleUsers(),
    hubspot,
    erp: [...world.w.world.erp.store.rows.values()],
  });
}

/** The requests the suite sends, and what became of those that had to be refused. */
export class SecurityTally {
  requests = 0;
  readonly refused = new Map<string, number>();
  readonly accepted: string[] = [];

  /** The app, counting each request sent to it. */
  counting(app: SecurityWorld['app']) {
    return {
      request: (url: string, init: RequestInit) => {
        this.requests += 1;
        return app.request(url, init);
      },
    };
  }

  /** Counts `answer` refused under `kind` when `refused` holds, else records it as accepted wrongly. */
  expectRefused(kind: string, what: string, answer: Answer, refused: boolean): void {
    if (refused) this.refused.set(kind, (this.refused.get(kind) ?? 0) + 1);
    else this.accepted.push(`${kind}: ${what} answered ${answer.status}`);
  }

  refusedTotal(): number {
    return [...this.refused.values()].reduce((sum, count) => sum + count, 0);
  }
}
