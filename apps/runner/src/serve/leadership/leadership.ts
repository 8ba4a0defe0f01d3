import type { Fence } from '../../state/postgres/fencing.js';

export type LeadershipRole = 'leader' | 'standby';

export interface LeadershipStatus {
  readonly role: LeadershipRole;
  /** The generation this instance leads with; `null` on a standby and on SQLite (no leadership there). */
  readonly generation: bigint | null;
  /** The leader's holder id (`host/pid`) as this instance last saw it, `null` when it knows none. */
  readonly leader: string | null;
}

/** One stretch of leading: from winning the leadership to stepping down or stopping. */
export interface LeaderTerm {
  readonly generation: bigint | null;
  /** How long to wait before the first cycle (takeover from a leader that did not let go), else 0. */
  readonly graceMs: number;
  /** Aborts when this instance steps down (reason `stepped down`) or stops (`SIGTERM`). */
  readonly signal: AbortSignal;
}

export interface LeadershipCallbacks {
  /** Runs the term's work (the service loop) until its signal aborts; the leadership waits for it to end. */
  lead(term: LeaderTerm): Promise<void>;
  /** After each change of role. */
  changed(status: LeadershipStatus): void;
}

/**
 * Which instance runs cycles and processes the inbox (docs/DESIGN.md §5b, "Leadership"): on a PostgreSQL state the
 * holder of an advisory lock (postgres-leadership.ts); on SQLite the only instance (`soleLeadership`).
 */
export interface Leadership {
  /** Whether other instances share the state (and fill its inbox): PostgreSQL. */
  readonly shared: boolean;
  status(): LeadershipStatus;
  /** The state store's fence (state/postgres/fencing.ts): the leader's generation, a standby's refusal. */
  readonly fence: Fence;
  /** Starts competing (once); `lead` is called for each term won. */
  start(callbacks: LeadershipCallbacks): void;
  /** Stops competing; a leader ends its term, waits for its work, and lets go. */
  close(): Promise<void>;
}

/** SQLite: the file lock makes this the only instance, so it leads from the start, unfenced. */
export function soleLeadership(): Leadership {
  const status: LeadershipStatus = { role: 'leader', generation: null, leader: null };
  const stopping = new AbortController();
  let work: Promise<void> = Promise.resolve();
  return {
    shared: false,
    status: () => status,
    fence: () => null,
    start(callbacks) {
      work = callbacks.lead({ generation: null, graceMs: 0, signal: stopping.signal });
    },
    async close() {
      stopping.abort('SIGTERM');
      await work;
    },
  };
}
