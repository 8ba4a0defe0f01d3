import { hubSpotSimulatorAppId, seededRandom } from '@port-service/simulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { admin, run } from '../e2e/cli-harness.js';
import { erpAdmin, metric, webhookSecrets } from '../e2e/serve-harness.js';
import { convergenceProblems } from './convergence.js';
import { recordFigure } from './figures.js';
import {
  type Change,
  type ChangeKind,
  changeKinds,
  changeRecord,
  type MadeChange,
  makeChange,
  pickPair,
} from './webhook-changes.js';
import {
  duplicateRecords,
  type LinkedPair,
  linkedPairs,
  liveContacts,
  primaryCompanyOf,
  recordsWithOrg,
} from './webhook-records.js';
import {
  type Delivery,
  eventsOf,
  signedHubSpotDelivery,
  signedVismaDelivery,
  withBody,
} from './webhook-signing.js';
import {
  apiRequests,
  contactMovedDelivery,
  pendingInbox,
  quiet,
  startWebhookWorld,
  type WebhookWorld,
  waitUntil,
} from './webhook-world.js';

// Webhook deliveries (the reliability issue's webhook cases): `crm-sync serve`, the built CLI, behind a relay that
// duplicates, reorders, forges and loses the simulators' signed deliveries, and a service killed with a full inbox.
// Every invariant is read off both simulators' stores and the HTTP answers, never off the service's own records.

let context: WebhookWorld | undefined;
afterEach(async () => {
  await context?.close();
  context = undefined;
});

const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

/** The write requests each simulator got while `work` ran, the world quiet before and after. */
async function writesDuring(c: WebhookWorld, what: string, work: () => Promise<void>) {
  await quiet(c, `before ${what}`);
  const before = { hubspot: c.writes.hubspot.total, vismaNxt: c.writes.vismaNxt.total };
  await work();
  await quiet(c, `after ${what}`);
  return {
    hubspot: c.writes.hubspot.total - before.hubspot,
    vismaNxt: c.writes.vismaNxt.total - before.vismaNxt,
  };
}

/**
 * Copies of a delivery as senders repeat it: the same bytes again (HubSpot promises at-least-once delivery, Business
 * NXT retries), and for HubSpot a retry (`attemptNumber` up, signed again) and the same change under another
 * `eventId` (HubSpot does not promise that ids are unique, https://developers.hubspot.com/docs/api/webhooks).
 */
function copiesOf(c: WebhookWorld, delivery: Delivery, count: number): Delivery[] {
  const copies: Delivery[] = [];
  for (let index = 0; index < count; index += 1) {
    if (delivery.system === 'visma-nxt' || index % 3 === 0) {
      copies.push(delivery);
      continue;
    }
    const events = eventsOf(delivery).map((event) =>
      index % 3 === 1
        ? { ...event, attemptNumber: Number(event.attemptNumber ?? 0) + index }
        : { ...event, eventId: Number(event.eventId ?? 0) + 100_000 * index },
    );
    copies.push(
      signedHubSpotDelivery(JSON.stringify(events), {
        secret: webhookSecrets.hubspot,
        url: `${c.relay.url}/webhooks/hubspot`,
      }),
    );
  }
  return copies;
}

