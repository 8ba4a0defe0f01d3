import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ActionResult } from '../engine/actions/action-types.js';
import { previewConflictAction, resolveConflictAction } from '../engine/actions/resolve-conflict-action.js';
import { type ConflictChoice, isMergeConflict } from '../engine/resolve-conflict.js';
import { table } from '../output/table.js';
import type { Conflict, ConflictSide } from '../state/state-store.js';
import { cliActor } from './cli-actor.js';
import { exitCodes, type GlobalOptions, type Runtime, requireBinding } from './runtime.js';

/** How cli.ts runs a command with the runtime open (configuration errors exit 2). */
export interface CommandContext {
  readonly withRuntime: (
    options: GlobalOptions,
    action: (runtime: Runtime) => Promise<number>,
  ) => Promise<void>;
  readonly globals: () => GlobalOptions;
  readonly write: (text: string) => void;
}

/** A conflict as `conflicts list --json` prints it: both sides, with who changed each and when (`null`: unknown). */
export interface ListedConflict {
  readonly id: string;
  readonly entity: Conflict['entity'];
  readonly crmId: string;
  readonly associateNo: number;
  readonly field: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly hubspot: ConflictSide;
  readonly businessNxt: ConflictSide;
  /** What `conflicts resolve` takes for it: `--take crm|erp` for a field, `--link <associateNo>` for a merge. */
  readonly resolveWith: string;
}

export function listedConflict(conflict: Conflict): ListedConflict {
  return {
    id: conflict.id,
    entity: conflict.entity,
    crmId: conflict.crmId,
    associateNo: conflict.associateNo,
    field: conflict.field,
    reason: conflict.reason,
    createdAt: conflict.createdAt,
    hubspot: conflict.hubspot,
    businessNxt: conflict.businessNxt,
    resolveWith: isMergeConflict(conflict) ? '--link <associateNo>' : '--take crm|erp',
  };
}

const value = (side: ConflictSide) =>
  side.value === null ? 'not recorded' : side.value === '' ? '∅' : side.value;
const orUnknown = (text: string | null) => text ?? 'unknown';

/** The table of `conflicts list`: two rows per conflict, HubSpot's side and Business NXT's. */
export function formatConflicts(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 0) return 'No open conflicts.';
  const rows: string[][] = [];
  for (const conflict of conflicts) {
    const { hubspot, businessNxt } = conflict;
    rows.push([
      conflict.id,
      conflict.entity,
      conflict.field,
      'HubSpot',
      conflict.crmId,
      value(hubspot),
      orUnknown(hubspot.changedAt),
      orUnknown(hubspot.changedBy),
      conflict.reason,
      conflict.createdAt,
    ]);
    rows.push([
      '',
      '',
      '',
      'Business NXT',
      // A merge conflict is about several Business NXT records: they are its value.
      isMergeConflict(conflict) ? '-' : String(conflict.associateNo),
      value(businessNxt),
      orUnknown(businessNxt.changedAt),
      orUnknown(businessNxt.changedBy),
      '',
      '',
    ]);
  }
  return [
    table(['id', 'entity', 'field', 'system', 'record', 'value', 'changed', 'by', 'reason', 'since'], rows),
    '',
    'Values as they were when the conflict was opened, emails and phone numbers masked. Resolve a field with',
    '`crm-sync conflicts resolve <id> --take crm|erp`, a HubSpot merge (field link) with `--link <associateNo>`;',
    'add --dry-run to see what it would write first.',
  ].join('\n');
}

/** `crm-sync conflicts list`: open conflicts with both values and who changed each when (no API calls). */
export async function conflictsListCommand(
  runtime: Pick<Runtime, 'store'>,
  options: { json: boolean },
  write: (text: string) => void,
): Promise<number> {
  const open = await runtime.store.conflicts('open');
  write(options.json ? JSON.stringify(open.map(listedConflict), null, 2) : formatConflicts(open));
  return exitCodes.clean;
}

export interface ResolveOptions {
  readonly take?: 'crm' | 'erp' | undefined;
  readonly link?: number | undefined;
  readonly yes?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  readonly logPersonalData?: boolean | undefined;
}

/** Where `resolve` talks to the person: stdout, and a question when stdin is a terminal. */
export interface ResolveIo {
  readonly write: (text: string) => void;
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  /** For the audit log: `cli:<operating-system user>`. */
  readonly actor: string;
}

function choiceOf(options: ResolveOptions): ConflictChoice | string {
  if (options.take !== undefined && options.link !== undefined) return 'give --take or --link, not both';
  if (options.take !== undefined) return { take: options.take };
  if (options.link !== undefined) return { link: options.link };
  return 'say what to keep: --take crm|erp for a field, --link <associateNo> for a HubSpot merge';
}

