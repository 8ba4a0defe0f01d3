import type { normalizeEmail } from '@port-service/mapping';

/** The distinct normalized forms of the values that pass `normalize` (invalid and empty ones left out). */
export function validValues(
  values: ReadonlyArray<string | null | undefined>,
  normalize: typeof normalizeEmail,
): string[] {
  const found = new Set<string>();
  for (const value of values) {
    const normalized = normalize(value);
    if (normalized.ok && normalized.value !== null) found.add(normalized.value);
  }
  return [...found];
}
