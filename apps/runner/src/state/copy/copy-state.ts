import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { HeldLock } from '../../engine/cycle-lock.js';
import {
  checkHashKey,
  hashKeyCheckName,
  hashKeyCheckValue,
  hashKeyMismatchMessage,
} from '../hash-key-check.js';
import { openMigratedStateStore } from '../open-state-store.js';
import { describeStateLocation } from '../state-location.js';
import type { LockHolder, StateStore } from '../state-store.js';
import { copiedTables } from './copied-tables.js';
import { lockFor, openTarget, reachTarget } from './copy-endpoints.js';
import { copyTables, type TableCopy } from './copy-tables.js';
import { openSqliteSource, type SqliteSource } from './sqlite-source.js';
import { type TargetHoldings, targetHoldings } from './target-holdings.js';

export interface StateCopyRequest {
  /** The SQLite state (`CRM_SYNC_STATE`). */
  readonly source: string;
  /** The PostgreSQL database, a `postgres://` URL. */
  readonly target: string;
  /** The fingerprint key the source was made with. */
  readonly hashKey: string;
  /** Counts and checks only: nothing written to the target, no lock taken. */
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** A line of progress, for large tables. */
  readonly progress: (line: string) => void;
  /** Runs once the copy is verified, before it is committed (the key file); `undo` when the commit fails. */
  readonly beforeCommit?: { run(): void; undo(): void } | undefined;
  readonly now?: (() => Date) | undefined;
}

export type StateCopyOutcome =
  | { readonly kind: 'copied' | 'differs'; readonly tables: readonly TableCopy[] }
  | { readonly kind: 'dry-run'; readonly tables: readonly TableCopy[]; readonly target: TargetHoldings }
  /** `locked`: a cycle holds the lock of the source or the target (exit 75, try again), else a refusal (exit 2). */
  | { readonly kind: 'refused'; readonly reason: string; readonly locked: boolean };

const refused = (reason: string, locked = false): StateCopyOutcome => ({ kind: 'refused', reason, locked });

/** The state's meta rows, from the source's snapshot. */
function metaOf(source: SqliteSource): Map<string, string> {
  const rows = [...source.rows('state_meta', ['name', 'value'])];
  return new Map(rows.map(([name, value]) => [String(name), String(value)]));
}

/**
 * Copies a SQLite state into an empty PostgreSQL database (docs/OPERATION.md, "Moving the state to PostgreSQL"):
 * both migrated first, both cycle locks held throughout, every table of `copiedTables` copied in one transaction
 * on the target and compared, table by table, before it commits: a difference leaves the target as it was.
 */
export async function copyState(request: StateCopyRequest): Promise<StateCopyOutcome> {
  if (!existsSync(request.source)) return refused(`there is no SQLite state at ${request.source}`);
  const now = request.now ?? (() => new Date());
  const holder: LockHolder = {
    id: `${hostname()}/${process.pid}/state-copy`,
    description: `crm-sync state copy, pid ${process.pid} on ${hostname()} since ${now().toISOString()}`,
  };
  const opened: StateStore[] = [];
  const locks: HeldLock[] = [];
  try {
    const sourceStore = await openMigratedStateStore(request.source, now);
    opened.push(sourceStore);
    if (!request.dryRun) {
      const lock = await lockFor(sourceStore, 'source', holder, request.logger);
      if ('refusal' in lock) return refused(lock.refusal, true);
      locks.push(lock.held);
    }
    return await withSource(request, now, async (source) => {
      if (request.dryRun) return dryRun(request, source);
      const targetStore = await openTarget(request.target, now);
      opened.push(targetStore);
      const lock = await lockFor(targetStore, 'target', holder, request.logger);
      if ('refusal' in lock) return refused(lock.refusal, true);
      locks.push(lock.held);
      return copyInto(request, source);
    });
  } finally {
    for (const lock of locks.reverse()) await lock.release().catch(() => undefined);
    for (const store of opened) await store.close().catch(() => undefined);
  }
}

/** Opens the source, checks the key against it (recording its check value when it has none), runs `work`. */
async function withSource(
  request: StateCopyRequest,
  now: () => Date,
  work: (source: SqliteSource) => Promise<StateCopyOutcome>,
): Promise<StateCopyOutcome> {
  const source = openSqliteSource(request.source);
  try {
    const stored = await source.meta.get(hashKeyCheckName);
    const key = request.dryRun
      ? stored === null || stored === hashKeyCheckValue(request.hashKey)
      : (await checkHashKey(source.meta, request.hashKey, now().toISOString())) !== 'differs';
    if (!key) return refused(hashKeyMismatchMessage(describeStateLocation(request.source)));
    source.snapshot();
    return await work(source);
  } finally {
    source.close();
  }
}

async function dryRun(request: StateCopyRequest, source: SqliteSource): Promise<StateCopyOutcome> {
  const tables = copiedTables().map((table) => ({
    table,
    source: source.count(table),
    target: null,
    same: null,
  }));
  const target = await reachTarget(request.target);
  try {
    return { kind: 'dry-run', tables, target: await targetHoldings(target, copiedTables(), metaOf(source)) };
  } finally {
    await target.end();
  }
}

async function copyInto(request: StateCopyRequest, source: SqliteSource): Promise<StateCopyOutcome> {
  const tables = copiedTables();
  const target = await reachTarget(request.target);
  try {
    await target.begin();
    await target.lock(tables);
    const holdings = await targetHoldings(target, tables, metaOf(source));
    if (holdings.kind !== 'empty')
      return refused(
        `the target database ${describeStateLocation(request.target)} cannot take a copy: ${holdings.kind === 'state' ? holdings.reason : 'it has no state tables'}; copy into a new, empty database`,
      );
    if (holdings.sameMeta) await target.clearMeta();
    const copied = await copyTables(source, target, tables, request.progress);
    if ('problem' in copied) return refused(copied.problem);
    if (copied.some((table) => !table.same)) return { kind: 'differs', tables: copied };
    request.beforeCommit?.run();
    try {
      await target.commit();
    } catch (error) {
      request.beforeCommit?.undo();
      throw error;
    }
    return { kind: 'copied', tables: copied };
  } finally {
    await target.rollback().catch(() => undefined);
    await target.end();
  }
}