it('duplicated: every change syncs once however often its delivery comes, with no extra write', async () => {
  const rounds = 10;
  const random = seededRandom(7101);
  context = await startWebhookWorld({ customers: 10, companies: 6, seed: 71 });
  const c = context;
  const w = c.world;
  const used = new Set<number>();
  let serial = 0;
  const problems: string[] = [];
  // One control change of each kind, delivered once: what a change costs in writes.
  const cost = new Map<ChangeKind, { hubspot: number; vismaNxt: number }>();
  for (const kind of changeKinds) {
    let change: Change | undefined;
    serial += 1;
    const writes = await writesDuring(c, `the control ${kind}`, async () => {
      change = await makeChange(c, kind, random, used, serial);
      expect((await c.relay.post(change.delivery)).status).toBe(200);
      await waitUntil(`the control ${change.what} on the other side`, () => change?.arrived() === true);
    });
    expect(writes.hubspot + writes.vismaNxt, `the control ${kind} wrote nothing`).toBeGreaterThan(0);
    cost.set(kind, writes);
  }

  let deliveries = 0;
  let lateRequests = 0;
  let refused = 0;
  let extraWrites = 0;
  let duplicates = 0;
  const plan = shuffle(
    [...changeKinds, ...changeKinds, 'hubspot-edit', 'visma-edit'] as ChangeKind[],
    random,
  );
  for (const [round, kind] of plan.slice(0, rounds).entries()) {
    let change: Change | undefined;
    const copies = 3 + Math.floor(random() * 4);
    const early = 1 + Math.floor(random() * copies);
    const answers: number[] = [];
    serial += 1;
    const writes = await writesDuring(c, `round ${round + 1}`, async () => {
      change = await makeChange(c, kind, random, used, serial);
      const all = copiesOf(c, change.delivery, copies);
      // Some copies together, before the change is synced; the rest after it was.
      const first = await Promise.all(all.slice(0, early).map((copy) => c.relay.post(copy)));
      answers.push(...first.map((answer) => answer.status));
      await waitUntil(
        `round ${round + 1}: ${change.what} on the other side`,
        () => change?.arrived() === true,
      );
      await quiet(c, `round ${round + 1}: the first copies`);
      // A copy of a change already synced is known to the inbox: no sync, so no request to either system at all.
      const requestsBefore = apiRequests(w);
      for (const copy of all.slice(early)) answers.push((await c.relay.post(copy)).status);
      await quiet(c, `round ${round + 1}: the late copies`);
      lateRequests += apiRequests(w) - requestsBefore;
    });
    deliveries += copies;
    const what = `round ${round + 1}, ${change?.what}, ${copies} copies (${early} at once)`;
    const refusedNow = answers.filter((status) => status !== 200).length;
    refused += refusedNow;
    if (refusedNow > 0) problems.push(`${what}: answered ${answers.join(', ')}`);
    const expected = cost.get(kind) ?? { hubspot: 0, vismaNxt: 0 };
    const extra = writes.hubspot - expected.hubspot + writes.vismaNxt - expected.vismaNxt;
    extraWrites += Math.max(0, extra);
    if (writes.hubspot !== expected.hubspot || writes.vismaNxt !== expected.vismaNxt)
      problems.push(
        `${what}: wrote ${writes.hubspot} to HubSpot and ${writes.vismaNxt} to Business NXT, one delivery writes ${expected.hubspot} and ${expected.vismaNxt}`,
      );
    if (change?.org) {
      const found = recordsWithOrg(w, change.org);
      duplicates += Math.max(0, found.hubspot - 1) + Math.max(0, found.vismaNxt - 1);
      if (found.hubspot !== 1 || found.vismaNxt !== 1)
        problems.push(`${what}: ${found.hubspot} HubSpot companies and ${found.vismaNxt} customers`);
    }
  }
  if (lateRequests > 0) problems.push(`copies of synced changes made ${lateRequests} API requests`);
  const elsewhere = duplicateRecords(w);
  duplicates += elsewhere.length;
  problems.push(...elsewhere);
  recordFigure(
    'webhook-duplicated',
    `${rounds} rounds (${plan.slice(0, rounds).filter((kind) => kind.endsWith('edit')).length} address edits, ${plan.slice(0, rounds).filter((kind) => kind.endsWith('create')).length} new customers), each delivered 3 to 6 times: ${deliveries} deliveries, ${refused} refused, ${extraWrites} writes beyond what one delivery makes, ${lateRequests} API requests for copies of synced changes, ${duplicates} duplicate records`,
  );
  expect(problems).toEqual([]);
}, 120_000);

type ReorderCase =
  | 'hubspot-older-last'
  | 'visma-older-last'
  | 'hubspot-change-after-deletion'
  | 'visma-change-after-deletion';

/** Runs `actions` with the relay holding `system`'s deliveries; answers each action's delivery, in order. */
async function heldDeliveries(
  c: WebhookWorld,
  system: Delivery['system'],
  actions: ReadonlyArray<() => Promise<unknown>>,
): Promise<Delivery[]> {
  c.relay.mode[system] = 'hold';
  c.relay.take();
  const deliveries: Delivery[] = [];
  for (const [index, action] of actions.entries()) {
    await action();
    await waitUntil(`the delivery of change ${index + 1}`, () => c.relay.held.length > 0);
    deliveries.push(...c.relay.take());
  }
  c.relay.mode[system] = 'forward';
  return deliveries;
}

/** An order of `count` deliveries that is not the order they were made in, the newest never last. */
function outOfOrder(count: number, random: () => number): number[] {
  for (;;) {
    const order = shuffle(
      Array.from({ length: count }, (_, index) => index),
      random,
    );
    if (order[order.length - 1] !== count - 1) return order;
  }
}

