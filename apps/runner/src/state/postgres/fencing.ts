import type pg from 'pg';

/**
 * Fencing with the leadership generation (docs/DESIGN.md): each claim of the `service` row raises its generation,
 * and a fenced instance's writes first read the row `FOR SHARE` in their own transaction. A claim's UPDATE waits
 * for every transaction holding that share lock, so a write of the old generation commits before the claim or
 * sees the new generation and fails; never after
 * (https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-ROWS).
 */
export const leadershipName = 'service';

/**
 * A write refused because another instance claimed the leadership since this one did, or (`generation` null)
 * because this instance is the standby and refused it without asking the database (`standbyRefusal`).
 */
export class FencedError extends Error {
  constructor(
    readonly generation: bigint | null,
    readonly current: bigint | null,
    message = `fenced: this instance's leadership generation is ${generation}, the current one is ${current ?? 'none (no leader recorded)'}: another instance leads now, so this one may not write to the state`,
  ) {
    super(message);
    this.name = 'FencedError';
  }
}

/** The refusal of a standby's write: names the leader (`host/pid`) as this instance last saw it. */
export function standbyRefusal(leader: string | null): FencedError {
  return new FencedError(
    null,
    null,
    `fenced: this instance is the standby; the leader is ${leader ?? 'not known yet (none recorded)'}: only the leader writes to the state, so run sync actions on the leader's console`,
  );
}

/**
 * Answers the generation this instance leads with, or `null` when its writes are not fenced; or throws (a
 * `FencedError`) to refuse every write at once without asking the database: a standby, or a leader that stepped
 * down.
 */
export type Fence = () => bigint | number | null;

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Reads the current generation `FOR SHARE` (held until the caller's transaction ends) and throws `FencedError`
 * unless it is `generation`. Run it inside a transaction, before its first write.
 * https://www.postgresql.org/docs/15/sql-select.html#SQL-FOR-UPDATE-SHARE
 */
export async function checkFence(client: Queryable, generation: bigint): Promise<void> {
  const result = await client.query<{ generation: string }>(
    'SELECT generation::text AS generation FROM leadership WHERE name = $1 FOR SHARE',
    [leadershipName],
  );
  const current = result.rows[0] === undefined ? null : BigInt(result.rows[0].generation);
  if (current !== generation) throw new FencedError(generation, current);
}

/**
 * Becomes the leader: raises the generation of the `service` row (creating it at 1), records the holder, and
 * answers the new generation to fence this instance's writes with. It waits for fenced transactions of the
 * previous generation to end. https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT
 */
export async function claimLeadership(
  client: Queryable,
  holderId: string,
  at: Date = new Date(),
): Promise<bigint> {
  const result = await client.query<{ generation: string }>(
    `INSERT INTO leadership (name, generation, holder_id, acquired_at) VALUES ($1, 1, $2, $3)
     ON CONFLICT (name) DO UPDATE
       SET generation = leadership.generation + 1, holder_id = excluded.holder_id, acquired_at = excluded.acquired_at
     RETURNING generation::text AS generation`,
    [leadershipName, holderId, at.toISOString()],
  );
  const [row] = result.rows;
  if (row === undefined) throw new Error('claiming the leadership answered no row');
  return BigInt(row.generation);
}
