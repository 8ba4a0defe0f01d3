import { ok, type Result } from 'neverthrow';
import { type CycleError, stopRequested } from './cycle-error.js';
import { type EntityRun, planAndApply, sliceFailed } from './entity-run.js';
import type { Slice } from './slices.js';

/** One page of what a pass reads, and how many there are in all when the API says (Business NXT's totalCount). */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly total: number | null;
}

/** What one pass of a cycle reads, and how it turns a chunk of that into a slice to plan. */
export interface SliceSource<Item> {
  readonly side: 'hubspot' | 'visma-nxt' | 'links';
  readonly pages: AsyncIterable<Result<Page<Item>, CycleError>>;
  /** Whether an item still needs planning (it is counted as read either way). */
  readonly take: (item: Item) => boolean;
  readonly toSlice: (items: readonly Item[]) => Promise<Result<Slice, CycleError>>;
  /** Where a chunk whose slice could not be read is reported, and under which ids (retried next cycle). */
  readonly failedAs: { readonly system: 'hubspot' | 'visma-nxt'; readonly id: (item: Item) => string };
  /** Called once a chunk's slice is read, before it is planned. */
  readonly onSlice?: ((slice: Slice) => void) | undefined;
}

// 3,200 = one Business NXT lookup request (32 operations × 100 values): fewer slices, fewer requests.
export const defaultChunkSize = 3200;

/**
 * The read-plan-apply loop every pass shares (docs/DESIGN.md §2): read pages, gather the items still to plan into
 * chunks, read each chunk's counterparts into a slice, plan it and apply the plan. Reading goes on while a slice is
 * applied; one slice at a time, so slices never race each other. Returns the first error that stops the cycle.
 */
export async function runSlices<Item>(run: EntityRun, source: SliceSource<Item>): Promise<CycleError | null> {
  const { options } = run.cycle;
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  let chunk: Item[] = [];
  let read = 0;
  let inFlight: Promise<CycleError | null> = Promise.resolve(null);
  const flush = async (items: Item[]): Promise<CycleError | null> => {
    if (items.length === 0) return null;
    const slice = await source.toSlice(items);
    if (slice.isErr())
      return sliceFailed(run, slice.error, source.failedAs.system, items.map(source.failedAs.id));
    source.onSlice?.(slice.value);
    return planAndApply(run, slice.value);
  };
  const { signal } = options;
  for await (const page of source.pages) {
    if (page.isErr()) return page.error;
    // Asked to stop: the slice in flight finishes and commits, no other starts.
    const stop = stopRequested(signal);
    if (stop !== null) return (await inFlight) ?? stop;
    read += page.value.items.length;
    options.onProgress?.({ entity: run.entity, side: source.side, read, total: page.value.total });
    for (const item of page.value.items) {
      if (!source.take(item)) continue;
      chunk.push(item);
      if (chunk.length < chunkSize) continue;
      const failure = (await inFlight) ?? stopRequested(signal);
      if (failure !== null) return failure;
      inFlight = flush(chunk);
      chunk = [];
    }
  }
  return (await inFlight) ?? stopRequested(signal) ?? (await flush(chunk));
}

/** A list as one page (the records to retry). */
export async function* onePage<Item>(items: readonly Item[]): AsyncGenerator<Result<Page<Item>, CycleError>> {
  yield ok({ items, total: items.length });
}
