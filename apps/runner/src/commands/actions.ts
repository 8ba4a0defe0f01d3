import { createInterface } from 'node:readline/promises';
import type { Entity } from '@port-service/mapping';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import type { ActionPreview, ActionResult, RecordRef } from '../engine/actions/action-types.js';
import { excludeRecord, previewExclusion } from '../engine/actions/exclude-record.js';
import { findRecord, idProblem } from '../engine/actions/find-record.js';
import { includeRecord, previewInclusion } from '../engine/actions/include-record.js';
import { linkCandidates, previewLink } from '../engine/actions/link-candidates.js';
import { previewRetry, retryRecord } from '../engine/actions/retry-record.js';
import { previewSeparate, separateCandidates } from '../engine/actions/separate-candidates.js';
import { cliActor } from './cli-actor.js';
import type { CommandContext } from './conflicts.js';
import { exitCodes, type Runtime, requireBinding } from './runtime.js';

/** Where an action command talks to the person: stdout, a question on a terminal, and who they are. */
export interface ActionIo {
  readonly write: (text: string) => void;
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  /** For the audit log: `cli:<operating-system user>`. */
  readonly actor: string;
}

export interface ActionOptions {
  /** Only say what it would do. */
  readonly dryRun?: boolean | undefined;
  /** Do not ask before writing. */
  readonly yes?: boolean | undefined;
  /** Show values unmasked (`--log-personal-data`). */
  readonly logPersonalData?: boolean | undefined;
}

export interface RecordOptions extends ActionOptions {
  /** Which entity the id is, when the state and the systems cannot tell (a HubSpot company and contact share it). */
  readonly entity?: Entity | undefined;
}

interface ActionSteps {
  readonly preview: () => Promise<ActionPreview>;
  readonly act: () => Promise<ActionResult>;
}

/** The exit code of an action's result: the targeted sync's when it ran one. */
function exitCodeOf(result: ActionResult): number {
  if (result.kind === 'done') return result.report?.exitCode ?? exitCodes.clean;
  return result.kind === 'locked' ? exitCodes.locked : exitCodes.cycleFailed;
}

/**
 * Every action command the same way: the state checked to belong to these systems, what the action will do said
 * first, a question on a terminal (`--yes` skips it; `--dry-run` stops there), then the action and how it ended.
 */
async function runAction(
  runtime: Runtime,
  steps: ActionSteps,
  options: ActionOptions,
  io: ActionIo,
): Promise<number> {
  const { write } = io;
  const binding = await requireBinding(runtime, options.dryRun !== true);
  if (binding.isErr()) {
    write(`crm-sync: ${binding.error}`);
    return exitCodes.cycleFailed;
  }
  const preview = await steps.preview();
  write(`${preview.title}:`);
  for (const line of preview.lines) write(`  ${line}`);
  if (preview.refusal !== undefined) {
    write(`Not done: ${preview.refusal}.`);
    return exitCodes.cycleFailed;
  }
  if (options.dryRun === true) {
    write('Dry run: nothing written.');
    return exitCodes.clean;
  }
  if (options.yes !== true && io.interactive) {
    const answer = (await io.ask('Do this? [y/N] ')).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      write('Nothing written.');
      return exitCodes.clean;
    }
  }
  const result = await steps.act();
  if (result.kind === 'done') for (const line of result.lines) write(line);
  else if (result.kind === 'locked') write(`crm-sync: ${result.message}`);
  else write(`Not done: ${result.message}.`);
  return exitCodeOf(result);
}

/** Runs an action on one record named by system and id (which entity it is found out first). */
async function onRecord(
  runtime: Runtime,
  record: { readonly system: RecordRef['system']; readonly id: string },
  options: RecordOptions,
  io: ActionIo,
  steps: (ref: RecordRef) => ActionSteps,
): Promise<number> {
  const found = await findRecord(runtime, record.system, record.id, options.entity);
  if (!found.ok) {
    io.write(`crm-sync: ${found.message}`);
    return exitCodes.configuration;
  }
  return runAction(runtime, steps(found.ref), options, io);
}

/** `crm-sync retry <system> <id>`: a targeted sync of a held or failed record and its counterpart, now. */
export function retryCommand(
  runtime: Runtime,
  record: { readonly system: RecordRef['system']; readonly id: string },
  options: RecordOptions,
  io: ActionIo,
): Promise<number> {
  return onRecord(runtime, record, options, io, (ref) => ({
    preview: () => previewRetry(runtime, ref, options.logPersonalData === true),
    act: () => retryRecord(runtime, io.actor, ref),
  }));
}

/** `crm-sync exclude <system> <id> [--reason <text>]`: left out of the sync, with its counterpart, until included. */
export function excludeCommand(
  runtime: Runtime,
  record: { readonly system: RecordRef['system']; readonly id: string },
  options: RecordOptions & { readonly reason?: string | undefined },
  io: ActionIo,
): Promise<number> {
  return onRecord(runtime, record, options, io, (ref) => ({
    preview: () => previewExclusion(runtime, ref),
    act: () => excludeRecord(runtime, io.actor, ref, options.reason ?? null),
  }));
}

/** `crm-sync include <system> <id>`: back in the sync, synced now. */
export function includeCommand(
  runtime: Runtime,
  record: { readonly system: RecordRef['system']; readonly id: string },
  options: RecordOptions,
  io: ActionIo,
): Promise<number> {
  return onRecord(runtime, record, options, io, (ref) => ({
    preview: () => previewInclusion(runtime, ref, options.logPersonalData === true),
    act: () => includeRecord(runtime, io.actor, ref),
  }));
}

