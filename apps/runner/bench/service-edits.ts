import type { EditedIn, EditRequest, LinkedPair } from './simulator-edits.js';
import type { SimulatorProcess } from './simulator-link.js';

export type { EditedIn } from './simulator-edits.js';

/** One edit of a customer's street address, and when its value showed in the other system's store. */
export interface Edit extends EditRequest {
  /** Epoch ms just before the edit was sent. */
  readonly editedAt: number;
  /** Epoch ms of the first poll that saw the value in the other system; null while it has not. */
  arrivedAt: number | null;
  /** Epoch ms when the other system's store took the value (noted inside it); null while it has not. */
  storedAt: number | null;
}

/**
 * Edits "as a person" through the simulators' admin surface (not part of either API; packages/simulators), which
 * fires each system's webhooks as a person's edit would; the simulator process watches the other store every
 * 20 ms for each edit's value: the address is `erp-wins` and only one side of a pair changes, so the value must
 * arrive unchanged.
 */
export function createEditTracker(simulators: SimulatorProcess) {
  const made = (request: EditRequest, editedAt: number): Edit => ({
    ...request,
    editedAt,
    arrivedAt: null,
    storedAt: null,
  });
  return {
    /** One edit, one request; rejects naming the record when the simulator refused it. */
    async edit(editedIn: EditedIn, pair: LinkedPair, value: string): Promise<Edit> {
      const request = { editedIn, pair, value };
      return made(request, await simulators.edit(request));
    },
    /** Each edit its own request, `senders` at a time (people editing one record each). */
    async editEach(requests: readonly EditRequest[], senders: number): Promise<Edit[]> {
      const times = await simulators.editEach(requests, senders);
      return requests.map((request, index) => made(request, times[index] ?? Number.NaN));
    },
    /** The edits as one import per system, sent at the same moment. */
    async importEdits(requests: readonly EditRequest[]): Promise<Edit[]> {
      const editedAt = await simulators.importEdits(requests);
      return requests.map((request) => made(request, editedAt));
    },
    /** Waits until every one of `edits` arrived, or `timeoutMs`, and records when each did: the caller checks. */
    async settled(edits: readonly Edit[], timeoutMs: number): Promise<void> {
      const arrivals = await simulators.waitArrived(
        edits.map((edit) => edit.value),
        timeoutMs,
      );
      for (const edit of edits) {
        edit.arrivedAt = arrivals[edit.value]?.seenAt ?? null;
        edit.storedAt = arrivals[edit.value]?.storedAt ?? null;
      }
    },
  };
}

export type EditTracker = ReturnType<typeof createEditTracker>;
