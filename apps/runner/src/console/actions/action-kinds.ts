import type { ActionDependencies, ActionPreview, ActionResult } from '../../engine/actions/action-types.js';
import { excludeRecord, previewExclusion } from '../../engine/actions/exclude-record.js';
import { includeRecord, previewInclusion } from '../../engine/actions/include-record.js';
import { linkCandidates, previewLink } from '../../engine/actions/link-candidates.js';
import { previewRetry, retryRecord } from '../../engine/actions/retry-record.js';
import { previewSeparate, separateCandidates } from '../../engine/actions/separate-candidates.js';
import type { ActionInput } from './action-input.js';
import { pairInput, recordInput } from './action-input.js';

/** One operator action: how its form is read, what it will do (nothing written), and doing it (audited). */
export interface ActionKind {
  readonly label: string;
  readonly input: (fields: Readonly<Record<string, unknown>>) => ActionInput | string;
  /** `reveal`: values unmasked (operators see personal data). */
  readonly preview: (
    engine: ActionDependencies,
    input: ActionInput,
    reveal: boolean,
  ) => Promise<ActionPreview>;
  readonly run: (engine: ActionDependencies, actor: string, input: ActionInput) => Promise<ActionResult>;
}

const record = (input: ActionInput) => {
  if (input.kind !== 'record') throw new TypeError('this action is about one record');
  return input;
};
const pair = (input: ActionInput) => {
  if (input.kind !== 'pair') throw new TypeError('this action is about a candidate pair');
  return input;
};

/**
 * The actions of the console, wired to the engine's (engine/actions/): the same functions `crm-sync retry`,
 * `exclude`, `include` and `candidates link|separate` call, each under the cycle lock and audited there.
 */
export const actionKinds: Readonly<Record<string, ActionKind>> = {
  retry: {
    label: 'Retry now',
    input: recordInput,
    preview: (engine, input, reveal) => previewRetry(engine, record(input).ref, reveal),
    run: (engine, actor, input) => retryRecord(engine, actor, record(input).ref),
  },
  exclude: {
    label: 'Exclude from sync',
    input: recordInput,
    preview: (engine, input) => previewExclusion(engine, record(input).ref),
    run: (engine, actor, input) => excludeRecord(engine, actor, record(input).ref, record(input).reason),
  },
  include: {
    label: 'Include again',
    input: recordInput,
    preview: (engine, input, reveal) => previewInclusion(engine, record(input).ref, reveal),
    run: (engine, actor, input) => includeRecord(engine, actor, record(input).ref),
  },
  link: {
    label: 'Link these two',
    input: pairInput,
    preview: (engine, input, reveal) =>
      previewLink(engine, pair(input).crmId, pair(input).associateNo, reveal),
    run: (engine, actor, input) => linkCandidates(engine, actor, pair(input).crmId, pair(input).associateNo),
  },
  separate: {
    label: 'Keep separate',
    input: pairInput,
    preview: (engine, input, reveal) =>
      previewSeparate(engine, pair(input).crmId, pair(input).associateNo, reveal),
    run: (engine, actor, input) =>
      separateCandidates(engine, actor, pair(input).crmId, pair(input).associateNo),
  },
};
