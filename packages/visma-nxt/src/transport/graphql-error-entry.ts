import { z } from 'zod';
import type { GraphQLErrorEntry } from '../errors.js';

/**
 * One entry of `errors` as https://docs.vismasoftware.no/businessnxtapi/features/errors documents it: a `message`,
 * and optionally `path`, `locations` and `extensions` (the GraphQL spec's error shape,
 * https://spec.graphql.org/October2021/#sec-Errors). An entry without a string `message` is not of that shape.
 */
export const errorEntrySchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).nullish(),
  locations: z.array(z.object({ line: z.number(), column: z.number() })).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

const graphQLName = /^[_A-Za-z][_0-9A-Za-z]*$/u;
// `values/0`, `filters/12`: the record a mutation error is about (its index in the mutation's list).
const recordSegment = /^(?:values|filters)\/(\d+)(?:\/([_A-Za-z][_0-9A-Za-z]*))?$/u;

/** The index of the record `path` points at (it ends in, or holds, `values/<i>`), or `null`. */
export function recordIndexOf(path: ReadonlyArray<string | number> | undefined): number | null {
  for (const segment of path ?? []) {
    const match = typeof segment === 'string' ? recordSegment.exec(segment) : null;
    if (match) return Number(match[1]);
  }
  return null;
}

/** A field name `path` gives after the record (`values/0/customerNo`, or `values/0` then `customerNo`). */
function pathField(path: ReadonlyArray<string | number> | undefined): string | null {
  const segments = path ?? [];
  for (const [position, segment] of segments.entries()) {
    const match = typeof segment === 'string' ? recordSegment.exec(segment) : null;
    if (!match) continue;
    if (match[2] !== undefined) return match[2];
    const next = segments[position + 1];
    return typeof next === 'string' && graphQLName.test(next) ? next : null;
  }
  return null;
}

/** The first GraphQL name the message quotes ('name' or "name"), e.g. `Cannot query field 'totalRows' on …`. */
function quotedName(message: string): string | null {
  const match = /['"]([_A-Za-z][_0-9A-Za-z]*)['"]/u.exec(message);
  return match?.[1] ?? null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Reads the documented parts of one error entry into typed fields, keeping the entry as it came. */
export function toErrorEntry(entry: z.infer<typeof errorEntrySchema>): GraphQLErrorEntry {
  const extensions = entry.extensions ?? undefined;
  const data = extensions?.data;
  const backend = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const codes = Array.isArray(extensions?.codes)
    ? extensions.codes.filter((code) => typeof code === 'string')
    : [];
  const path = entry.path ?? undefined;
  return {
    message: entry.message,
    path,
    locations: entry.locations ?? undefined,
    extensions,
    code: text(extensions?.code),
    codes,
    status: typeof backend.status === 'number' ? backend.status : null,
    statusName: text(backend.status_name),
    recordIndex: recordIndexOf(path),
    field: pathField(path) ?? quotedName(entry.message),
  };
}
