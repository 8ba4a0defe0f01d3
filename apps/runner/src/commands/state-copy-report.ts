import { table } from '../output/table.js';
import type { StateCopyOutcome } from '../state/copy/copy-state.js';
import type { TableCopy } from '../state/copy/copy-tables.js';
import type { TargetHoldings } from '../state/copy/target-holdings.js';
import { exitCodes } from './runtime.js';

/** What `crm-sync state copy` prints: the report on stdout, refusals and failures on stderr, and its exit code. */
export interface CopyReport {
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly exitCode: number;
}

/** Where the copy went and where its key went, as messages may show them (the URL's password masked). */
export interface CopyPlaces {
  readonly source: string;
  readonly target: string;
  readonly keyFile: string | null;
}

function countsTable(tables: readonly TableCopy[]): string {
  const content = (copy: TableCopy) => (copy.same === null ? '' : copy.same ? 'same' : 'DIFFERS');
  return table(
    ['table', 'SQLite rows', 'PostgreSQL rows', 'content'],
    tables.map((copy) => [copy.table, copy.source, copy.target ?? '-', content(copy)]),
  );
}

const total = (tables: readonly TableCopy[]) => tables.reduce((sum, copy) => sum + copy.source, 0);

function holdingsLine(places: CopyPlaces, holdings: TargetHoldings): string {
  if (holdings.kind === 'not migrated')
    return `The target ${places.target} has no state tables yet: the copy creates them (the normal migrations), then copies.`;
  if (holdings.kind === 'empty') return `The target ${places.target} is empty: ready for the copy.`;
  return `The target ${places.target} cannot take the copy: ${holdings.reason}.`;
}

function keyLines(places: CopyPlaces): string[] {
  return [
    `The fingerprint key is in ${places.keyFile} (readable by its owner only); it is not printed anywhere.`,
    `Set CRM_SYNC_HASH_KEY_FILE=${places.keyFile} (and CRM_SYNC_STATE=${places.target}) for every instance and command that uses the PostgreSQL state, and keep that file with the database's backups: the fingerprints are only valid with this key, and a state opened with another key refuses to start.`,
    `Stop using the SQLite state ${places.source} now: what a cycle writes there from here on does not reach PostgreSQL.`,
  ];
}

export function copyReport(outcome: StateCopyOutcome, places: CopyPlaces): CopyReport {
  switch (outcome.kind) {
    case 'refused':
      return {
        stdout: [],
        stderr: [`crm-sync state copy: ${outcome.reason}; nothing was copied`],
        exitCode: outcome.locked ? exitCodes.locked : exitCodes.configuration,
      };
    case 'dry-run': {
      const refusal = outcome.target.kind === 'state';
      return {
        stdout: [
          countsTable(outcome.tables),
          `Dry run: ${total(outcome.tables)} rows in ${outcome.tables.length} tables would be copied from ${places.source}; nothing was written.`,
          holdingsLine(places, outcome.target),
        ],
        stderr: [],
        exitCode: refusal ? exitCodes.configuration : exitCodes.clean,
      };
    }
    case 'differs': {
      const differing = outcome.tables.filter((copy) => copy.same === false).map((copy) => copy.table);
      return {
        stdout: [countsTable(outcome.tables)],
        stderr: [
          `crm-sync state copy: the copy differs from the source in ${differing.join(', ')}: nothing was committed, the target ${places.target} is as it was`,
        ],
        exitCode: exitCodes.cycleFailed,
      };
    }
    case 'copied':
      return {
        stdout: [
          countsTable(outcome.tables),
          `Copied ${total(outcome.tables)} rows in ${outcome.tables.length} tables from ${places.source} to ${places.target}, each table verified (row counts and content) before committing.`,
          ...keyLines(places),
        ],
        stderr: [],
        exitCode: exitCodes.clean,
      };
  }
}
