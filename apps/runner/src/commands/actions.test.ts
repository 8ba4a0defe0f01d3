import { afterEach, expect, it } from 'vitest';
import {
  type ActionWorld,
  linkedCustomer,
  reportCandidateCustomers,
  startActionWorld,
} from '../engine/actions/action-world.js';
import {
  type ActionIo,
  candidatesLinkCommand,
  candidatesSeparateCommand,
  excludeCommand,
  includeCommand,
  retryCommand,
} from './actions.js';
import type { Runtime } from './runtime.js';
import { formatStatus, readStatus } from './status.js';

// `crm-sync retry|exclude|include` and `crm-sync candidates link|separate` through the command functions: what they
// say before writing, the question on a terminal, exit codes, and the audit log's `cli:` actor. Against both
// simulators and their own stores.
let world: ActionWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function synced(): Promise<ActionWorld> {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  expect((await world.cycle(true)).exitCode).toBe(0);
  world.later();
  return world;
}

/** The runtime on the world's clock. */
const runtimeOf = (w: ActionWorld): Runtime => ({ ...w.runtime, now: w.now }) as Runtime;

function terminal(answer?: string) {
  const lines: string[] = [];
  const asked: string[] = [];
  const io: ActionIo = {
    write: (text) => lines.push(text),
    interactive: answer !== undefined,
    ask: async (question) => {
      asked.push(question);
      return answer ?? '';
    },
    actor: 'cli:tester',
  };
  return { io, asked, text: () => lines.join('\n') };
}

it('exclude says what it does, status lists the record as excluded, include brings it back', async () => {
  const w = await synced();
  const { row, company } = linkedCustomer(w.world, 0);
  const runtime = runtimeOf(w);

  const dry = terminal();
  expect(await excludeCommand(runtime, { system: 'hubspot', id: company.id }, { dryRun: true }, dry.io)).toBe(
    0,
  );
  expect(dry.text()).toContain(
    `Exclude HubSpot company ${company.id}, linked to Business NXT customer ${row.associateNo}:`,
  );
  expect(dry.text()).toContain('Dry run: nothing written.');
  expect(await w.runtime.store.exclusions()).toEqual([]);

  const declined = terminal('n');
  expect(await excludeCommand(runtime, { system: 'hubspot', id: company.id }, {}, declined.io)).toBe(0);
  expect(declined.asked).toEqual(['Do this? [y/N] ']);
  expect(declined.text()).toContain('Nothing written.');
  expect(await w.runtime.store.exclusions()).toEqual([]);

  const done = terminal('y');
  expect(
    await excludeCommand(
      runtime,
      { system: 'hubspot', id: company.id },
      { reason: 'merging in Business NXT' },
      done.io,
    ),
  ).toBe(0);
  expect(done.text()).toContain(`Excluded HubSpot company ${company.id}`);
  const status = formatStatus(await readStatus(w.runtime.store));
  expect(status).toMatch(new RegExp(`customer +excluded +hubspot ${company.id} `, 'u'));
  expect(status).toContain('(merging in Business NXT)');
  expect(status).toContain(`crm-sync include hubspot ${company.id}`);

  const again = terminal();
  expect(
    await excludeCommand(runtime, { system: 'visma-nxt', id: String(row.associateNo) }, {}, again.io),
  ).toBe(1);
  expect(again.text()).toContain('excluded already');

  w.later();
  const include = terminal();
  expect(
    await includeCommand(
      runtime,
      { system: 'visma-nxt', id: String(row.associateNo) },
      { yes: true },
      include.io,
    ),
  ).toBe(0);
  expect(include.text()).toMatch(/Targeted sync \S+: exit code 0/u);
  expect(formatStatus(await readStatus(w.runtime.store))).not.toContain('excluded');
  expect((await w.runtime.store.auditLog({ limit: 5 })).map((entry) => [entry.action, entry.actor])).toEqual([
    ['record.include', 'cli:tester'],
    ['record.exclude', 'cli:tester'],
  ]);
});

it('retry names a record it cannot find (exit 2), and waits for a running cycle (exit 75)', async () => {
  const w = await synced();
  const runtime = runtimeOf(w);
  const missing = terminal();
  expect(await retryCommand(runtime, { system: 'visma-nxt', id: '99999' }, {}, missing.io)).toBe(2);
  expect(missing.text()).toContain('Business NXT associate 99999 is neither a customer nor a contact');
  const typo = terminal();
  expect(await retryCommand(runtime, { system: 'visma-nxt', id: '12a' }, {}, typo.io)).toBe(2);
  expect(typo.text()).toContain('whole positive numbers, not "12a"');

  const { company } = linkedCustomer(w.world, 0);
  const holder = { id: 'elsewhere/1/cycle', description: 'crm-sync pid 1 on elsewhere' };
  expect((await w.runtime.store.acquireLock(holder, 60_000)).ok).toBe(true);
  const locked = terminal();
  expect(
    await retryCommand(runtime, { system: 'hubspot', id: company.id }, { entity: 'customer' }, locked.io),
  ).toBe(75);
  expect(locked.text()).toContain('crm-sync: another cycle is running (crm-sync pid 1 on elsewhere)');
  await w.runtime.store.releaseLock(holder.id);
  const retried = terminal();
  expect(await retryCommand(runtime, { system: 'hubspot', id: company.id }, {}, retried.io)).toBe(0);
  expect(retried.text()).toContain(`Retried HubSpot company ${company.id}`);
});

it('candidates link and separate act on a reported pair only, saying why otherwise', async () => {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  const w = world;
  const { company, associateNo } = await reportCandidateCustomers(w);
  const runtime = runtimeOf(w);

  const wrong = terminal();
  expect(
    await candidatesSeparateCommand(
      runtime,
      { crmId: company.id, associateNo: associateNo + 1 },
      {},
      wrong.io,
    ),
  ).toBe(1);
  expect(wrong.text()).toContain('not a candidate pair a cycle reported');

  const linked = terminal();
  expect(await candidatesLinkCommand(runtime, { crmId: company.id, associateNo }, {}, linked.io)).toBe(0);
  expect(linked.text()).toContain(
    `Link HubSpot company ${company.id} ↔ Business NXT customer ${associateNo}:`,
  );
  expect(linked.text()).toContain(`Linked HubSpot company ${company.id}`);
  expect(company.properties.get('visma_actor_no')).toBe(String(associateNo));

  const separate = terminal();
  expect(await candidatesSeparateCommand(runtime, { crmId: company.id, associateNo }, {}, separate.io)).toBe(
    1,
  );
  expect(separate.text()).toContain(`HubSpot company ${company.id} is linked already`);
  expect(await w.runtime.store.separatedPairs('customer')).toEqual([]);
});
