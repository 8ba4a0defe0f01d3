/**
 * The bench's simulators in a process of their own (forked by simulator-link.ts): both simulators, the seeded data,
 * the edits "as a person" and the watch for each edit's value in the other system's store. The service under
 * measurement then has its process's CPU to itself, as it would in production, where HubSpot and Business NXT run
 * elsewhere. Answers the parent's requests over the IPC channel (`{id, method, params}` → `{id, result | error}`).
 */
import { admin, startWorld, type World } from '../src/e2e/cli-harness.js';
import { erpAdmin } from '../src/e2e/serve-harness.js';
import { customersData, seedErp } from './data.js';
import { type EditRequest, inParallel, linkedPairs, pause, type SimulatorStart } from './simulator-edits.js';

let world: World | null = null;
const pending = new Map<string, EditRequest>();
const arrivedAt = new Map<string, number>();
// The pending edits by the record of the other system their value goes to, and when each value was stored there.
const awaitedIn = new Map<string, EditRequest>();
const storedAt = new Map<string, number>();
const awaitedKey = (edit: EditRequest) =>
  edit.editedIn === 'hubspot' ? `erp:${edit.pair.associateNo}` : `crm:${edit.pair.companyId}`;

function watchFor(edit: EditRequest): void {
  pending.set(edit.value, edit);
  awaitedIn.set(awaitedKey(edit), edit);
}

/**
 * Notes the moment a pending edit's value is written into the other system's store, from inside each store's
 * update: the process's own work (its webhook deliveries, its answers) can hold the watch's next poll back.
 */
function noteStores(current: World): void {
  const stored = (key: string) => {
    const edit = awaitedIn.get(key);
    if (edit === undefined || !arrived(edit)) return;
    storedAt.set(edit.value, Date.now());
    awaitedIn.delete(key);
  };
  const { crm, erp } = current;
  const updateRecord = crm.store.update.bind(crm.store);
  crm.store.update = (record, properties, source) => {
    const updated = updateRecord(record, properties, source);
    stored(`crm:${updated.id}`);
    return updated;
  };
  const updateRow = erp.store.update.bind(erp.store);
  erp.store.update = (associateNo, values) => {
    const updated = updateRow(associateNo, values);
    stored(`erp:${associateNo}`);
    return updated;
  };
}
let watch: NodeJS.Timeout | null = null;

function started(): World {
  if (world === null) throw new Error('the simulators have not been started');
  return world;
}

/** Whether an edit's value shows in the other system (the address is `erp-wins`; only one side of a pair changes). */
function arrived(edit: EditRequest): boolean {
  const { crm, erp } = started();
  return edit.editedIn === 'hubspot'
    ? erp.store.rows.get(edit.pair.associateNo)?.addressLine1 === edit.value
    : crm.store.records.companies.get(edit.pair.companyId)?.properties.get('address') === edit.value;
}

function startWatch(pollMs: number): void {
  watch = setInterval(() => {
    const at = Date.now();
    for (const [value, edit] of pending) {
      if (!arrived(edit)) continue;
      arrivedAt.set(value, at);
      pending.delete(value);
    }
  }, pollMs);
}

/** One edit through the admin surface, as a person's edit in the UI; the time just before it was sent. */
async function editOne(edit: EditRequest): Promise<number> {
  const current = started();
  const [url, body] =
    edit.editedIn === 'hubspot'
      ? [`${current.crm.baseUrl}/admin/companies/${edit.pair.companyId}`, { address: edit.value }]
      : [`${erpAdmin(current)}/associates/${edit.pair.associateNo}`, { addressLine1: edit.value }];
  const editedAt = Date.now();
  watchFor(edit);
  const response = await fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) {
    pending.delete(edit.value);
    awaitedIn.delete(awaitedKey(edit));
    throw new Error(`editing "${edit.value}" (${edit.editedIn}): the simulator answered ${response.status}`);
  }
  return editedAt;
}

/**
 * The edits as two imports, one per system, sent at the same moment: HubSpot's admin batch update (its events
 * batched as HubSpot batches them) and Business NXT's many-row edit (one notification per row). Every edit's time
 * is the moment just before both were sent.
 */
async function importEdits(edits: readonly EditRequest[]): Promise<number> {
  const current = started();
  const inHubSpot = edits.filter((edit) => edit.editedIn === 'hubspot');
  const inVisma = edits.filter((edit) => edit.editedIn === 'visma-nxt');
  for (const edit of edits) watchFor(edit);
  const editedAt = Date.now();
  await Promise.all([
    inHubSpot.length === 0
      ? null
      : admin(`${current.crm.baseUrl}/admin/companies/batch/update`, 'POST', {
          inputs: inHubSpot.map((edit) => ({ id: edit.pair.companyId, properties: { address: edit.value } })),
        }),
    inVisma.length === 0
      ? null
      : admin(
          `${erpAdmin(current)}/associates`,
          'PATCH',
          inVisma.map((edit) => ({ associateNo: edit.pair.associateNo, addressLine1: edit.value })),
        ),
  ]);
  return editedAt;
}

async function waitArrived(values: readonly string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (values.some((value) => pending.has(value)) && Date.now() < deadline) await pause(20);
  return Object.fromEntries(
    values.map((value) => [
      value,
      { seenAt: arrivedAt.get(value) ?? null, storedAt: storedAt.get(value) ?? null },
    ]),
  );
}

const methods: Record<string, (params: never) => unknown> = {
  async start(params: SimulatorStart) {
    world = await startWorld({
      seed: params.seed,
      crm: { perTenSeconds: params.limits.hubspot.requests, windowMs: params.limits.hubspot.windowMs },
      erp: { requestsPerMinute: params.limits.visma.requests, maxPageSize: 500 },
    });
    seedErp(world, customersData(params.customers, params.perCustomer, params.seed));
    noteStores(world);
    startWatch(params.pollMs);
    return { env: world.env, crmBaseUrl: world.crm.baseUrl, erpAdminUrl: erpAdmin(world) };
  },
  pairs: () => linkedPairs(started()),
  stats() {
    const { crm, erp } = started();
    return {
      hubspot: crm.stats.requests,
      visma: erp.stats.requests,
      hubspotRateLimited: crm.stats.rateLimited,
      vismaRateLimited: erp.stats.rateLimited,
    };
  },
  edit: (edit: EditRequest) => editOne(edit),
  editEach: (params: { edits: EditRequest[]; senders: number }) =>
    inParallel(params.edits, params.senders, (edit) => editOne(edit)),
  importEdits: (params: { edits: EditRequest[] }) => importEdits(params.edits),
  waitArrived: (params: { values: string[]; timeoutMs: number }) =>
    waitArrived(params.values, params.timeoutMs),
  async close() {
    if (watch !== null) clearInterval(watch);
    await world?.close();
    world = null;
    setImmediate(() => process.exit(0));
    return null;
  },
};

process.on('message', (message: { id: number; method: string; params: never }) => {
  const method = methods[message.method];
  Promise.resolve()
    .then(() => {
      if (method === undefined) throw new Error(`no method ${message.method}`);
      return method(message.params);
    })
    .then(
      (result) => process.send?.({ id: message.id, result: result ?? null }),
      (error: unknown) =>
        process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
});
// The parent gone (a crash, Ctrl-C): nothing is left listening.
process.on('disconnect', () => {
  void world?.close().finally(() => process.exit(0));
});
