import type { ApiWrite } from './api-write-counter.js';

/** One `crm-sync serve` process of the failover suite, as its log tells its terms. */
export interface ServeTerms {
  /** The instance (its port and its API proxy), e.g. `a`; a restarted process keeps its instance's slot. */
  readonly slot: string;
  /** The process, e.g. `a3`: the slot and how many processes it has had. */
  readonly name: string;
  /** When the test spawned it (`Date.now()`). */
  readonly startedAt: number;
  /** Its `became the leader` lines: the log's time and the generation claimed. */
  readonly claims: Array<{ readonly at: number; readonly generation: number }>;
  /** Its `stepped down: …` lines. */
  readonly stepDowns: Array<{ readonly at: number; readonly reason: string }>;
}

/** A write request one instance's API proxy received. */
export interface InstanceWrite extends ApiWrite {
  readonly slot: string;
}

/** A write sent while its process was not the leader, and why it counts. */
export interface SecondLeaderWrite {
  readonly write: InstanceWrite;
  readonly process: string;
  readonly why: string;
}

/** The writes of processes that were not the leader when they sent them, in two kinds. */
export interface WriteAudit {
  /**
   * Writes by two leaders at once: by a process that had not claimed the leadership at all (a standby writing; two
   * instances that both act as leaders, neither logging a claim, count with every write), or by one whose
   * generation another process had passed and had already written under.
   */
  readonly twoLeaders: SecondLeaderWrite[];
  /**
   * The last writes of a deposed leader: after another process claimed a higher generation but before that one's
   * first write. What the takeover grace is for; counted, but only `twoLeaders` is a failure.
   */
  readonly late: SecondLeaderWrite[];
}

/** The process of `slot` that was running at `at`: the last one spawned before it (a slot runs one at a time). */
function processAt(processes: readonly ServeTerms[], slot: string, at: number): ServeTerms | undefined {
  let found: ServeTerms | undefined;
  for (const candidate of processes)
    if (
      candidate.slot === slot &&
      candidate.startedAt <= at &&
      (found?.startedAt ?? -1) <= candidate.startedAt
    )
      found = candidate;
  return found;
}

const lastClaimBefore = (owner: ServeTerms, at: number) =>
  owner.claims.filter((claim) => claim.at <= at).at(-1);

/** The first write the proxies saw from `owner` at or after `from`, or `undefined`. */
function firstWriteOf(
  processes: readonly ServeTerms[],
  writes: readonly InstanceWrite[],
  owner: ServeTerms,
  from: number,
): InstanceWrite | undefined {
  return writes.find(
    (write) =>
      write.slot === owner.slot && write.at >= from && processAt(processes, write.slot, write.at) === owner,
  );
}

/**
 * Sorts each write by whose term it came in, from the logs' `became the leader` lines and the proxies' arrival times
 * only, never the service's own account. A write by process X after another process claimed a higher generation
 * than X's last claim is a write by two leaders at once once that process has written itself; before, it is X's
 * last slice still going out (a proxy times a write when its body has arrived, a little after it was sent, and a
 * leader whose connection was cut can be replaced before it learns of the cut).
 */
export function auditWrites(processes: readonly ServeTerms[], writes: readonly InstanceWrite[]): WriteAudit {
  const audit: WriteAudit = { twoLeaders: [], late: [] };
  for (const write of writes) {
    const owner = processAt(processes, write.slot, write.at);
    if (owner === undefined) {
      audit.twoLeaders.push({ write, process: '?', why: `no process of instance ${write.slot} was running` });
      continue;
    }
    const own = lastClaimBefore(owner, write.at);
    if (own === undefined) {
      audit.twoLeaders.push({ write, process: owner.name, why: `${owner.name} had not become the leader` });
      continue;
    }
    const newer = processes
      .filter((other) => other !== owner)
      .flatMap((other) => other.claims.map((claim) => ({ other, claim })))
      .filter(({ claim }) => claim.at <= write.at && claim.generation > own.generation);
    const [first] = newer;
    if (first === undefined) continue;
    const writing = newer
      .map(({ other, claim }) => ({ other, claim, since: firstWriteOf(processes, writes, other, claim.at) }))
      .find(({ since }) => since !== undefined && since.at <= write.at);
    // Whether it knew: a step-down it logged after its claim and before the write.
    const down = owner.stepDowns.find((step) => step.at >= own.at && step.at <= write.at);
    const knew = down === undefined ? '' : `, ${write.at - down.at} ms after it logged "${down.reason}"`;
    const { other, claim } = writing ?? first;
    const wrote =
      writing?.since === undefined
        ? ', before that one wrote'
        : ` and ${write.at - writing.since.at} ms after that one's first write`;
    const why = `${owner.name} (generation ${own.generation}) wrote ${write.at - claim.at} ms after ${other.name} became the leader (generation ${claim.generation})${wrote}${knew}`;
    (writing === undefined ? audit.late : audit.twoLeaders).push({ write, process: owner.name, why });
  }
  return audit;
}

/** The found writes as lines for a failure message: the first few, and how many in all. */
export function describeWrites(found: readonly SecondLeaderWrite[], shown = 5): string {
  if (found.length === 0) return 'none';
  const lines = found
    .slice(0, shown)
    .map(({ write, why }) => `${write.system} ${write.kind} at ${new Date(write.at).toISOString()}: ${why}`);
  return `${found.length} (${lines.join('; ')}${found.length > shown ? '; …' : ''})`;
}