/** `crm-sync candidates link <crmId> <associateNo>`: the two are the same record; linked and synced now. */
export function candidatesLinkCommand(
  runtime: Runtime,
  pair: { readonly crmId: string; readonly associateNo: number },
  options: ActionOptions,
  io: ActionIo,
): Promise<number> {
  return runAction(
    runtime,
    {
      preview: () => previewLink(runtime, pair.crmId, pair.associateNo, options.logPersonalData === true),
      act: () => linkCandidates(runtime, io.actor, pair.crmId, pair.associateNo),
    },
    options,
    io,
  );
}

/** `crm-sync candidates separate <crmId> <associateNo>`: the two are different records; each synced as unmatched. */
export function candidatesSeparateCommand(
  runtime: Runtime,
  pair: { readonly crmId: string; readonly associateNo: number },
  options: ActionOptions,
  io: ActionIo,
): Promise<number> {
  return runAction(
    runtime,
    {
      preview: () => previewSeparate(runtime, pair.crmId, pair.associateNo, options.logPersonalData === true),
      act: () => separateCandidates(runtime, io.actor, pair.crmId, pair.associateNo),
    },
    options,
    io,
  );
}

async function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

function hubspotId(text: string): string {
  const problem = idProblem('hubspot', text);
  if (problem !== null) throw new InvalidArgumentError(problem);
  return text;
}

function associateNumber(text: string): number {
  const problem = idProblem('visma-nxt', text);
  if (problem !== null) throw new InvalidArgumentError(problem);
  return Number(text);
}

/** `--yes` and `--dry-run`, as `conflicts resolve` has them. */
function withConfirmation(command: Command): Command {
  return command
    .option('--yes', 'do not ask before writing', false)
    .option('--dry-run', 'only say what it would do', false);
}

/** A command about one record: `<system> <id>`, and `--entity` for an id that could be either. */
function recordCommand(program: Command, name: string, description: string): Command {
  return withConfirmation(
    program
      .command(name)
      .description(description)
      .addArgument(
        new Argument('<system>', 'where the record is: hubspot or visma-nxt').choices([
          'hubspot',
          'visma-nxt',
        ]),
      )
      .argument('<id>', 'the HubSpot id, or the Business NXT associate number')
      .addOption(
        new Option(
          '--entity <entity>',
          'customer or contact, when the id could be either (else found out from the state or the systems)',
        ).choices(['customer', 'contact']),
      ),
  );
}

/** A command about a candidate pair: `<crmId> <associateNo>`. */
function pairCommand(parent: Command, name: string, description: string): Command {
  return withConfirmation(
    parent
      .command(name)
      .description(description)
      .addArgument(new Argument('<crmId>', 'the HubSpot company or contact id').argParser(hubspotId))
      .addArgument(
        new Argument('<associateNo>', 'the Business NXT customer or contact person').argParser(
          associateNumber,
        ),
      ),
  );
}

/**
 * `crm-sync retry|exclude|include <system> <id>` and `crm-sync candidates link|separate <crmId> <associateNo>`: the
 * operator actions on held and failed records, through the engine the console uses (engine/actions/), each under
 * the cycle lock and recorded in the audit log as `cli:<operating-system user>`.
 */
export function registerActionCommands(program: Command, context: CommandContext): void {
  const { withRuntime, globals, write } = context;
  const io = (): ActionIo => ({
    write,
    interactive: process.stdin.isTTY === true,
    ask: askOnTerminal,
    actor: cliActor(),
  });
  const revealed = <T extends object>(options: T) => ({
    ...options,
    logPersonalData: globals().logPersonalData,
  });
  type OnRecord = (system: RecordRef['system'], id: string, options: RecordOptions) => Promise<void>;
  const onRecord =
    (command: typeof retryCommand): OnRecord =>
    (system, id, options) =>
      withRuntime(globals(), (runtime) => command(runtime, { system, id }, revealed(options), io()));

  recordCommand(
    program,
    'retry',
    'sync a held or failed record and its linked counterpart now (says what it writes first)',
  ).action(onRecord(retryCommand));
  recordCommand(
    program,
    'exclude',
    'leave a record and its linked counterpart out of every cycle until `crm-sync include` (nothing is written, orphaned or created for them)',
  )
    .option('--reason <text>', 'why: kept with the exclusion, shown by `crm-sync status`')
    .action(onRecord(excludeCommand));
  recordCommand(
    program,
    'include',
    'bring an excluded record and its counterpart back into the sync, and sync them now',
  ).action(onRecord(includeCommand));

  const candidates = program
    .command('candidates')
    .description(
      'possible matches a cycle holds (listed by `crm-sync status`): link them, or keep them apart',
    );
  type OnPair = (crmId: string, associateNo: number, options: ActionOptions) => Promise<void>;
  const onPair =
    (command: typeof candidatesLinkCommand): OnPair =>
    (crmId, associateNo, options) =>
      withRuntime(globals(), (runtime) => command(runtime, { crmId, associateNo }, revealed(options), io()));
  pairCommand(
    candidates,
    'link',
    'the two are the same record: link them, and sync the pair now (fields merge by the policy)',
  ).action(onPair(candidatesLinkCommand));
  pairCommand(
    candidates,
    'separate',
    'the two are different records: never candidates of each other again; each synced now as unmatched',
  ).action(onPair(candidatesSeparateCommand));
}
