import { createHash } from 'node:crypto';

/** A value as a state holds it on either backend: a whole number, text, or null. */
export type Cell = number | string | null;

/**
 * A table's content, comparable across the backends: its rows, read in the same fixed order on both, each value
 * normalised to a number, text or null, hashed together (SHA-256 over one JSON array per row). Equal digests and
 * counts mean the same rows with the same values, whichever driver read them.
 */
export interface TableDigest {
  add(row: readonly unknown[]): void;
  readonly count: number;
  /** The hash so far, hex. */
  digest(): string;
}

export function tableDigest(table: string, columns: readonly string[]): TableDigest {
  const hash = createHash('sha256');
  let count = 0;
  const normalised = (value: unknown, index: number): Cell => {
    if (value === null || typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
    throw new Error(
      `table ${table}, column ${columns[index] ?? index}: a ${typeof value} value (${String(value)}); a state holds whole numbers, text and null only`,
    );
  };
  return {
    add(row) {
      hash.update(`${JSON.stringify(row.map(normalised))}\n`);
      count += 1;
    },
    get count() {
      return count;
    },
    digest: () => hash.copy().digest('hex'),
  };
}
