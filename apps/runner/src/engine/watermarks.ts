import { createTimestampReader, type Entity } from '@port-service/mapping';
import { ok, type Result } from 'neverthrow';
import type { StateStore } from '../state/state-store.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import type { SyncClients } from './sync-clients.js';

/**
 * Where each side's next incremental read starts (DESIGN §2). A watermark is always that system's own time, never
 * the runner's: the latest change the system reports just before a pass reads it (HubSpot's latest modified date,
 * Business NXT's latest `changedTimestamp`). Every change after that instant is stamped later by the same clock,
 * so clocks that differ from ours cannot hide an edit. Reads start an overlap before it.
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
const readErpTimestamp = createTimestampReader();

export const watermarkName = (entity: Entity, side: Side) => `${entity}.${side}`;

/** One side's watermark as a pass uses it. */
export interface Mark {
  /** Where the read starts (ISO 8601, before the overlap); `null` when this side is read in full. */
  readonly since: string | null;
  /** What the previous pass read within the overlap (id → change stamp): planned again only if the stamp moved. */
  readonly seen: Readonly<Record<string, string>>;
}

/** The watermark a pass will leave, and the records it read within its overlap. */
export interface NextMark {
  /** Called for every record the pass reads, with its change stamp as the system wrote it. */
  saw(id: string, stamp: string | null | undefined): void;
  readonly value: string;
  readonly boundary: Readonly<Record<string, string>>;
}

/** Whether this installation has any watermark at all (the first cycle is full). */
export async function hasWatermarks(store: StateStore): Promise<boolean> {
  return (await store.getWatermark(watermarkName('customer', 'hubspot'))) !== null;
}

export async function readMark(store: StateStore, entity: Entity, side: Side, full: boolean): Promise<Mark> {
  const name = watermarkName(entity, side);
  const since = full ? null : await store.getWatermark(name);
  return { since, seen: since === null ? {} : await store.watermarkBoundary(name) };
}

/** Whether a record read again in the overlap is unchanged since the previous pass read (and handled) it. */
export const unchangedSince = (mark: Mark, id: string, stamp: string | null | undefined): boolean =>
  stamp !== null && stamp !== undefined && mark.seen[id] === stamp;

/** HubSpot's latest modified date for the entity's object type, by HubSpot's clock. */
export async function probeHubSpot(
  clients: SyncClients,
  entity: Entity,
): Promise<Result<NextMark, CycleError>> {
  const isCustomer = entity === 'customer';
  const latest = await (isCustomer ? clients.hubspot.companies : clients.hubspot.contacts).latestModified();
  return latest
    .map((ms) => nextMark(ms, overlapMs.hubspot, readHubSpotStamp))
    .mapErr((error) => fromHubSpot(error, `reading the latest ${isCustomer ? 'company' : 'contact'} change`));
}

/** Business NXT's latest `changedTimestamp` of any associate, read in the ERP's time zone. */
export async function probeErp(clients: SyncClients): Promise<Result<NextMark, CycleError>> {
  const latest = await clients.visma.associates.latestChange();
  return latest
    .map((value) => nextMark(readErpTimestamp(value), overlapMs['visma-nxt'], readErpTimestamp))
    .mapErr((error) => fromVisma(error, 'reading the latest associate change'));
}

/** A pass that moves no watermark (a dry run, `relink`). */
export const noMark = (): Result<NextMark | null, CycleError> => ok(null);

export async function saveMark(store: StateStore, entity: Entity, side: Side, mark: NextMark): Promise<void> {
  await store.setWatermark(watermarkName(entity, side), mark.value, mark.boundary);
}

function readHubSpotStamp(stamp: string | null | undefined): number | null {
  if (stamp === null || stamp === undefined) return null;
  const ms = /^\d+$/u.test(stamp) ? Number(stamp) : Date.parse(stamp);
  return Number.isNaN(ms) ? null : ms;
}

function nextMark(
  latestMs: number | null,
  overlap: number,
  read: (stamp: string | null | undefined) => number | null,
): NextMark {
  const boundary: Record<string, string> = {};
  const from = latestMs === null ? null : latestMs - overlap;
  return {
    value: latestMs === null ? beginning : new Date(latestMs).toISOString(),
    boundary,
    saw(id, stamp) {
      if (stamp === null || stamp === undefined) return;
      const ms = read(stamp);
      // With no change before the pass, all it reads is within the overlap of the next one.
      if (ms !== null && (from === null || ms >= from)) boundary[id] = stamp;
    },
  };
}
