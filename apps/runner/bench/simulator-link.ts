import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EditRequest, LinkedPair, SimulatorStart } from './simulator-edits.js';

/** Requests the simulators served (their own count, not the sync's), 429 answers included. */
export interface SimulatorStats {
  readonly hubspot: number;
  readonly visma: number;
  readonly hubspotRateLimited: number;
  readonly vismaRateLimited: number;
}

const child = fileURLToPath(new URL('./simulator-process.ts', import.meta.url));

/**
 * The simulators in a child process (simulator-process.ts), forked with this process's loader flags (tsx), and
 * the calls the bench makes to them. Rejects a call with the child's error message.
 */
export async function startSimulatorProcess(options: SimulatorStart) {
  const simulators: ChildProcess = fork(child, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  simulators.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const call = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(`the simulator process: ${message.error}`));
    else call?.resolve(message.result);
  });
  simulators.on('exit', (code) => {
    for (const call of waiting.values()) call.reject(new Error(`the simulator process exited (${code})`));
    waiting.clear();
  });
  const call = <Result>(method: string, params: unknown = null): Promise<Result> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      simulators.send({ id, method, params });
    });
  const started = await call<{ env: NodeJS.ProcessEnv; crmBaseUrl: string; erpAdminUrl: string }>(
    'start',
    options,
  );
  return {
    ...started,
    pairs: () => call<LinkedPair[]>('pairs'),
    stats: () => call<SimulatorStats>('stats'),
    /** One edit as a person's; answers the epoch ms just before it was sent. */
    edit: (edit: EditRequest) => call<number>('edit', edit),
    /** Edits one request each, `senders` at a time; answers each one's time. */
    editEach: (edits: readonly EditRequest[], senders: number) =>
      call<number[]>('editEach', { edits, senders }),
    /** Edits as one import per system, sent together; answers the time just before they were sent. */
    importEdits: (edits: readonly EditRequest[]) => call<number>('importEdits', { edits }),
    /**
     * When each value was stored in the other system and when the watch's poll saw it there (`null`: not within
     * `timeoutMs`).
     */
    waitArrived: (values: readonly string[], timeoutMs: number) =>
      call<Record<string, { seenAt: number | null; storedAt: number | null }>>('waitArrived', {
        values,
        timeoutMs,
      }),
    async close(): Promise<void> {
      if (simulators.exitCode !== null || simulators.signalCode !== null) return;
      const exited = new Promise((resolve) => simulators.once('exit', resolve));
      await call('close').catch(() => undefined);
      await exited;
    },
  };
}

export type SimulatorProcess = Awaited<ReturnType<typeof startSimulatorProcess>>;
