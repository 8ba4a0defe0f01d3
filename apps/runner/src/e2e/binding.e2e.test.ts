import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type HubSpotSimulator,
  startHubSpotSimulator,
  startVismaNxtSimulator,
  type VismaNxtSimulator,
} from '@port-service/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../state/sqlite-state-store.js';
import { type CliResult, cli, run, startWorld, type World } from './cli-harness.js';

// The real `crm-sync` CLI against the simulators: a state belongs to one HubSpot account and one Business NXT
// company, and a state directory that cannot be used is a configuration error, never a stack trace.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const seed = 21;
const portalA = 111;
const portalB = 222;
const companyNo = 9112233;

async function world(): Promise<World> {
  const started = await startWorld({ customers: 6, companies: 5, seed, crm: { portalId: portalA } });
  cleanups.push(() => started.close());
  return started;
}

/** A copy of the world's state directory (state, key), as someone copying a state to another setup would. */
function copiedState(from: World): string {
  const directory = mkdtempSync(join(tmpdir(), 'crm-sync-copied-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  cpSync(from.dir, directory, { recursive: true });
  return join(directory, 'state.db');
}

/** The world's CLI pointed elsewhere: the same state file or a copy, another account or company. */
const pointed = (from: World, env: NodeJS.ProcessEnv): World => ({ ...from, env: { ...from.env, ...env } });

async function otherHubSpot(): Promise<HubSpotSimulator> {
  // The same data as portal A had before its first cycle: only the account differs.
  const simulator = await startHubSpotSimulator({
    port: 0,
    host: '127.0.0.1',
    seed,
    companies: 5,
    portalId: portalB,
  });
  cleanups.push(() => simulator.close());
  return simulator;
}

async function otherCompany(): Promise<VismaNxtSimulator> {
  const simulator = await startVismaNxtSimulator({
    port: 0,
    host: '127.0.0.1',
    seed,
    customers: 6,
    companyNo: 5550001,
  });
  cleanups.push(() => simulator.close());
  return simulator;
}

/** Everything a simulator holds and every request it answered: equal before and after means nothing was written. */
function crmState(crm: HubSpotSimulator) {
  const records = (type: 'companies' | 'contacts') =>
    [...crm.store.records[type].values()].map((record) => [
      record.id,
      record.archived,
      record.updatedAt,
      [...record.properties.entries()],
    ]);
  return JSON.stringify({
    companies: records('companies'),
    contacts: records('contacts'),
    properties: [...crm.store.properties.companies.keys(), ...crm.store.properties.contacts.keys()],
  });
}
const erpState = (erp: VismaNxtSimulator) => JSON.stringify([...erp.store.rows.values()]);

async function expectRefused(
  where: World,
  args: readonly string[],
  simulators: { crm: HubSpotSimulator; erp: VismaNxtSimulator },
): Promise<CliResult> {
  const crmBefore = crmState(simulators.crm);
  const erpBefore = erpState(simulators.erp);
  const crmRequests = simulators.crm.stats.requests;
  const erpRequests = simulators.erp.stats.requests + simulators.erp.stats.tokenRequests;
  const result = await cli(where, args);
  expect(result.code, `crm-sync ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /u);
  // One read of HubSpot's account details, then nothing: no other request at all, on either side.
  expect(simulators.crm.stats.requests - crmRequests).toBe(1);
  expect(simulators.erp.stats.requests + simulators.erp.stats.tokenRequests - erpRequests).toBe(0);
  expect(crmState(simulators.crm)).toBe(crmBefore);
  expect(erpState(simulators.erp)).toBe(erpBefore);
  return result;
}

async function openConflictOnFirstCustomer(statePath: string): Promise<string> {
  const store = openSqliteStateStore(statePath);
  try {
    await store.migrate();
    const [link] = await store.allLinks('customer', null, 1);
    if (link === undefined) throw new Error('the first cycle linked no customer');
    await store.openConflict({
      id: 'c-binding',
      entity: 'customer',
      crmId: link.crmId,
      associateNo: link.associateNo,
      field: 'phone',
      reason: 'both-changed',
      baseFingerprint: null,
      createdAt: new Date().toISOString(),
    });
    return 'c-binding';
  } finally {
    await store.close();
  }
}

async function bindingOf(statePath: string) {
  const store = openSqliteStateStore(statePath);
  try {
    return await store.binding();
  } finally {
    await store.close();
  }
}

describe('a state bound to one HubSpot account and one Business NXT company', () => {
  it('refuses every command that reads or writes when the state is pointed at another HubSpot account', async () => {
    const w = await world();
    expect((await cli(w, ['setup'])).code).toBe(0);
    expect([0, 3]).toContain((await run(w)).code);
    expect(await bindingOf(w.env.CRM_SYNC_STATE ?? '')).toMatchObject({
      hubspotPortalId: portalA,
      vismaCompanyNo: companyNo,
    });
    const crmB = await otherHubSpot();
    const statePath = copiedState(w);
    const conflict = await openConflictOnFirstCustomer(statePath);
    const atB = pointed(w, {
      HUBSPOT_BASE_URL: crmB.baseUrl,
      HUBSPOT_ACCESS_TOKEN: crmB.accessToken,
      CRM_SYNC_STATE: statePath,
    });
    const commands = [
      ['run'],
      ['run', '--json', '--full'],
      ['plan'],
      ['relink'],
      ['conflicts', 'resolve', conflict, '--take', 'crm'],
      ['setup'],
    ];
    for (const args of commands) {
      const refused = await expectRefused(atB, args, { crm: crmB, erp: w.erp });
      expect(refused.stderr).toContain(
        `belongs to HubSpot portal ${portalA} and Business NXT company ${companyNo}`,
      );
      expect(refused.stderr).toContain(
        `the configuration points at HubSpot portal ${portalB} and Business NXT company ${companyNo}`,
      );
      expect(refused.stderr).toContain(statePath);
      expect(refused.stderr).toContain('CRM_SYNC_STATE');
    }
    // The state is as it was: still bound to A, the conflict still open, no run recorded.
    expect(await bindingOf(statePath)).toMatchObject({ hubspotPortalId: portalA });
    const status = JSON.parse((await cli(atB, ['status', '--json'])).stdout);
    expect(status.runs).toHaveLength(1);
    expect(status.openConflicts.map((open: { id: string }) => open.id)).toEqual([conflict]);
  });

  it('refuses the same state pointed at another Business NXT company', async () => {
    const w = await world();
    expect((await cli(w, ['setup'])).code).toBe(0);
    expect([0, 3]).toContain((await run(w)).code);
    const erpB = await otherCompany();
    const atB = pointed(w, {
      VISMA_CLIENT_ID: erpB.clientId,
      VISMA_CLIENT_SECRET: erpB.clientSecret,
      VISMA_COMPANY_NO: String(erpB.companyNo),
      VISMA_TOKEN_URL: erpB.tokenUrl,
      VISMA_GRAPHQL_URL: erpB.graphqlUrl,
    });
    for (const args of [['run'], ['plan']]) {
      const refused = await expectRefused(atB, args, { crm: w.crm, erp: erpB });
      expect(refused.stderr).toContain(
        `belongs to HubSpot portal ${portalA} and Business NXT company ${companyNo}`,
      );
      expect(refused.stderr).toContain(
        `points at HubSpot portal ${portalA} and Business NXT company ${erpB.companyNo}`,
      );
    }
  });

  it('is recorded by the first run (not by a plan), and doctor shows it', async () => {
    const w = await world();
    const statePath = w.env.CRM_SYNC_STATE ?? '';
    const before = await cli(w, ['doctor']);
    expect(before.stdout).toContain(
      `ok   state binding: not bound yet: the first run records HubSpot portal ${portalA} and Business NXT company ${companyNo}`,
    );
    expect(before.stdout).toContain(`ok   HubSpot account: portal ${portalA} (STANDARD`);
    expect((await cli(w, ['setup'])).code).toBe(0);
    const plan = await cli(w, ['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      `This state is not bound yet: the first run records HubSpot portal ${portalA} and Business NXT company ${companyNo}.`,
    );
    expect(await bindingOf(statePath)).toBeNull();

    const first = await cli(w, ['run']);
    expect([0, 3]).toContain(first.code);
    expect(first.stdout).toContain(
      `Bound this state to HubSpot portal ${portalA} and Business NXT company ${companyNo}.`,
    );
    const bound = await cli(w, ['doctor']);
    expect(bound.code).toBe(0);
    expect(bound.stdout).toMatch(
      new RegExp(
        `ok   state binding: bound to HubSpot portal ${portalA} and Business NXT company ${companyNo} since \\d{4}-\\d\\d-\\d\\dT`,
        'u',
      ),
    );
    const second = await cli(w, ['run']);
    expect(second.stdout).not.toContain('Bound this state');

    const crmB = await otherHubSpot();
    const elsewhere = await cli(
      pointed(w, { HUBSPOT_BASE_URL: crmB.baseUrl, HUBSPOT_ACCESS_TOKEN: crmB.accessToken }),
      ['doctor'],
    );
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toContain(
      `FAIL state binding: the state ${statePath} belongs to HubSpot portal ${portalA} and Business NXT company ${companyNo}`,
    );
    expect(elsewhere.stdout).toContain(`points at HubSpot portal ${portalB}`);
  });
});

describe('a state directory that cannot be opened or written', () => {
  const expectClearRefusal = async (where: World, path: string) => {
    const requests = where.crm.stats.requests + where.erp.stats.requests + where.erp.stats.tokenRequests;
    for (const args of [['run'], ['status'], ['plan'], ['relink'], ['conflicts', 'list']]) {
      const result = await cli(where, args);
      expect(result.code, `crm-sync ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('crm-sync: configuration error');
      expect(result.stderr).toContain(path);
      expect(result.stderr).toContain('point CRM_SYNC_STATE at a file in a directory this user can create');
      expect(result.stderr).not.toMatch(/\n\s+at /u);
    }
    const doctor = await cli(where, ['doctor']);
    expect(doctor.code).toBe(2);
    expect(doctor.stdout).toMatch(/^FAIL .*CRM_SYNC_STATE: cannot (open|write)/mu);
    expect(doctor.stdout).toContain(path);
    expect(doctor.stderr).not.toMatch(/\n\s+at /u);
    expect(where.crm.stats.requests + where.erp.stats.requests + where.erp.stats.tokenRequests).toBe(
      requests,
    );
  };

  it('exits 2 naming the path when a parent is a regular file (the key cannot be written)', async () => {
    const w = await world();
    writeFileSync(join(w.dir, 'not-a-directory'), 'a file\n');
    const path = join(w.dir, 'not-a-directory', 'state', 'state.db');
    await expectClearRefusal(pointed(w, { CRM_SYNC_STATE: path }), path);
  });

  it('exits 2 naming the path when the store itself cannot be opened', async () => {
    const w = await world();
    writeFileSync(join(w.dir, 'not-a-directory'), 'a file\n');
    // With the fingerprint key in the environment, only the store touches the directory.
    const key = { CRM_SYNC_HASH_KEY: 'a-fingerprint-key-of-enough-length' };
    const underFile = join(w.dir, 'not-a-directory', 'state.db');
    await expectClearRefusal(pointed(w, { ...key, CRM_SYNC_STATE: underFile }), underFile);
    const directory = join(w.dir, 'a-directory');
    mkdirSync(directory);
    await expectClearRefusal(pointed(w, { ...key, CRM_SYNC_STATE: directory }), directory);
  });
});

describe('conflicts resolve', () => {
  it('takes the cycle lock: exits 75 naming the holder while a cycle runs, resolves once it is free', async () => {
    const w = await world();
    expect((await cli(w, ['setup'])).code).toBe(0);
    expect([0, 3]).toContain((await run(w)).code);
    const statePath = w.env.CRM_SYNC_STATE ?? '';
    const conflict = await openConflictOnFirstCustomer(statePath);
    const store = openSqliteStateStore(statePath);
    cleanups.push(() => store.close());
    const holder = { id: 'elsewhere/4242/run', description: 'crm-sync pid 4242 on elsewhere since 08:00' };
    expect(await store.acquireLock(holder, 60_000)).toEqual({ ok: true });

    const held = await cli(w, ['conflicts', 'resolve', conflict, '--take', 'crm']);
    expect(held.code).toBe(75);
    expect(held.stdout).toContain('another cycle is running (crm-sync pid 4242 on elsewhere since 08:00)');
    expect((await store.conflicts('open')).map((open) => open.id)).toEqual([conflict]);

    await store.releaseLock(holder.id);
    const resolved = await cli(w, ['conflicts', 'resolve', conflict, '--take', 'crm']);
    expect(resolved.code, resolved.stdout + resolved.stderr).toBe(0);
    expect(await store.conflicts('open')).toEqual([]);
    // It let go of the lock: the next cycle runs.
    expect([0, 3]).toContain((await run(w)).code);
  });
});
