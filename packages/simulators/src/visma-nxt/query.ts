import { GraphQLError } from 'graphql';
import type { AssociateRow } from './store.js';

type Filter = Readonly<Record<string, unknown>>;

// SQL Server's default collations compare text without case; so does the simulator.
const fold = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

// `DateTime` as documented: `yyyy-MM-dd HH:mm:ss[.nnnnnnn]`, the server's local time with no zone
// (https://docs.vismasoftware.no/businessnxtapi/apireference/schema/datetime/). `T` is taken for the space, as
// SQL Server does.
const dateTimeValue = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?$/u;

/**
 * A `DateTime` as the `datetime2` column compares it: wall time, no zone. Normalized to 7 fraction digits, so
 * the strings sort as the times do. On the night the clocks go back, a later row can hold an earlier wall time,
 * as on the real server.
 */
function wallTime(value: string): string | null {
  const match = dateTimeValue.exec(value);
  return match === null ? null : `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(7, '0')}`;
}

function comparable(row: AssociateRow, field: string): unknown {
  const value = (row as unknown as Record<string, unknown>)[field];
  if (field.endsWith('Timestamp')) return typeof value === 'string' ? wallTime(value) : null;
  return fold(value);
}

function operand(field: string, value: unknown): unknown {
  if (field.endsWith('Timestamp') && typeof value === 'string') {
    const wall = wallTime(value.trim());
    // The docs give only the zone-less form; how the real server takes `Z` or an offset is not documented, so
    // the simulator refuses them rather than guess.
    if (wall === null)
      throw new GraphQLError(
        `Invalid DateTime "${value}" for ${field}: expected yyyy-MM-dd HH:mm:ss[.nnnnnnn], the server's local time without a zone`,
      );
    return wall;
  }
  return fold(value);
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.toLowerCase().replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`^${escaped.replace(/%/gu, '.*').replace(/_/gu, '.')}$`, 'su');
}

// A filter's list is the same array for every row it is tested against: convert it once (per field).
const operandLists = new WeakMap<readonly unknown[], Map<string, { list: unknown[]; set: Set<unknown> }>>();

function operandList(field: string, raw: readonly unknown[]): { list: unknown[]; set: Set<unknown> } {
  let byField = operandLists.get(raw);
  if (byField === undefined) {
    byField = new Map();
    operandLists.set(raw, byField);
  }
  let converted = byField.get(field);
  if (converted === undefined) {
    const list = raw.map((item) => operand(field, item));
    converted = { list, set: new Set(list) };
    byField.set(field, converted);
  }
  return converted;
}

function compare(value: unknown, operator: string, raw: unknown, field: string): boolean {
  // NULL compares false with everything, as in SQL (rows never changed since Oct 2024 have no changedTimestamp).
  if (value === null || value === undefined) return false;
  const { list, set } = Array.isArray(raw) ? operandList(field, raw) : { list: [], set: new Set() };
  const target = operand(field, raw);
  const lessThan = (a: unknown, b: unknown) =>
    typeof a === 'number' && typeof b === 'number' ? a < b : String(a) < String(b);
  switch (operator) {
    case '_eq':
      return value === target;
    case '_not_eq':
      return value !== target;
    case '_gt':
      return lessThan(target, value);
    case '_gte':
      return !lessThan(value, target);
    case '_lt':
      return lessThan(value, target);
    case '_lte':
      return !lessThan(target, value);
    case '_in':
      return set.has(value);
    case '_not_in':
      return !set.has(value);
    case '_between':
    case '_not_between': {
      const [low, high] = list;
      const inside = !lessThan(value, low) && !lessThan(high, value);
      return operator === '_between' ? inside : !inside;
    }
    case '_like':
      return likeToRegExp(String(raw)).test(String(value));
    default:
      throw new GraphQLError(`Unknown filter operator ${operator}`);
  }
}

/** Whether a row satisfies a `FilterExpression_Associate` (https://docs.vismasoftware.no/businessnxtapi/apireference/features/filtering/index.md). */
export function matches(row: AssociateRow, filter: Filter | null | undefined): boolean {
  if (filter === null || filter === undefined) return true;
  return Object.entries(filter).every(([key, condition]) => {
    if (condition === null || condition === undefined) return true;
    if (key === '_and') return (condition as Filter[]).every((part) => matches(row, part));
    if (key === '_or') return (condition as Filter[]).some((part) => matches(row, part));
    const value = comparable(row, key);
    return Object.entries(condition as Filter).every(
      ([operator, raw]) => raw === null || compare(value, operator, raw, key),
    );
  });
}

