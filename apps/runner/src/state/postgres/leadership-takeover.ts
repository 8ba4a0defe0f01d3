import type pg from 'pg';
import { claimLeadership, leadershipName } from './fencing.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** What a claim found and did. */
export interface Takeover {
  /** The generation this instance leads with from now on. */
  readonly generation: bigint;
  /**
   * The previous leader's holder id (`host/pid`) when it did not let go (it died, or lost its connection); `null`
   * on the first claim, or after a leader that stopped and released the leadership.
   */
  readonly previous: string | null;
  /** The description of the previous leader's cycle lock, when this claim took it over. */
  readonly tookOverLock: string | null;
}

/**
 * Claims the leadership (raising the generation, fencing the previous leader's writes) and takes over the cycle
 * lock the previous leader still holds, in one transaction: its holder ids are `host/pid/run`, the leader's
 * `host/pid`. A lock held by anyone else (a `crm-sync run` from cron) is left alone: the cycles wait for it.
 * Call it only while holding the advisory lock (leadership-session.ts).
 * https://www.postgresql.org/docs/15/functions-string.html (starts_with)
 */
export async function takeOverLeadership(
  client: Queryable,
  holderId: string,
  at: Date = new Date(),
): Promise<Takeover> {
  await client.query('BEGIN');
  try {
    const before = await client.query<{ holder_id: string | null }>(
      'SELECT holder_id FROM leadership WHERE name = $1 FOR UPDATE',
      [leadershipName],
    );
    const previous = before.rows[0]?.holder_id ?? null;
    const generation = await claimLeadership(client, holderId, at);
    const taken =
      previous === null
        ? null
        : await client.query<{ holder: string }>(
            "DELETE FROM locks WHERE name = 'cycle' AND starts_with(holder_id, $1) RETURNING holder",
            [`${previous}/`],
          );
    await client.query('COMMIT');
    return { generation, previous, tookOverLock: taken?.rows[0]?.holder ?? null };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Lets go of the leadership on a clean stop: the row keeps its generation but names no holder, so the next leader
 * knows nothing of this one may still be running and starts without a grace. Only while `generation` is current.
 */
export async function releaseLeadership(client: Queryable, generation: bigint): Promise<void> {
  await client.query('UPDATE leadership SET holder_id = NULL WHERE name = $1 AND generation = $2', [
    leadershipName,
    generation.toString(),
  ]);
}

/** The leader as the `leadership` row names it (`null`: none recorded, or it released the leadership). */
export async function recordedLeader(client: Queryable): Promise<string | null> {
  const result = await client.query<{ holder_id: string | null }>(
    'SELECT holder_id FROM leadership WHERE name = $1',
    [leadershipName],
  );
  return result.rows[0]?.holder_id ?? null;
}
