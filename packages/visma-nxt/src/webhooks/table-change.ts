import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { VismaNxtError } from '../errors.js';

/** A Business NXT `TableChange` notification: what changed, never the data. https://docs.vismasoftware.no/businessnxtapi/webhooks */
export interface TableChange {
  /** The GraphQL table name, e.g. `Associate`. */
  readonly tableIdentifier: string;
  /** The company (Visma.net company id); 0 for customer-level tables. */
  readonly companyNo: number;
  readonly customerNo: number;
  readonly event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** Primary-key columns with camelCase names (`ActNo`/`AssociateNo` arrive as `associateNo`-style keys). */
  readonly primaryKeys: ReadonlyArray<Readonly<Record<string, string | number>>>;
  /** When the notification was made (UTC); only meaningful for `DELETE`. */
  readonly timestamp: string | null;
  readonly changedColumns: readonly string[] | null;
}

const payload = z.object({
  tableIdentifier: z.string().min(1),
  customerNo: z.coerce.number().int().nullish(),
  companyNo: z.coerce.number().int().nullish(),
  event: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  primaryKeys: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
  timestamp: z.string().nullish(),
  changedColumns: z.array(z.string()).nullish(),
});

const camelCase = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Parses a `TableChange` body. The docs say key names match GraphQL (camelCase,
 * https://docs.vismasoftware.no/businessnxtapi/webhooks); public code receives PascalCase (`ProductNo`,
 * https://github.com/omelhus/business-nxt-webhooks), so both are accepted and returned camelCase.
 */
export function parseTableChange(body: unknown): Result<TableChange, VismaNxtError> {
  const parsed = payload.safeParse(body);
  if (!parsed.success) {
    return err({
      kind: 'validation',
      message: 'not a Business NXT TableChange notification',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      retryable: false,
    });
  }
  const value = parsed.data;
  return ok({
    tableIdentifier: value.tableIdentifier,
    companyNo: value.companyNo ?? 0,
    customerNo: value.customerNo ?? 0,
    event: value.event,
    primaryKeys: value.primaryKeys.map((key) =>
      Object.fromEntries(Object.entries(key).map(([name, keyValue]) => [camelCase(name), keyValue])),
    ),
    timestamp: value.timestamp ?? null,
    changedColumns: value.changedColumns ?? null,
  });
}