/** "Resolving c-17 (customer 123 ↔ 7: phone takes HubSpot's value)": what the command is about to settle. */
function resolvingWords(conflict: Conflict, choice: ConflictChoice): string {
  if (isMergeConflict(conflict))
    return `${conflict.entity} ${conflict.crmId}, merged in HubSpot from records linked to different Business NXT records${'link' in choice ? `: keeping the link to ${choice.link}` : ''}`;
  return `${conflict.entity} ${conflict.crmId} ↔ ${conflict.associateNo}: ${conflict.field}${'take' in choice ? ` takes ${choice.take === 'crm' ? "HubSpot's" : "Business NXT's"} value` : ''}`;
}

/** How the resolution ended, said and as an exit code (75 while a cycle holds the lock). */
function resolutionOutcome(id: string, result: ActionResult, write: (text: string) => void): number {
  if (result.kind === 'done') {
    write(`Resolved ${id}.`);
    return exitCodes.clean;
  }
  if (result.kind === 'locked') {
    write(`crm-sync: ${result.message}`);
    return exitCodes.locked;
  }
  write(`Could not resolve ${id}: ${result.message}`);
  return exitCodes.cycleFailed;
}

/**
 * `crm-sync conflicts resolve <id> --take crm|erp` (a field) or `--link <associateNo>` (a HubSpot merge): says
 * what it will write on which system and what happens to the link, asks before writing when stdin is a terminal
 * (`--yes` skips the question), then settles the conflict through the engine action the console uses
 * (`resolveConflictAction`: under the cycle lock, nothing written when the records changed since the preview, and
 * audited as `conflict.resolve` under `io.actor`). `--dry-run` only says.
 */
export async function conflictsResolveCommand(
  runtime: Runtime,
  id: string,
  options: ResolveOptions,
  io: ResolveIo,
): Promise<number> {
  const { write } = io;
  const conflict = (await runtime.store.conflicts('open')).find((candidate) => candidate.id === id);
  if (conflict === undefined) {
    write(`No open conflict ${id} (see \`crm-sync conflicts list\`).`);
    return exitCodes.configuration;
  }
  const choice = choiceOf(options);
  if (typeof choice === 'string') {
    write(`Could not resolve ${id}: ${choice}.`);
    return exitCodes.configuration;
  }
  const binding = await requireBinding(runtime, options.dryRun !== true);
  if (binding.isErr()) {
    write(`Could not resolve ${id}: ${binding.error}`);
    return exitCodes.cycleFailed;
  }
  const preview = await previewConflictAction(runtime, id, choice, options.logPersonalData === true);
  write(`Resolving ${id} (${resolvingWords(conflict, choice)}):`);
  for (const line of preview.lines) write(`  ${line}`);
  if (preview.refusal !== undefined) {
    write(`Could not resolve ${id}: ${preview.refusal}`);
    return exitCodes.cycleFailed;
  }
  if (options.dryRun === true) {
    write('Dry run: nothing written.');
    return exitCodes.clean;
  }
  if (options.yes !== true && io.interactive) {
    const answer = (await io.ask('Write this? [y/N] ')).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      write('Nothing written.');
      return exitCodes.clean;
    }
  }
  const result = await resolveConflictAction(runtime, io.actor, id, choice, preview.key);
  return resolutionOutcome(id, result, write);
}

function associateNumber(text: string): number {
  const parsed = Number(text);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected an associate number');
  return parsed;
}

/** Asks one question on the terminal. */
async function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

/** `crm-sync conflicts list|resolve`. */
export function registerConflictsCommand(program: Command, context: CommandContext): void {
  const { withRuntime, globals, write } = context;
  const conflicts = program
    .command('conflicts')
    .description(
      'conflicts queued for a person (fields with the manual policy, HubSpot merges of linked records)',
    );
  conflicts
    .command('list')
    .description('list open conflicts: both values, who changed each and when (no API calls)')
    .option('--json', 'print as JSON', false)
    .action(async (options: { json: boolean }) =>
      withRuntime(globals(), (runtime) => conflictsListCommand(runtime, options, write)),
    );
  conflicts
    .command('resolve <id>')
    .description(
      "settle a conflict: a field by taking HubSpot's value (crm) or Business NXT's (erp), a HubSpot merge by the link to keep; says what it writes first",
    )
    .addOption(new Option('--take <side>', 'for a field: the side whose value wins').choices(['crm', 'erp']))
    .addOption(
      new Option(
        '--link <associateNo>',
        'for a HubSpot merge: the Business NXT record the merged record is',
      ).argParser(associateNumber),
    )
    .option('--yes', 'do not ask before writing', false)
    .option('--dry-run', 'only say what it would write', false)
    .action(async (id: string, options: ResolveOptions) =>
      withRuntime(globals(), (runtime) =>
        conflictsResolveCommand(
          runtime,
          id,
          { ...options, logPersonalData: globals().logPersonalData },
          { write, interactive: process.stdin.isTTY === true, ask: askOnTerminal, actor: cliActor() },
        ),
      ),
    );
}
