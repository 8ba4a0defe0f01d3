import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FencedError } from '../../state/postgres/fencing.js';
import { openPostgresStateStore } from '../../state/postgres/postgres-state-store.js';
import type { StateStore } from '../../state/state-store.js';
import { dropDatabase, freshDatabase } from '../../test-support/postgres-server.js';
import { describeWithPostgres } from '../../test-support/state-backends.js';
import type { Leadership, LeadershipStatus, LeaderTerm } from './leadership.js';
import { createPostgresLeadership } from './postgres-leadership.js';

/** One competing instance: its leadership, a store fenced by it, its terms and its log lines. */
interface Instance {
  readonly leadership: Leadership;
  readonly store: StateStore;
  readonly terms: LeaderTerm[];
  readonly changes: LeadershipStatus[];
  readonly lines: Array<Record<string, unknown>>;
}

const link = (crmId: string, associateNo: number) => ({ crmId, associateNo, fingerprints: {} });

describeWithPostgres('leadership of serve instances on one PostgreSQL state', () => {
  let url: string;
  let admin: pg.Client;
  const instances: Instance[] = [];
  const unfenced: StateStore[] = [];
  /** What happened, in order, across the instances (a term's work ending, a term starting). */
  const events: string[] = [];

  function instance(holderId: string): Instance {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, stream);
    // A short poll and grace keep the test quick; the keepalive keeps its real timeout (no spurious step-down), and
    // a leader that stepped down does not compete again within the test, so which instance leads next is known.
    const leadership = createPostgresLeadership({
      url,
      logger,
      holderId,
      timing: { pollMs: 50, keepaliveEveryMs: 200, takeoverGraceMs: 1, rejoinAfterMs: 600_000 },
    });
    const made: Instance = {
      leadership,
      store: openPostgresStateStore(url, { fence: leadership.fence }),
      terms: [],
      changes: [],
      lines,
    };
    instances.push(made);
    return made;
  }

  function start(made: Instance, name: string): void {
    made.leadership.start({
      async lead(term) {
        made.terms.push(term);
        events.push(`${name} leads`);
        await new Promise((resolve) => term.signal.addEventListener('abort', resolve, { once: true }));
        events.push(`${name}'s work ended`);
      },
      changed: (status) => made.changes.push(status),
    });
  }

  /** Waits until `check` holds (60 s at most: then it never will). */
  async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    for (const deadline = Date.now() + 60_000; !(await check()); await sleep(20))
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
  }

  /** Ends the dedicated connection that holds the advisory lock, as a lost connection would. */
  async function cutLeaderConnection(): Promise<void> {
    const cut = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(cut.rowCount).toBe(1);
  }

  const plainStore = () => {
    const store = openPostgresStateStore(url);
    unfenced.push(store);
    return store;
  };

  /** Two instances, the first one leading and the second one standing by, having seen who leads. */
  async function twoInstances() {
    const a = instance('host-a/101');
    start(a, 'a');
    await until('a leads', () => a.leadership.status().role === 'leader');
    const b = instance('host-b/202');
    start(b, 'b');
    await until('b sees a lead', () => b.leadership.status().leader === 'host-a/101');
    return { a, b };
  }

  beforeEach(async () => {
    url = await freshDatabase({ migrated: true });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterEach(async () => {
    const made = instances.splice(0);
    await Promise.all(made.map((each) => each.leadership.close()));
    await Promise.all(
      [...made.map((each) => each.store), ...unfenced.splice(0)].map((store) => store.close()),
    );
    events.splice(0);
    await admin.end();
    await dropDatabase(url);
  });

  it('lets one lead; when its connection is cut the other leads with a higher generation and the old one is fenced', async () => {
    const { a, b } = await twoInstances();
    expect(a.leadership.status()).toEqual({ role: 'leader', generation: 1n, leader: 'host-a/101' });
    expect(b.leadership.status().role).toBe('standby');
    expect(b.terms).toEqual([]);
    await a.store.insertLink('customer', link('101', 7));
    // The standby refuses its writes itself, naming the leader; webhooks and console sign-in still work on it.
    const refused = b.store.insertLink('customer', link('102', 8));
    await expect(refused).rejects.toThrow(FencedError);
    await expect(refused).rejects.toThrow('this instance is the standby; the leader is host-a/101');
    await b.store.enqueueEvents(
      [
        {
          system: 'hubspot',
          dedupeKey: 'e1',
          entity: 'customer',
          recordId: '101',
          kind: 'changed',
          occurredAt: null,
          ownEcho: false,
          related: [],
        },
      ],
      '2026-12-02T08:00:00.000Z',
    );
    const at = '2026-12-02T08:00:00.000Z';
    expect(
      await b.store.addConsoleUser({ name: 'kari', role: 'operator', passwordHash: 'x', createdAt: at }),
    ).toBe(true);
    await b.store.createConsoleSession({
      idHash: 'h1',
      userName: 'kari',
      role: 'operator',
      csrfToken: 't',
      createdAt: at,
      lastSeenAt: at,
      expiresAt: '2026-12-03T08:00:00.000Z',
    });
    expect((await a.store.consoleSession('h1'))?.userName).toBe('kari');

    await cutLeaderConnection();
    await until('b leads', () => b.leadership.status().role === 'leader');
    expect(b.leadership.status().generation).toBe(2n);
    expect(a.terms[0]?.signal.aborted).toBe(true);
    expect(a.changes.map((status) => status.role)).toEqual(['leader', 'standby']);
    expect(events.indexOf("a's work ended")).toBeGreaterThanOrEqual(0);
    await expect(a.store.insertLink('customer', link('103', 9))).rejects.toThrow(FencedError);
    await b.store.insertLink('customer', link('104', 10));
    const linked = await admin.query<{ crm_id: string }>('SELECT crm_id FROM links ORDER BY crm_id');
    expect(linked.rows.map((row) => row.crm_id)).toEqual(['101', '104']);
    // The claim came after a leader that did not let go: the term waits its grace first.
    expect(b.terms[0]?.graceMs).toBe(1);
    const stepped = a.lines.find((line) => String(line.msg).startsWith('stepped down: '));
    expect(stepped).toMatchObject({ role: 'standby', generation: 1 });
    expect(b.lines.find((line) => line.msg === 'became the leader (generation 2)')).toMatchObject({
      role: 'leader',
      generation: 2,
      previous: 'host-a/101',
    });
  });

  it('takes over the cycle lock the previous leader held, but never the lock of a `crm-sync run`', async () => {
    const { a, b } = await twoInstances();
    expect((await a.store.acquireLock({ id: 'host-a/101/run-1', description: 'a’s cycle' }, 60_000)).ok).toBe(
      true,
    );
    await cutLeaderConnection();
    await until('b leads', () => b.leadership.status().role === 'leader');
    expect(
      b.lines.some((line) => line.msg === 'took over the cycle lock of the previous leader (a’s cycle)'),
    ).toBe(true);
    expect((await b.store.acquireLock({ id: 'host-b/202/run-2', description: 'b’s cycle' }, 60_000)).ok).toBe(
      true,
    );
    await b.store.releaseLock('host-b/202/run-2');

    // A `run` from cron (unfenced) takes the lock while b is idle; b's cycle waits for it, and so does a takeover.
    const cron = plainStore();
    expect((await cron.acquireLock({ id: 'host-b/555/run-9', description: 'cron' }, 60_000)).ok).toBe(true);
    const held = await b.store.acquireLock({ id: 'host-b/202/run-3', description: 'b’s cycle' }, 60_000);
    expect(held).toEqual({ ok: false, holder: { id: 'host-b/555/run-9', description: 'cron' } });
    const c = instance('host-c/303');
    start(c, 'c');
    await until('c sees b lead', () => c.leadership.status().leader === 'host-b/202');
    await cutLeaderConnection();
    await until('c leads', () => c.leadership.status().role === 'leader');
    expect(c.leadership.status().generation).toBe(3n);
    expect(c.lines.some((line) => String(line.msg).startsWith('took over the cycle lock'))).toBe(false);
    const stillHeld = await c.store.acquireLock({ id: 'host-c/303/run-4', description: 'c’s cycle' }, 60_000);
    expect(stillHeld).toEqual({ ok: false, holder: { id: 'host-b/555/run-9', description: 'cron' } });
    await cron.releaseLock('host-b/555/run-9');
    expect((await c.store.acquireLock({ id: 'host-c/303/run-4', description: 'c’s cycle' }, 60_000)).ok).toBe(
      true,
    );
  });

  it('on a clean stop, lets go after its work ended: the standby leads at once, without a grace', async () => {
    const { a, b } = await twoInstances();
    await a.leadership.close();
    await until('b leads', () => b.leadership.status().role === 'leader');
    expect(events).toEqual(['a leads', "a's work ended", 'b leads']);
    expect(b.terms[0]).toMatchObject({ generation: 2n, graceMs: 0 });
    expect(a.leadership.status().role).toBe('standby');
    expect(a.lines.some((line) => line.msg === 'let go of the leadership')).toBe(true);
    await expect(a.store.insertLink('customer', link('101', 7))).rejects.toThrow(
      'this instance is the standby',
    );
  });
});