it('reordered: deliveries out of order leave both sides at the latest truth', async () => {
  const rounds = 10;
  const random = seededRandom(7202);
  context = await startWebhookWorld({ customers: 14, companies: 0, seed: 72 });
  const c = context;
  const w = c.world;
  const used = new Set<number>();
  const problems: string[] = [];
  const plan = shuffle<ReorderCase>(
    [
      'hubspot-older-last',
      'hubspot-older-last',
      'hubspot-older-last',
      'visma-older-last',
      'visma-older-last',
      'visma-older-last',
      'hubspot-change-after-deletion',
      'hubspot-change-after-deletion',
      'visma-change-after-deletion',
      'visma-change-after-deletion',
    ],
    random,
  );
  let deliveries = 0;
  let lateWrites = 0;
  for (const [round, kind] of plan.slice(0, rounds).entries()) {
    const { row, company } = pickPair(c, random, used);
    const name = `round ${round + 1} (${kind}, customer ${row.associateNo} / company ${company.id})`;
    const erpRow = () => w.erp.store.rows.get(row.associateNo);
    const values = Array.from(
      { length: 2 + Math.floor(random() * 2) },
      (_, index) => `Omveien ${round + 1}${index}`,
    );
    const originalErpAddress = row.addressLine1;
    const originalOrg = row.companyNo;
    let held: Delivery[];
    if (kind === 'hubspot-older-last')
      held = await heldDeliveries(
        c,
        'hubspot',
        values.map(
          (address) => () => admin(`${w.crm.baseUrl}/admin/companies/${company.id}`, 'PATCH', { address }),
        ),
      );
    else if (kind === 'visma-older-last')
      held = await heldDeliveries(
        c,
        'visma-nxt',
        values.map(
          (addressLine1) => () =>
            admin(`${erpAdmin(w)}/associates/${row.associateNo}`, 'PATCH', { addressLine1 }),
        ),
      );
    else if (kind === 'hubspot-change-after-deletion')
      held = await heldDeliveries(c, 'hubspot', [
        () => admin(`${w.crm.baseUrl}/admin/companies/${company.id}`, 'PATCH', { address: values[0] }),
        () => admin(`${w.crm.baseUrl}/admin/companies/${company.id}/archive`, 'POST'),
      ]);
    else
      held = await heldDeliveries(c, 'visma-nxt', [
        () => admin(`${erpAdmin(w)}/associates/${row.associateNo}`, 'PATCH', { addressLine1: values[0] }),
        () => admin(`${erpAdmin(w)}/associates/${row.associateNo}`, 'DELETE'),
      ]);
    const order = kind.endsWith('older-last') ? outOfOrder(held.length, random) : [1, 0];
    deliveries += held.length;
    // One at a time, each synced before the next arrives: the older ones come after the newest was synced.
    let newestSynced = false;
    for (const index of order) {
      const delivery = held[index] as Delivery;
      const before = c.writes.hubspot.total + c.writes.vismaNxt.total;
      const answer = await c.relay.post(delivery);
      if (answer.status !== 200) problems.push(`${name}: delivery ${index + 1} answered ${answer.status}`);
      await quiet(c, `${name}: delivery ${index + 1}`);
      if (newestSynced) lateWrites += c.writes.hubspot.total + c.writes.vismaNxt.total - before;
      if (index === held.length - 1) newestSynced = true;
    }
    const latest = values[values.length - 1];
    if (kind === 'hubspot-older-last' || kind === 'visma-older-last') {
      await waitUntil(
        `${name}: "${latest}" on both sides`,
        () => erpRow()?.addressLine1 === latest && company.properties.get('address') === latest,
      );
    } else if (kind === 'hubspot-change-after-deletion') {
      // HubSpot's truth is "archived": it stays so, the customer stays in Business NXT (a delete is never carried
      // over), and no new company is made for it.
      if (!company.archived) problems.push(`${name}: the archived company is live again`);
      if (erpRow() === undefined) problems.push(`${name}: the Business NXT customer was deleted`);
      if (erpRow()?.addressLine1 !== originalErpAddress && erpRow()?.addressLine1 !== values[0])
        problems.push(`${name}: the Business NXT address is "${erpRow()?.addressLine1}"`);
      if (recordsWithOrg(w, originalOrg).hubspot > 0)
        problems.push(`${name}: a live HubSpot company carries the archived one's org number`);
    } else {
      // Business NXT's truth is "deleted": the row stays gone, no customer comes back, HubSpot keeps its company.
      if (erpRow() !== undefined) problems.push(`${name}: the deleted associate is back`);
      if (recordsWithOrg(w, originalOrg).vismaNxt > 0)
        problems.push(`${name}: a Business NXT customer carries the deleted one's org number`);
      if (company.archived) problems.push(`${name}: the HubSpot company was archived`);
    }
  }
  if (lateWrites > 0) problems.push(`deliveries older than a synced one made ${lateWrites} writes`);
  problems.push(...duplicateRecords(w));
  recordFigure(
    'webhook-reordered',
    `${rounds} rounds (${plan.filter((kind) => kind.endsWith('older-last')).length} with 2 or 3 edits of one field delivered out of order, ${plan.filter((kind) => !kind.endsWith('older-last')).length} with a change delivered after its record's deletion), ${deliveries} deliveries: ${lateWrites} writes by late deliveries, ${problems.length} differences from the latest truth or duplicates`,
  );
  expect(problems).toEqual([]);
}, 120_000);

