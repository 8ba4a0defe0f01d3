import type { FieldIssue, Normalized } from '../issues.js';

/** The result of mapping one source record: the canonical record (bad fields empty) and what was wrong. */
export interface Mapped<T> {
  readonly record: T;
  readonly issues: readonly FieldIssue[];
}

/** Collects every field issue of one record, so a report names all of them at once, not just the first. */
export function issueCollector(system: FieldIssue['system'], recordId: string | null) {
  const issues: FieldIssue[] = [];
  return {
    issues,
    take<T>(field: string, result: Normalized<T | null>): T | null {
      if (result.ok) return result.value;
      issues.push({ system, recordId, field, rule: result.rule, message: `${field} ${result.message}` });
      return null;
    },
    add(field: string, rule: string, message: string): void {
      issues.push({ system, recordId, field, rule, message: `${field} ${message}` });
    },
  };
}

/** A positive whole number stored as text (HubSpot keeps the ERP numbers in string properties). */
export function parseErpNumber(raw: string | null | undefined): Normalized<number | null> {
  if (raw === null || raw === undefined || raw.trim() === '') return { ok: true, value: null };
  const trimmed = raw.trim();
  if (!/^\d{1,15}$/u.test(trimmed) || Number(trimmed) === 0) {
    return { ok: false, rule: 'erp-number-format', message: 'must be a positive whole number' };
  }
  return { ok: true, value: Number(trimmed) };
}
