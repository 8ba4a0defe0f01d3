import { describe, expect, it } from 'vitest';
import type { InboxEvent } from '../state/state-store.js';
import { createInboxWriter } from './inbox-writer.js';

const event = (recordId: string): InboxEvent => ({
  system: 'visma-nxt',
  dedupeKey: `visma-nxt:Associate:${recordId}`,
  entity: null,
  recordId,
  kind: 'changed',
  occurredAt: null,
  ownEcho: false,
  related: [],
});

/** A store that keeps every call; after `hold()` its next call waits until the returned release is called. */
function recordingStore() {
  const calls: string[][] = [];
  let failNext = false;
  let gate: Promise<void> | null = null;
  return {
    calls,
    failNext: () => {
      failNext = true;
    },
    hold(): () => void {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    },
    store: {
      async enqueueEvents(events: readonly InboxEvent[]) {
        calls.push(events.map((stored) => stored.recordId));
        const waiting = gate;
        gate = null;
        if (waiting !== null) await waiting;
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return events.length;
      },
    },
  };
}

describe('the inbox writer', () => {
  it('stores deliveries that arrive together in one call, and answers each once they are stored', async () => {
    const recording = recordingStore();
    const committed: number[] = [];
    const writer = createInboxWriter({
      store: recording.store,
      now: () => new Date('2026-12-02T08:00:00Z'),
      committed: (stored) => {
        committed.push(stored);
      },
    });
    const answered: string[] = [];
    await Promise.all(
      [['1'], ['2', '3'], ['4']].map((ids) =>
        writer.store(ids.map(event)).then(() => answered.push(ids.join('+'))),
      ),
    );
    expect(recording.calls).toEqual([['1', '2', '3', '4']]);
    expect(answered).toEqual(['1', '2+3', '4']);
    expect(committed).toEqual([4]);
  });

  it('refuses every delivery of a group whose transaction failed, and stores the next group', async () => {
    const recording = recordingStore();
    const writer = createInboxWriter({ store: recording.store, now: () => new Date(), committed: () => {} });
    recording.failNext();
    const outcomes = await Promise.allSettled([writer.store([event('1')]), writer.store([event('2')])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    await expect(writer.store([event('3')])).resolves.toBeUndefined();
    expect(recording.calls).toEqual([['1', '2'], ['3']]);
  });

  it('puts a delivery that arrives during a commit into the next one', async () => {
    const recording = recordingStore();
    const writer = createInboxWriter({ store: recording.store, now: () => new Date(), committed: () => {} });
    const release = recording.hold();
    let firstDone = false;
    const first = writer.store([event('1')]).then(() => {
      firstDone = true;
    });
    await expect.poll(() => recording.calls.length).toBe(1);
    const second = writer.store([event('2')]);
    expect(firstDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(recording.calls).toEqual([['1'], ['2']]);
  });
});