type Forgery =
  | 'hubspot-wrong-signature'
  | 'hubspot-unsigned'
  | 'hubspot-stale'
  | 'hubspot-changed-body'
  | 'hubspot-malformed'
  | 'visma-wrong-signature'
  | 'visma-changed-body'
  | 'visma-wrong-company'
  | 'visma-malformed';
const forgeries: readonly Forgery[] = [
  'hubspot-wrong-signature',
  'hubspot-unsigned',
  'hubspot-stale',
  'hubspot-changed-body',
  'hubspot-malformed',
  'visma-wrong-signature',
  'visma-changed-body',
  'visma-wrong-company',
  'visma-malformed',
];
/** How each must be answered, and the outcome `crm_sync_webhook_deliveries_total` counts it under. */
const refusals: Record<Forgery, { status: number; outcome: string }> = {
  'hubspot-wrong-signature': { status: 401, outcome: 'forged' },
  'hubspot-unsigned': { status: 401, outcome: 'forged' },
  'hubspot-stale': { status: 401, outcome: 'stale' },
  'hubspot-changed-body': { status: 401, outcome: 'forged' },
  'hubspot-malformed': { status: 400, outcome: 'malformed' },
  'visma-wrong-signature': { status: 401, outcome: 'forged' },
  'visma-changed-body': { status: 401, outcome: 'forged' },
  'visma-wrong-company': { status: 403, outcome: 'wrong-company' },
  'visma-malformed': { status: 400, outcome: 'malformed' },
};

/** A forged delivery made from a genuine one (`hubspot` or `visma`, by the forgery's system). */
function forge(
  c: WebhookWorld,
  kind: Forgery,
  genuine: { hubspot: Delivery; visma: Delivery },
  random: () => number,
): Delivery {
  const url = `${c.relay.url}/webhooks/hubspot`;
  const cut = (body: string) => body.slice(0, 1 + Math.floor(random() * (body.length - 2)));
  const hubspotBody = genuine.hubspot.body;
  const vismaBody = genuine.visma.body;
  switch (kind) {
    case 'hubspot-wrong-signature':
      return signedHubSpotDelivery(hubspotBody, { secret: `not-${webhookSecrets.hubspot}`, url });
    case 'hubspot-unsigned':
      return { ...genuine.hubspot, headers: { 'content-type': 'application/json' } };
    case 'hubspot-stale':
      // Signed with the right secret, but more than 5 minutes ago: a replay.
      return signedHubSpotDelivery(hubspotBody, {
        secret: webhookSecrets.hubspot,
        url,
        timestamp: Date.now() - 5 * 60_000 - 1000 - Math.floor(random() * 3_600_000),
      });
    case 'hubspot-changed-body': {
      const events = eventsOf(genuine.hubspot).map((event) => ({
        ...event,
        subscriptionType: 'company.deletion',
      }));
      return withBody(genuine.hubspot, JSON.stringify(events));
    }
    case 'hubspot-malformed':
      return signedHubSpotDelivery(cut(hubspotBody), { secret: webhookSecrets.hubspot, url });
    case 'visma-wrong-signature':
      return signedVismaDelivery(vismaBody, `not-${webhookSecrets.visma}`);
    case 'visma-changed-body':
      return withBody(genuine.visma, vismaBody.replace('"UPDATE"', '"DELETE"'));
    case 'visma-wrong-company': {
      const change = JSON.parse(vismaBody) as { companyNo: number };
      return signedVismaDelivery(
        JSON.stringify({ ...change, companyNo: change.companyNo + 1 + Math.floor(random() * 1000) }),
        webhookSecrets.visma,
      );
    }
    case 'visma-malformed':
      return signedVismaDelivery(cut(vismaBody), webhookSecrets.visma);
  }
}

const deliveriesTotal = (c: WebhookWorld, system: string, outcome: string) =>
  metric(c.service, 'crm_sync_webhook_deliveries_total', `{system="${system}",outcome="${outcome}"}`);

