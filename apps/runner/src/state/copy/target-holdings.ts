import { hashKeyCheckName } from '../hash-key-check.js';
import type { PostgresTarget } from './postgres-target.js';

/**
 * What the target holds before a copy: no state tables yet, nothing (its `state_meta` at most repeating the
 * source's, as a command opened with the same key records it), or a state of its own, which a copy refuses to mix
 * with another.
 */
export type TargetHoldings =
  | { readonly kind: 'not migrated' }
  | { readonly kind: 'empty'; readonly sameMeta: boolean }
  | { readonly kind: 'state'; readonly reason: string };

export async function targetHoldings(
  target: PostgresTarget,
  tables: readonly string[],
  sourceMeta: ReadonlyMap<string, string>,
): Promise<TargetHoldings> {
  const existing = await target.existingTables(tables);
  if (existing.size === 0) return { kind: 'not migrated' };
  const filled: string[] = [];
  for (const table of tables)
    if (table !== 'state_meta' && existing.has(table) && (await target.hasRows(table))) filled.push(table);
  if (filled.length > 0)
    return { kind: 'state', reason: `it holds a state already (rows in ${filled.join(', ')})` };
  if (!existing.has('state_meta')) return { kind: 'empty', sameMeta: false };
  const meta = await target.metaRows();
  const other = meta.filter((row) => sourceMeta.get(row.name) !== row.value);
  if (other.some((row) => row.name === hashKeyCheckName))
    return {
      kind: 'state',
      reason:
        'it was opened with another fingerprint key than the source state (its state_meta says so), so it belongs to another setup',
    };
  if (other.length > 0)
    return {
      kind: 'state',
      reason: `it holds a state already (state_meta: ${other.map((row) => row.name).join(', ')})`,
    };
  return { kind: 'empty', sameMeta: meta.length > 0 };
}
