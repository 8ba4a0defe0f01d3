import { describeBinding } from '../engine/binding.js';
import { type CycleOptions, runCycle } from '../engine/cycle.js';
import { LockHeldError } from '../engine/cycle-lock.js';
import type { CycleReport } from '../engine/report.js';
import { maskPersonalData } from '../logging/mask.js';
import { formatPlan, type PlannedOperation } from '../output/format-plan.js';
import { formatReport } from '../output/format-report.js';
import { createProgress } from '../output/progress.js';
import { exitCodes, type Runtime, requireBinding } from './runtime.js';
import { stopOnSignals } from './stop-signals.js';

export interface RunOptions {
  readonly dryRun?: boolean | undefined;
  readonly full?: boolean | undefined;
  readonly only?: 'customers' | 'contacts' | undefined;
  readonly json?: boolean | undefined;
  readonly logPersonalData?: boolean | undefined;
  /** `crm-sync relink`: record links only. */
  readonly linkOnly?: boolean | undefined;
}

export interface RunOutcome {
  readonly exitCode: number;
  readonly report: CycleReport | null;
}

/** One cycle (`crm-sync run`), or with `showPlan` the plan without applying it (`crm-sync plan`). */
export async function runCommand(
  runtime: Runtime,
  options: RunOptions,
  write: (text: string) => void,
  showPlan = false,
): Promise<RunOutcome> {
  const dryRun = showPlan || options.dryRun === true;
  const binding = await requireBinding(runtime, !dryRun);
  if (binding.isErr()) {
    write(
      options.json
        ? JSON.stringify({ exitCode: exitCodes.cycleFailed, failure: binding.error }, null, 2)
        : `crm-sync: ${binding.error}`,
    );
    return { exitCode: exitCodes.cycleFailed, report: null };
  }
  const note = describeBinding(binding.value);
  if (note !== null && !options.json) write(note);
  const progress = options.json ? null : createProgress();
  const stop = stopOnSignals(runtime.logger);
  const planned: PlannedOperation[] = [];
  const cycleOptions: CycleOptions = {
    full: options.full === true,
    dryRun,
    only: options.only,
    linkOnly: options.linkOnly,
    signal: stop.signal,
    onProgress: progress ? (event) => progress.update(event) : undefined,
    onPlan: showPlan
      ? (entity, plan) => planned.push(...plan.operations.map((operation) => ({ entity, operation })))
      : undefined,
  };
  let report: CycleReport;
  try {
    report = await runCycle(runtime, cycleOptions);
  } catch (error) {
    progress?.done();
    stop.dispose();
    if (error instanceof LockHeldError) {
      write(
        options.json
          ? JSON.stringify({ exitCode: exitCodes.locked, failure: error.message }, null, 2)
          : `crm-sync: ${error.message}`,
      );
      return { exitCode: exitCodes.locked, report: null };
    }
    throw error;
  }
  progress?.done();
  stop.dispose();
  if (options.json) {
    const operations = planned.map(({ entity, operation }) => ({ ...operation, entity }));
    const shown = options.logPersonalData === true ? operations : maskPersonalData(operations);
    write(JSON.stringify(showPlan ? { ...report, operations: shown } : report, null, 2));
  } else {
    if (showPlan) write(`${formatPlan(planned, options.logPersonalData === true)}\n`);
    write(formatReport(report));
  }
  return { exitCode: report.exitCode, report };
}
