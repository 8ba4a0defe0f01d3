import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { standbyRefusal } from '../../state/postgres/fencing.js';
import { type LeadershipSession, openLeadershipSession } from '../../state/postgres/leadership-session.js';
import {
  recordedLeader,
  releaseLeadership,
  takeOverLeadership,
} from '../../state/postgres/leadership-takeover.js';
import type { Leadership, LeadershipCallbacks, LeadershipStatus } from './leadership.js';
import { pause } from './pause.js';
import { watchSession } from './session-watch.js';
import { type LeadershipTiming, leadershipTiming } from './timing.js';

export interface PostgresLeadershipOptions {
  /** The state's `postgres://` URL. */
  readonly url: string;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** This instance's holder id; `host/pid` by default, the prefix of its cycle locks' holder ids. */
  readonly holderId?: string | undefined;
  readonly timing?: Partial<LeadershipTiming> | undefined;
  readonly now?: (() => Date) | undefined;
}

const standby: LeadershipStatus = { role: 'standby', generation: null, leader: null };

const whenAborted = (signal: AbortSignal) =>
  new Promise<null>((resolve) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
  });

/**
 * The leadership of `crm-sync serve` instances sharing one PostgreSQL state (docs/DESIGN.md §5b, "Leadership"): a
 * standby tries the advisory lock on a dedicated connection every poll; the winner claims the leadership (a new
 * generation, fencing the previous leader's writes, its cycle lock taken over) and leads until that connection
 * fails or misses a keepalive, then steps down at once (its fence refuses every write, its term's signal aborts)
 * and competes again on a new connection.
 */
export function createPostgresLeadership(options: PostgresLeadershipOptions): Leadership {
  const timing = { ...leadershipTiming, ...options.timing };
  const holderId = options.holderId ?? `${hostname()}/${process.pid}`;
  const now = options.now ?? (() => new Date());
  const { logger } = options;
  const closing = new AbortController();
  let status = standby;
  let callbacks: LeadershipCallbacks | undefined;
  let competing: Promise<void> | null = null;
  let troubled = false;

  const become = (next: LeadershipStatus) => {
    status = next;
    callbacks?.changed(next);
  };

  /** Tries the lock every poll until it holds it (`true`) or the leadership closes; notes the leader it sees. */
  async function standBy(session: LeadershipSession): Promise<boolean> {
    while (!closing.signal.aborted) {
      if (await session.tryLock()) return true;
      status = { ...standby, leader: await recordedLeader(session.client) };
      if (troubled) logger.info({ role: 'standby' }, 'the leadership connection works again');
      troubled = false;
      await pause(timing.pollMs, closing.signal);
    }
    return false;
  }

  /**
   * One term: claims, leads until the session is lost (steps down: answers `true`) or the leadership closes (lets
   * go).
   */
  async function lead(session: LeadershipSession, work: LeadershipCallbacks): Promise<boolean> {
    const { generation, previous, tookOverLock } = await takeOverLeadership(session.client, holderId, now());
    const graceMs = previous === null ? 0 : timing.takeoverGraceMs;
    const fields = { role: 'leader', generation: Number(generation) };
    become({ role: 'leader', generation, leader: holderId });
    logger.info({ ...fields, previous, graceMs }, `became the leader (generation ${generation})`);
    if (tookOverLock !== null)
      logger.warn(fields, `took over the cycle lock of the previous leader (${tookOverLock})`);
    const term = new AbortController();
    const watch = watchSession(session, timing.keepaliveEveryMs);
    const working = work
      .lead({ generation, graceMs, signal: term.signal })
      .catch((error: unknown) => logger.error({ err: error, ...fields }, "the leader's work failed"));
    const lost = await Promise.race([watch.lost, whenAborted(closing.signal)]);
    watch.stop();
    if (lost !== null) {
      // The fence refuses every write from here on, before the run in flight gets to its next one.
      become(standby);
      logger.warn({ role: 'standby', generation: Number(generation) }, `stepped down: ${lost}`);
      term.abort('stepped down');
      await working;
      return true;
    }
    term.abort('SIGTERM');
    await working;
    await releaseLeadership(session.client, generation).catch((error: unknown) =>
      logger.warn({ err: error, ...fields }, 'could not record the release of the leadership'),
    );
    become(standby);
    logger.info({ role: 'standby', generation: Number(generation) }, 'let go of the leadership');
    return false;
  }

  async function compete(work: LeadershipCallbacks): Promise<void> {
    while (!closing.signal.aborted) {
      let session: LeadershipSession | undefined;
      let steppedDown = false;
      try {
        session = await openLeadershipSession(options.url, timing.keepaliveTimeoutMs);
        if (await standBy(session)) steppedDown = await lead(session, work);
      } catch (error) {
        if (!troubled) logger.warn({ err: error, role: status.role }, 'the leadership connection failed');
        troubled = true;
        await pause(timing.pollMs, closing.signal);
      } finally {
        await session?.close();
      }
      if (steppedDown) await pause(timing.rejoinAfterMs, closing.signal);
    }
  }

  return {
    shared: true,
    status: () => status,
    fence: () => {
      if (status.role === 'leader') return status.generation;
      throw standbyRefusal(status.leader);
    },
    start(work) {
      callbacks = work;
      competing ??= compete(work);
    },
    async close() {
      closing.abort('SIGTERM');
      await competing;
    },
  };
}
