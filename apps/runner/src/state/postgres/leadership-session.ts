import pg from 'pg';

/**
 * The session-level advisory lock whose holder is the service's leader: a fixed 64-bit key no other lock of the
 * database uses ("crmlead" in ASCII; the migrations' key is "crmsync"). Held by one session at a time, released
 * when that session ends, however it ends (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
 */
export const leadershipLockKey = '27991836989940068';

/**
 * How fast the server notices a leader's connection that went silent (a cut cable, not a closed socket): TCP
 * keepalives after 1 s idle, every 1 s, 3 unanswered ones drop it; data unacknowledged for 5 s drops it too. Only
 * on TCP connections (a Unix socket ignores them); a server that refuses one keeps its default, which is slower.
 * https://www.postgresql.org/docs/15/runtime-config-connection.html#RUNTIME-CONFIG-TCP-SETTINGS
 */
const serverKeepalives = [
  'SET tcp_keepalives_idle = 1',
  'SET tcp_keepalives_interval = 1',
  'SET tcp_keepalives_count = 3',
  'SET tcp_user_timeout = 5000',
];

/** One dedicated connection for the leadership: never a pooled one, whose session (and lock) is not its own. */
export interface LeadershipSession {
  /** For the claim's and the release's statements (leadership-takeover.ts). */
  readonly client: pg.Client;
  /** One try at the advisory lock, never waiting: `true` when this session holds it now. */
  tryLock(): Promise<boolean>;
  /** A round trip on the session; rejects when the connection failed or did not answer within the timeout. */
  ping(): Promise<void>;
  /** Resolves, saying why, when the connection errs or ends: the lock (if held) went with it. */
  readonly lost: Promise<string>;
  /**
   * Ends the session (the server releases its lock). Waits at most `timeoutMs` for a connection that went silent:
   * the server drops that one itself (`serverKeepalives`).
   */
  close(): Promise<void>;
}

/**
 * Connects a dedicated client: TCP keepalives on (https://node-postgres.com/apis/client), every query answered
 * within `timeoutMs` or failed (`query_timeout`), and the server's keepalives shortened where it allows.
 */
export async function openLeadershipSession(url: string, timeoutMs: number): Promise<LeadershipSession> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'crm-sync leadership',
    keepAlive: true,
    keepAliveInitialDelayMillis: 1_000,
    connectionTimeoutMillis: Math.max(timeoutMs, 5_000),
    query_timeout: timeoutMs,
  });
  let markLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    markLost = resolve;
  });
  // Without a listener an error of an idle client would end the process.
  client.on('error', (error) => markLost(`the leadership connection failed: ${error.message}`));
  client.on('end', () => markLost('the leadership connection ended'));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  for (const statement of serverKeepalives) await client.query(statement).catch(() => undefined);
  return {
    client,
    async tryLock() {
      const result = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [leadershipLockKey],
      );
      return result.rows[0]?.locked === true;
    },
    async ping() {
      await client.query('SELECT 1');
    },
    lost,
    async close() {
      const ended = client.end().catch(() => undefined);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    },
  };
}
