import { z } from 'zod';
import type { Exclusion, SeparatedPair } from './state-store.js';

/** How the exclusions and separated pairs tables read back, for both backends. */
const entity = z.enum(['customer', 'contact']);
export const exclusionRow = z.object({
  entity,
  system: z.enum(['hubspot', 'visma-nxt']),
  record_id: z.string(),
  reason: z.string().nullable(),
  excluded_by: z.string(),
  excluded_at: z.string(),
});
export const separatedRow = z.object({
  entity,
  crm_id: z.string(),
  associate_no: z.number(),
  separated_by: z.string(),
  separated_at: z.string(),
});

export const toExclusion = (row: z.infer<typeof exclusionRow>): Exclusion => ({
  entity: row.entity,
  system: row.system,
  recordId: row.record_id,
  reason: row.reason,
  excludedBy: row.excluded_by,
  excludedAt: row.excluded_at,
});

export const toSeparatedPair = (row: z.infer<typeof separatedRow>): SeparatedPair => ({
  entity: row.entity,
  crmId: row.crm_id,
  associateNo: row.associate_no,
  separatedBy: row.separated_by,
  separatedAt: row.separated_at,
});
