import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CliResult, finished } from '../e2e/cli-harness.js';
import type { ServeTerms } from './failover-leaders.js';

const bin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));

export type Role = 'leader' | 'standby';

/** One `crm-sync serve` process (the built CLI) of the failover suite, and what its log said so far. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly terms: ServeTerms;
  /** The role `/readyz` answers now, or `null` when it answers none (or nothing: the process is gone). */
  role(): Promise<Role | null>;
  /** Its stderr (the JSON log) and stdout so far, for a failure message. */
  output(): { stdout: string; stderr: string };
  /** Sends `signal` and waits for the end. */
  stop(signal: NodeJS.Signals): Promise<CliResult>;
  readonly ended: Promise<CliResult>;
}

/** Takes the leadership lines out of pino's JSON log lines (`time` is epoch milliseconds). */
function readLogLine(line: string, terms: ServeTerms): void {
  if (!line.startsWith('{')) return;
  let entry: { msg?: unknown; time?: unknown; generation?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return;
  }
  if (typeof entry.msg !== 'string' || typeof entry.time !== 'number') return;
  if (entry.msg.startsWith('became the leader'))
    terms.claims.push({ at: entry.time, generation: Number(entry.generation) });
  if (entry.msg.startsWith('stepped down')) terms.stepDowns.push({ at: entry.time, reason: entry.msg });
}

/**
 * Spawns `crm-sync serve` for instance `slot` on `port` with `env`, and waits until it says it listens. Its log is
 * read as it comes, so the claims are known the moment they are written.
 */
export async function startServe(options: {
  readonly slot: string;
  readonly name: string;
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
}): Promise<ServeProcess> {
  const terms: ServeTerms = {
    slot: options.slot,
    name: options.name,
    startedAt: Date.now(),
    claims: [],
    stepDowns: [],
  };
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...options.env, CRM_SYNC_HTTP_PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = finished(child);
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) readLogLine(line, terms);
  });
  const url = `http://127.0.0.1:${options.port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not start:\n${stdout}\n${stderr}`)),
      30_000,
    );
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      if (/listening on http:\/\//u.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${options.name} ended early:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    child,
    terms,
    ended,
    async role() {
      try {
        const answer = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
        const role = ((await answer.json()) as { role?: unknown }).role;
        return role === 'leader' || role === 'standby' ? role : null;
      } catch {
        return null;
      }
    },
    output: () => ({ stdout, stderr }),
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return ended;
    },
  };
}
