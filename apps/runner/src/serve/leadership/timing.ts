/** The leadership's clock (docs/DESIGN.md §5b, "Leadership"); tests shorten the poll and the grace, never the rules. */
export interface LeadershipTiming {
  /** How often a standby tries the advisory lock. */
  readonly pollMs: number;
  /** How often the leader proves its dedicated connection alive with a query. */
  readonly keepaliveEveryMs: number;
  /** How long that query (and every other on the dedicated connection) may take before the leader steps down. */
  readonly keepaliveTimeoutMs: number;
  /**
   * How long a new leader waits before its first cycle when the previous one did not let go. A previous leader
   * that lost its connection but still runs notices within one keepalive period plus its timeout (3 s), and stops
   * writing to the state at once and to the APIs at its run's next slice; the margin covers the request it had in
   * flight. What it created but could not record, the new leader's create intents find.
   */
  readonly takeoverGraceMs: number;
  /**
   * How long a leader that stepped down waits before competing again: a standby (trying every poll) takes over
   * first, for a connection that just failed is the worse candidate, and a flapping one does not flip the
   * leadership back and forth.
   */
  readonly rejoinAfterMs: number;
}

export const leadershipTiming: LeadershipTiming = {
  pollMs: 1_000,
  keepaliveEveryMs: 1_000,
  keepaliveTimeoutMs: 2_000,
  takeoverGraceMs: 4_000,
  rejoinAfterMs: 3_000,
};
