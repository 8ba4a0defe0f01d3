import { z } from 'zod';
import type { Exclusion, SeparatedPair, StateStore } from './state-store.js';

/** The operators' decisions about records (migration 8), as both backends build them. */
export type ExclusionMethods = Pick<
  StateStore,
  'excludeRecord' | 'includeRecord' | 'exclusions' | 'separatePair' | 'separatedPairs'
>;

/** How the exclusions and separated pairs tables read back, and what an exclusion writes, for both backends. */
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

/** The values of a new exclusion row: `entity, system, record_id, reason, excluded_by, excluded_at`. */
export const exclusionValues = (exclusion: Exclusion): unknown[] => [
  exclusion.entity,
  exclusion.system,
  exclusion.recordId,
  exclusion.reason,
  exclusion.excludedBy,
  exclusion.excludedAt,
];

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