/** Sorts by `orderBy: [{field: ASC|DESC}, …]`, NULLs first ascending (SQL Server), ties by associate number. */
export function sortRows(
  rows: AssociateRow[],
  orderBy: ReadonlyArray<Record<string, 'ASC' | 'DESC'>>,
): AssociateRow[] {
  const keys = orderBy.flatMap((entry) => Object.entries(entry));
  const order = (a: AssociateRow, b: AssociateRow): number => {
    for (const [field, direction] of keys) {
      const left = comparable(a, field);
      const right = comparable(b, field);
      if (left === right) continue;
      const sign =
        left === null
          ? -1
          : right === null
            ? 1
            : (left as number | string) < (right as number | string)
              ? -1
              : 1;
      return direction === 'DESC' ? -sign : sign;
    }
    return a.associateNo - b.associateNo;
  };
  // Rows are stored in associate-number order, the usual sort: skip sorting what is already in order.
  for (let index = 1; index < rows.length; index += 1)
    if (order(rows[index - 1] as AssociateRow, rows[index] as AssociateRow) > 0) return rows.sort(order);
  return rows;
}

const encodeCursor = (offset: number) => Buffer.from(`arrayconnection:${offset}`).toString('base64');
function decodeCursor(cursor: string): number {
  const match = /^arrayconnection:(\d+)$/u.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match === null) throw new GraphQLError(`Invalid cursor "${cursor}"`);
  return Number(match[1]);
}

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
  readonly skip?: number | null;
}

/** Relay-like paging over sorted rows: `first/after`, `last/before`, and `skip` with either (https://docs.vismasoftware.no/businessnxtapi/features/pagination). */
export function paginate(rows: AssociateRow[], args: PageArgs, maxPageSize: number) {
  for (const name of ['first', 'last', 'skip'] as const) {
    const value = args[name];
    if (value !== null && value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new GraphQLError(`Argument '${name}' must be a positive integer.`);
    }
  }
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? decodeCursor(args.before) : rows.length;
  start += args.skip ?? 0;
  if (args.last !== null && args.last !== undefined)
    start = Math.max(start, end - Math.min(args.last, maxPageSize));
  else end = Math.min(end, start + Math.min(args.first ?? maxPageSize, maxPageSize));
  start = Math.min(start, rows.length);
  end = Math.max(start, Math.min(end, rows.length));
  const items = rows.slice(start, end);
  return {
    totalCount: rows.length,
    pageInfo: {
      hasNextPage: end < rows.length,
      hasPreviousPage: start > 0,
      startCursor: items.length > 0 ? encodeCursor(start) : null,
      endCursor: items.length > 0 ? encodeCursor(end - 1) : null,
    },
    items,
  };
}

/**
 * The rows a filter can match, found by primary key where it names `associateNo` with `_eq` or `_in` (at the top or
 * in a top-level `_and`), as the real server seeks its clustered index instead of scanning; every row otherwise.
 * Still to be checked with `matches`. Rows by key come in associate-number order, the others in store order.
 */
export function candidateRows(
  rows: ReadonlyMap<number, AssociateRow>,
  filter: Filter | null | undefined,
): AssociateRow[] {
  const keys = keyedNumbers(filter);
  if (keys === null) return [...rows.values()];
  return [...keys]
    .sort((a, b) => a - b)
    .flatMap((no) => {
      const row = rows.get(no);
      return row === undefined ? [] : [row];
    });
}

function keyedNumbers(filter: Filter | null | undefined): Set<number> | null {
  if (filter === null || filter === undefined) return null;
  const condition = filter.associateNo as Filter | null | undefined;
  if (condition !== null && condition !== undefined) {
    if (typeof condition._eq === 'number') return new Set([condition._eq]);
    if (Array.isArray(condition._in) && condition._in.every((value) => typeof value === 'number'))
      return new Set(condition._in as number[]);
  }
  const parts = Array.isArray(filter._and) ? (filter._and as Filter[]) : [];
  for (const part of parts) {
    const keys = keyedNumbers(part);
    if (keys !== null) return keys;
  }
  return null;
}