it('forged: wrong signatures, stale timestamps, changed bodies, another company and broken JSON are refused, counted, and change nothing', async () => {
  const rounds = 10;
  const random = seededRandom(7303);
  context = await startWebhookWorld({ customers: 20, companies: 0, seed: 73 });
  const c = context;
  const w = c.world;
  const used = new Set<number>();
  const problems: string[] = [];
  // Each round, a person edits one customer in each system; the genuine deliveries are held back, and the forged
  // ones are made from them. Had any been accepted, its targeted sync would carry the edit to the other side.
  const baits: Array<{ genuine: { hubspot: Delivery; visma: Delivery }; carried: () => boolean[] }> = [];
  for (let round = 1; round <= rounds; round += 1) {
    const inCrm = pickPair(c, random, used);
    const inErp = pickPair(c, random, used);
    const crmValue = `Falskveien ${round}`;
    const erpValue = `Ektegata ${round}`;
    const [hubspot] = await heldDeliveries(c, 'hubspot', [
      () => admin(`${w.crm.baseUrl}/admin/companies/${inCrm.company.id}`, 'PATCH', { address: crmValue }),
    ]);
    const [visma] = await heldDeliveries(c, 'visma-nxt', [
      () => admin(`${erpAdmin(w)}/associates/${inErp.row.associateNo}`, 'PATCH', { addressLine1: erpValue }),
    ]);
    if (hubspot === undefined || visma === undefined) throw new Error(`round ${round}: no genuine delivery`);
    baits.push({
      genuine: { hubspot, visma },
      carried: () => [
        w.erp.store.rows.get(inCrm.row.associateNo)?.addressLine1 === crmValue,
        inErp.company.properties.get('address') === erpValue,
      ],
    });
  }
  const requestsBefore = apiRequests(w);
  const sent = new Map<string, number>();
  for (const [round, bait] of baits.entries()) {
    for (const kind of shuffle(forgeries, random)) {
      const answer = await c.relay.post(forge(c, kind, bait.genuine, random));
      const expected = refusals[kind];
      if (answer.status !== expected.status)
        problems.push(`round ${round + 1}: ${kind} answered ${answer.status}, not ${expected.status}`);
      const key = `${kind.startsWith('hubspot') ? 'hubspot' : 'visma-nxt'} ${expected.outcome}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
    }
  }
  await quiet(c, 'the forged deliveries');
  const requestsAfterForgeries = apiRequests(w) - requestsBefore;
  const carriedByForgeries = baits.flatMap((bait) => bait.carried()).filter(Boolean).length;
  if (requestsAfterForgeries > 0)
    problems.push(`the forged deliveries made ${requestsAfterForgeries} API requests`);
  if (carriedByForgeries > 0) problems.push(`${carriedByForgeries} edits were carried by forged deliveries`);
  for (const [key, count] of sent) {
    const [system = '', outcome = ''] = key.split(' ');
    const counted = await deliveriesTotal(c, system, outcome);
    if (counted !== count) problems.push(`/metrics counts ${counted} ${key} deliveries, ${count} were sent`);
  }
  for (const system of ['hubspot', 'visma-nxt'])
    if ((await deliveriesTotal(c, system, 'accepted')) !== 0)
      problems.push(`a ${system} forgery was accepted`);

  // The control: the genuine deliveries, posted now, carry every edit. So the forged ones named real changes.
  for (const bait of baits)
    for (const delivery of [bait.genuine.hubspot, bait.genuine.visma])
      expect((await c.relay.post(delivery)).status).toBe(200);
  await waitUntil('the genuine deliveries carried every edit', () =>
    baits.every((bait) => bait.carried().every(Boolean)),
  );
  const refused = [...sent.values()].reduce((sum, count) => sum + count, 0);
  const byOutcome = ['forged', 'stale', 'malformed', 'wrong-company']
    .map(
      (outcome) =>
        `${[...sent].filter(([key]) => key.endsWith(` ${outcome}`)).reduce((sum, [, n]) => sum + n, 0)} ${outcome}`,
    )
    .join(', ');
  recordFigure(
    'webhook-forged',
    `${rounds} rounds, ${refused} forged deliveries (${byOutcome}; wrong signature, unsigned, stale timestamp, changed body and broken JSON for HubSpot, wrong signature, changed body, another company and broken JSON for Business NXT): ${problems.length} accepted, miscounted or acted on (${requestsAfterForgeries} API requests, ${carriedByForgeries} edits carried); the ${baits.length * 2} genuine deliveries then carried every edit`,
  );
  expect(problems).toEqual([]);
}, 120_000);

/** A HubSpot contact linked to a Business NXT contact person, and the linked pair it belongs to. */
function linkedContacts(w: WebhookWorld['world']) {
  const pairs = linkedPairs(w);
  const persons = new Map(
    [...w.erp.store.rows.values()]
      .filter((row) => row.contactPersonForAssociateNo > 0)
      .map((row) => [String(row.associateNo), row]),
  );
  return liveContacts(w).flatMap((contact) => {
    const person = persons.get(contact.properties.get('visma_actor_no') ?? '');
    const pair = pairs.find((candidate) => candidate.company.id === primaryCompanyOf(w, contact.id));
    return person !== undefined && pair !== undefined ? [{ contact, person, pair }] : [];
  });
}

it('lost: with no delivery arriving, the schedule carries every edit; a lost association change waits for the full cycle', async () => {
  const rounds = 3;
  const random = seededRandom(7404);
  context = await startWebhookWorld({
    customers: 10,
    companies: 4,
    seed: 74,
    env: { CRM_SYNC_INTERVAL: '2s' },
  });
  const c = context;
  const w = c.world;
  // HubSpot's deliveries vanish (answered, never passed on: the subscription is gone); Business NXT's fail, so it
  // retries until it gives up.
  c.relay.mode.hubspot = 'drop';
  c.relay.mode['visma-nxt'] = 'fail';
  const used = new Set<number>();
  const problems: string[] = [];
  let edits = 0;
  let serial = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const checks: Array<{ what: string; arrived: () => boolean }> = [];
    for (let edit = 0; edit < 4; edit += 1) {
      const kind: ChangeKind = edit % 2 === 0 ? 'hubspot-edit' : 'visma-edit';
      serial += 1;
      checks.push(await lostChange(c, kind, random, used, serial));
    }
    if (round % 2 === 1)
      for (const kind of ['hubspot-create', 'visma-create'] as const) {
        serial += 1;
        checks.push(await lostChange(c, kind, random, used, serial));
      }
    edits += checks.length;
    await waitUntil(`round ${round}: every edit carried by the schedule`, () =>
      checks.every((check) => check.arrived()),
    );
  }
  problems.push(...duplicateRecords(w));
  const accepted =
    (await deliveriesTotal(c, 'hubspot', 'accepted')) + (await deliveriesTotal(c, 'visma-nxt', 'accepted'));
  if (accepted > 0) problems.push(`${accepted} deliveries reached the service`);

  // A contact moved to another customer's company in HubSpot, its association webhook lost: the incremental search
  // does not show association changes (docs/ARCHITECTURE.md, "Contacts and their customer").
  const [alone, edited] = shuffle(linkedContacts(w), random);
  if (alone === undefined || edited === undefined)
    throw new Error('the world has fewer than two linked contacts');
  const elsewhere = (from: typeof alone) =>
    linkedPairs(w).find((pair) => pair.company.id !== from.pair.company.id) as LinkedPair;
  const aloneTo = elsewhere(alone);
  const editedTo = elsewhere(edited);
  w.crm.store.associate('contacts', alone.contact.id, 'companies', aloneTo.company.id, 1);
  w.crm.store.associate('contacts', edited.contact.id, 'companies', editedTo.company.id, 1);
  // The other one is also edited (its propertyChange delivery lost too): the incremental cycle reads it again.
  await admin(`${w.crm.baseUrl}/admin/contacts/${edited.contact.id}`, 'PATCH', { lastname: 'Flyttesen' });
  const followed = (move: typeof alone, to: LinkedPair) =>
    w.erp.store.rows.get(move.person.associateNo)?.contactPersonForAssociateNo === to.row.associateNo;
  await waitUntil('the edited, moved contact followed by an incremental cycle', () =>
    followed(edited, editedTo),
  );
  const cycles = () => metric(c.service, 'crm_sync_cycles_total', '{kind="incremental",outcome="ok"}');
  // The cycle that carried it read the contacts after both moves; one more finished cycle makes sure of it.
  const cyclesAtMove = await cycles();
  await waitUntil('one more incremental cycle', async () => (await cycles()) >= cyclesAtMove + 1);
  const carriedByIncremental = followed(alone, aloneTo);
  // The nightly full cycle reads every contact with its companies: the same engine call as `crm-sync run --full`.
  expect((await c.service.stop('SIGTERM')).code).toBe(0);
  const full = await run(w, ['--full']);
  expect(full.code).toBe(0);
  if (!followed(alone, aloneTo)) problems.push('the full cycle did not carry the lost association change');
  problems.push(...duplicateRecords(w));
  recordFigure(
    'webhook-lost',
    `${rounds} rounds, ${edits} edits and creates with every delivery lost (${c.relay.lost.dropped} HubSpot deliveries dropped, ${c.relay.lost.failed} Business NXT attempts failed), every one carried by the incremental cycles every 2 s, ${accepted} deliveries reaching the service, ${duplicateRecords(w).length} duplicate records; a HubSpot contact moved with its association webhook lost: carried by the incremental cycles ${carriedByIncremental ? 'yes' : 'no'}, with a property edit beside it yes, by the full cycle ${followed(alone, aloneTo) ? 'yes' : 'no'}`,
  );
  expect(problems).toEqual([]);
}, 120_000);

/** A change whose delivery the relay loses (its mode for the system is `drop` or `fail`). */
async function lostChange(
  c: WebhookWorld,
  kind: ChangeKind,
  random: () => number,
  used: Set<number>,
  serial: number,
) {
  const before = c.relay.received.length;
  const change = await changeRecord(c, kind, random, used, serial);
  await waitUntil(`the lost delivery of the ${change.what}`, () => c.relay.received.length > before);
  return change;
}

it('killed with an inbox full: serve restarted on the same state syncs every accepted event, none twice', async () => {
  const changes = 200;
  const random = seededRandom(7505);
  context = await startWebhookWorld({ customers: 24, companies: 12, seed: 75 });
  const c = context;
  const w = c.world;
  // The burst: new customers on both sides, contacts moved in HubSpot, and address edits on linked customers (even
  // associate numbers edited in HubSpot, odd ones in Business NXT, so the last edit of each is what must remain).
  // Every delivery is held back, then all are posted at once.
  c.relay.mode.hubspot = 'hold';
  c.relay.mode['visma-nxt'] = 'hold';
  c.relay.take();
  const creates: MadeChange[] = [];
  for (let index = 0; index < 20; index += 1)
    creates.push(
      await changeRecord(
        c,
        index % 2 === 0 ? 'hubspot-create' : 'visma-create',
        random,
        new Set(),
        1000 + index,
      ),
    );
  const pairs = linkedPairs(w);
  const moves = shuffle(linkedContacts(w), random)
    .slice(0, 20)
    .map((move) => {
      const others = pairs.filter((pair) => pair.company.id !== move.pair.company.id);
      return { ...move, to: others[Math.floor(random() * others.length)] as LinkedPair };
    });
  const expected = new Map<number, { pair: LinkedPair; address: string }>();
  const edits = changes - creates.length - moves.length;
  for (let index = 0; index < edits; index += 1) {
    const pair = pairs[Math.floor(random() * pairs.length)] as LinkedPair;
    const address = `Krasjveien ${index + 1}`;
    if (pair.row.associateNo % 2 === 0)
      await admin(`${w.crm.baseUrl}/admin/companies/${pair.company.id}`, 'PATCH', { address });
    else await admin(`${erpAdmin(w)}/associates/${pair.row.associateNo}`, 'PATCH', { addressLine1: address });
    expected.set(pair.row.associateNo, { pair, address });
  }
  await waitUntil('every delivery of the burst held', () => c.relay.held.length >= creates.length + edits);
  // A move made in HubSpot's UI: its association webhook is the only sign of it (the search does not show it).
  const burst = c.relay.take();
  for (const [index, move] of moves.entries()) {
    w.crm.store.associate('contacts', move.contact.id, 'companies', move.to.company.id, 1);
    burst.push(
      contactMovedDelivery(c.relay, {
        contactId: move.contact.id,
        companyId: move.to.company.id,
        eventId: 900_000 + 2 * index,
      }),
    );
  }
  c.relay.mode.hubspot = 'forward';
  c.relay.mode['visma-nxt'] = 'forward';
  const answers = await Promise.all(shuffle(burst, random).map((delivery) => c.relay.post(delivery)));
  // Killed the moment the last delivery was answered 200: the service had promised to sync them all.
  const killed = await c.service.stop('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
  const { pending: pendingAtKill, associations: movesPendingAtKill } = pendingInbox(
    w.env.CRM_SYNC_STATE ?? '',
  );
  // The case needs a full inbox: a machine so fast it synced the whole burst first would test nothing.
  expect(pendingAtKill).toBeGreaterThan(0);

  const restartedAt = Date.now();
  await c.restart();
  const lost = () => [
    ...[...expected.values()]
      .filter(
        ({ pair, address }) =>
          w.erp.store.rows.get(pair.row.associateNo)?.addressLine1 !== address ||
          pair.company.properties.get('address') !== address,
      )
      .map(({ pair, address }) => `the edit "${address}" of customer ${pair.row.associateNo}`),
    ...creates.filter((made) => !made.arrived()).map((made) => made.what),
    ...moves
      .filter(
        (move) =>
          w.erp.store.rows.get(move.person.associateNo)?.contactPersonForAssociateNo !==
          move.to.row.associateNo,
      )
      .map((move) => `the move of contact ${move.contact.id} to company ${move.to.company.id}`),
  ];
  await waitUntil(
    'the restarted service carried every change and emptied its inbox',
    async () => lost().length === 0 && (await metric(c.service, 'crm_sync_inbox_depth')) === 0,
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; not carried: ${lost().join('; ')}`);
  });
  const drainMs = Date.now() - restartedAt;
  await quiet(c, 'after the restart');
  const problems = [...lost(), ...duplicateRecords(w), ...convergenceProblems(w)];
  for (const made of creates) {
    const found = recordsWithOrg(w, made.org ?? '');
    if (found.hubspot !== 1 || found.vismaNxt !== 1)
      problems.push(`${made.what}: ${found.hubspot} HubSpot companies and ${found.vismaNxt} customers`);
  }
  recordFigure(
    'webhook-killed',
    `${changes} changes in one burst (${edits} address edits, ${creates.length} new customers, ${moves.length} contacts moved in HubSpot), ${burst.length} deliveries answered 200, then SIGKILL with ${pendingAtKill} events pending in the inbox (${movesPendingAtKill} of them association changes, which only the inbox carries); serve restarted on the same state drained it in ${(drainMs / 1000).toFixed(1)} s: ${lost().length} edits lost, ${problems.length - lost().length} duplicates or differences`,
  );
  expect(problems).toEqual([]);
}, 120_000);

