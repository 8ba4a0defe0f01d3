import type { Entity } from '@port-service/mapping';
import { ok, type Result } from 'neverthrow';
import type { StateStore, WatermarkContext } from '../state/state-store.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import type { SyncClients } from './sync-clients.js';

/**
 * Where each side's next incremental read starts (docs/DESIGN.md §2). A watermark is always a lower bound of that
 * system's own time when a pass began reading, never the runner's clock: the later of the latest change the system
 * reports just before the pass (HubSpot's latest modified date, Business NXT's latest `changedTimestamp`) and
 * the previous watermark plus the time elapsed since it was asked for (a duration, which the clocks agree on).
 * Every change after it is stamped later by the system's clock, so clocks that differ from ours cannot hide an
 * edit, and an idle system's watermark still moves on. Reads start an overlap before it.
 */

export type Side = 'hubspot' | 'visma-nxt';

/**
 * How far before the watermark a read starts. HubSpot: its search index lags writes (the client's look-back).
 * Business NXT documents no lag for `changedTimestamp`; the overlap covers a row whose transaction commits after
 * a row stamped later was read.
 */
export const overlapMs: Readonly<Record<Side, number>> = { hubspot: 5 * 60_000, 'visma-nxt': 2 * 60_000 };

// The watermark of a side with no changed record yet: everything that changes from now on is newer.
const beginning = new Date(0).toISOString();

export const watermarkName = (entity: Entity, side: Side) => `${entity}.${side}`;

/** One side's watermark as a pass uses it. */
export interface Mark {
  /** Where the read starts (ISO 8601, before the overlap); `null` when this side is read in full. */
  readonly since: string | null;
  /** What the previous pass read within the overlap (id → change stamp): planned again only if the stamp moved. */
  readonly seen: Readonly<Record<string, string>>;
  /** The stored watermark and when it was asked for, even in a full cycle: the next watermark builds on it. */
  readonly previous: { readonly value: string; readonly probedAt: string } | null;
}

/** The watermark a pass will leave, and what it knew. */
export interface NextMark {
  /** Called for every record the pass reads, with its change stamp as the system wrote it. */
  saw(id: string, stamp: string | null | undefined): void;
  readonly value: string;
  readonly context: WatermarkContext;
}

/** Whether this installation has any watermark at all (the first cycle is full). */
export async function hasWatermarks(store: StateStore): Promise<boolean> {
  return (await store.getWatermark(watermarkName('customer', 'hubspot'))) !== null;
}

export async function readMark(store: StateStore, entity: Entity, side: Side, full: boolean): Promise<Mark> {
  const name = watermarkName(entity, side);
  const stored = await store.getWatermark(name);
  const context = stored === null ? null : await store.watermarkContext(name);
  const since = full ? null : stored;
  return {
    since,
    seen: since === null ? {} : (context?.seen ?? {}),
    previous: stored === null || context === null ? null : { value: stored, probedAt: context.probedAt },
  };
}

/** Whether a record read again in the overlap is unchanged since the previous pass read (and handled) it. */
export const unchangedSince = (mark: Mark, id: string, stamp: string | null | undefined): boolean =>
  stamp !== null && stamp !== undefined && mark.seen[id] === stamp;

/** When a probe is made: the runner's clock now, and the side's mark as the pass read it. */
interface ProbeAt {
  readonly now: Date;
  readonly mark: Mark;
}

/** HubSpot's time for the entity's object type: its latest modified date, or the previous watermark moved on. */
export async function probeHubSpot(
  clients: SyncClients,
  entity: Entity,
  at: ProbeAt,
): Promise<Result<NextMark, CycleError>> {
  const isCustomer = entity === 'customer';
  const latest = await (isCustomer ? clients.hubspot.companies : clients.hubspot.contacts).latestModified();
  return latest
    .map((ms) => nextMark(ms, at, overlapMs.hubspot, readHubSpotStamp))
    .mapErr((error) => fromHubSpot(error, `reading the latest ${isCustomer ? 'company' : 'contact'} change`));
}

/**
 * Business NXT's time: its latest `changedTimestamp`, or the previous watermark moved on. Its values are wall time
 * in the server's zone (`VISMA_TIME_ZONE`), read by the client: a wall time the night the clocks go back repeats
 * is read as the earlier instant, so the watermark stays a lower bound (and the client writes a read's lower bound
 * so that rows stamped after the clocks went back still match: `DateTimeCodec.lowerBound`).
 */
export async function probeErp(clients: SyncClients, at: ProbeAt): Promise<Result<NextMark, CycleError>> {
  const latest = await clients.visma.associates.latestChange();
  const read = (stamp: string | null | undefined) => clients.visma.dateTime.parse(stamp);
  return latest
    .map((value) => nextMark(read(value), at, overlapMs['visma-nxt'], read))
    .mapErr((error) => fromVisma(error, 'reading the latest associate change'));
}

/** A pass that moves no watermark (a dry run, `relink`). */
export const noMark = (): Result<NextMark | null, CycleError> => ok(null);

export async function saveMark(store: StateStore, entity: Entity, side: Side, mark: NextMark): Promise<void> {
  await store.setWatermark(watermarkName(entity, side), mark.value, mark.context);
}

function readHubSpotStamp(stamp: string | null | undefined): number | null {
  if (stamp === null || stamp === undefined) return null;
  const ms = /^\d+$/u.test(stamp) ? Number(stamp) : Date.parse(stamp);
  return Number.isNaN(ms) ? null : ms;
}

function nextMark(
  latestMs: number | null,
  at: ProbeAt,
  overlap: number,
  read: (stamp: string | null | undefined) => number | null,
): NextMark {
  // The previous watermark was no later than the system's time then; the system's clock has moved on since by
  // as much as ours (a runner clock set back counts as no time).
  const previous = at.mark.previous;
  const movedOn =
    previous === null
      ? null
      : Date.parse(previous.value) + Math.max(0, at.now.getTime() - Date.parse(previous.probedAt));
  const candidates = [latestMs, movedOn].filter((ms): ms is number => ms !== null && !Number.isNaN(ms));
  const valueMs = candidates.length === 0 ? null : Math.max(...candidates);
  const seen: Record<string, string> = {};
  const from = valueMs === null ? null : valueMs - overlap;
  return {
    value: valueMs === null ? beginning : new Date(valueMs).toISOString(),
    context: { probedAt: at.now.toISOString(), seen },
    saw(id, stamp) {
      if (stamp === null || stamp === undefined) return;
      const ms = read(stamp);
      // With no change before the pass, all it reads is within the overlap of the next one.
      if (ms !== null && (from === null || ms >= from)) seen[id] = stamp;
    },
  };
}