// BUG (apps/runner/src/serve/engine-lane.ts, `inbox()`, the `!hasTargets(targets)` branch, and
// apps/runner/src/serve/service-loop.ts, `inboxDue = outcome !== null`): when the 1,000 oldest pending events are all
// echoes of the sync's own writes, `inbox()` settles them and answers `null`, "there were none", and the loop stops
// draining: the events behind them wait for the next delivery or the next scheduled cycle, and each such wake again
// takes only the next 1,000. A cycle that writes more than 1,000 HubSpot records (a first sync, a large full cycle)
// leaves that many echoes pending at once. The one delivery below holds them all, only so that the order in the inbox
// does not depend on timing (HubSpot itself sends up to 100 events a request). A contact move is the change behind
// them: no scheduled incremental cycle would carry it either. The world and the delivery are made in `beforeAll`, so
// that only the wait can fail; the test is marked `fails` until the lane keeps draining.
describe('a change behind more than 1,000 own echoes', () => {
  let bug: { context: WebhookWorld; followed: () => boolean } | undefined;
  beforeAll(async () => {
    const random = seededRandom(7606);
    const c = await startWebhookWorld({ customers: 8, companies: 4, seed: 76 });
    const w = c.world;
    const [move] = shuffle(linkedContacts(w), random);
    const to = linkedPairs(w).find((pair) => pair.company.id !== move?.pair.company.id);
    if (move === undefined || to === undefined) throw new Error('the world has no linked contact to move');
    bug = {
      context: c,
      followed: () =>
        w.erp.store.rows.get(move.person.associateNo)?.contactPersonForAssociateNo === to.row.associateNo,
    };
    w.crm.store.associate('contacts', move.contact.id, 'companies', to.company.id, 1);
    const occurredAt = Date.now() - 1000;
    const echoes = Array.from({ length: 1000 }, (_, index) => ({
      eventId: 500_000 + index,
      subscriptionId: 91,
      portalId: w.crm.portalId,
      appId: hubSpotSimulatorAppId,
      occurredAt: occurredAt + index,
      subscriptionType: 'company.propertyChange',
      attemptNumber: 0,
      objectId: 900_000_000 + index,
      propertyName: 'address',
      propertyValue: '',
      changeSource: 'INTEGRATION',
      sourceId: String(hubSpotSimulatorAppId),
    }));
    const [contactSide] = eventsOf(
      contactMovedDelivery(c.relay, {
        contactId: move.contact.id,
        companyId: to.company.id,
        eventId: 600_000,
      }),
    );
    const delivery = signedHubSpotDelivery(JSON.stringify([...echoes, contactSide]), {
      secret: webhookSecrets.hubspot,
      url: `${c.relay.url}/webhooks/hubspot`,
    });
    const answer = await c.relay.post(delivery);
    if (answer.status !== 200) throw new Error(`the delivery was answered ${answer.status}: ${answer.body}`);
  }, 60_000);
  afterAll(async () => {
    await bug?.context.close();
  });

  it('is synced without waiting for another delivery', async () => {
    await waitUntil('the contact person moved to the new customer', () => bug?.followed() === true, 8_000);
  }, 30_000);
});
