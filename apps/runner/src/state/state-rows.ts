import { z } from 'zod';
import type {
  Conflict,
  Intent,
  NewConflict,
  RecordError,
  Run,
  StateBinding,
  StoredLink,
} from './state-store.js';

/*
 * How the rows of the links, intents, conflicts, record errors, runs and bindings tables read back and what a new
 * conflict or record error writes, for both backends (the PostgreSQL store answers BIGINT columns as numbers, so
 * the same schemas apply).
 */
export const entity = z.enum(['customer', 'contact']);
// Built once: a link's fingerprints are parsed for every link read, thousands in a burst.
const stringMap = z.record(z.string(), z.string());
const numberMap = z.record(z.string(), z.number());
export const fingerprints = z.string().transform((text, context): Record<string, string> => {
  const parsed = stringMap.safeParse(JSON.parse(text));
  if (!parsed.success) {
    context.addIssue({ code: 'custom', message: 'fingerprints are not a string map' });
    return {};
  }
  return parsed.data;
});
export const watermarkContextSchema = z.object({
  probedAt: z.string(),
  seen: z.record(z.string(), z.string()),
});
export const counts = z.string().transform((text) => numberMap.parse(JSON.parse(text)));
export const linkRow = z.object({
  crm_id: z.string(),
  associate_no: z.number(),
  status: z.enum(['active', 'orphaned']),
  status_reason: z.string().nullable(),
  fingerprints,
  updated_at: z.string(),
});
export const intentRow = z.object({
  id: z.string(),
  entity,
  target: z.enum(['hubspot', 'visma-nxt']),
  source_id: z.string(),
  correlation_key: z.string(),
  status: z.enum(['pending', 'created', 'abandoned']),
  result_id: z.string().nullable(),
  created_at: z.string(),
});
export const conflictRow = z.object({
  id: z.string(),
  entity,
  crm_id: z.string(),
  associate_no: z.number(),
  field: z.string(),
  reason: z.string(),
  base_fingerprint: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  resolution: z.enum(['crm', 'erp', 'link']).nullable(),
  created_at: z.string(),
  crm_value: z.string().nullish(),
  crm_changed_at: z.string().nullish(),
  crm_changed_by: z.string().nullish(),
  erp_value: z.string().nullish(),
  erp_changed_at: z.string().nullish(),
  erp_changed_by: z.string().nullish(),
});
export const errorRow = z.object({
  entity,
  system: z.string(),
  record_id: z.string(),
  field: z.string(),
  rule: z.string(),
  message: z.string(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  related: z.string().nullish(),
  fix_in: z.enum(['hubspot', 'visma-nxt', 'either']).nullish(),
});
export const runRow = z.object({
  id: z.string(),
  mode: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  exit_code: z.number().nullable(),
  counts,
  api_calls: counts,
});

export const bindingRow = z.object({
  name: z.string(),
  value: z.string().regex(/^\d+$/u),
  bound_at: z.string(),
});
export const bindingNames = {
  hubspotPortalId: 'hubspot.portal-id',
  vismaCompanyNo: 'visma-nxt.company-no',
} as const;

/** The binding from the rows of the bindings table; `null` until both of its rows are recorded. */
export const toBinding = (rows: ReadonlyArray<z.infer<typeof bindingRow>>): StateBinding | null => {
  const portal = rows.find((row) => row.name === bindingNames.hubspotPortalId);
  const company = rows.find((row) => row.name === bindingNames.vismaCompanyNo);
  if (portal === undefined || company === undefined) return null;
  return {
    hubspotPortalId: Number(portal.value),
    vismaCompanyNo: Number(company.value),
    boundAt: portal.bound_at,
  };
};

/**
 * The values of a new conflict row, in the order both stores insert them: `id, entity, crm_id, associate_no,
 * field, reason, base_fingerprint, created_at`, then HubSpot's and Business NXT's value, time and author.
 */
export const conflictValues = (conflict: NewConflict): unknown[] => [
  conflict.id,
  conflict.entity,
  conflict.crmId,
  conflict.associateNo,
  conflict.field,
  conflict.reason,
  conflict.baseFingerprint,
  conflict.createdAt,
  conflict.hubspot?.value ?? null,
  conflict.hubspot?.changedAt ?? null,
  conflict.hubspot?.changedBy ?? null,
  conflict.businessNxt?.value ?? null,
  conflict.businessNxt?.changedAt ?? null,
  conflict.businessNxt?.changedBy ?? null,
];

/**
 * The values of a record error row, in the order both stores upsert them: its key `entity, system, record_id,
 * field, rule`, then `message`, when it was seen (first and last sighting of a new row), `related`, `fix_in`.
 */
export const recordErrorValues = (error: RecordError): unknown[] => [
  error.entity,
  error.system,
  error.recordId,
  error.field,
  error.rule,
  error.message,
  error.seenAt,
  error.related ?? null,
  error.fixIn ?? null,
];

export const toConflict = (row: z.infer<typeof conflictRow>): Conflict => ({
  id: row.id,
  entity: row.entity,
  crmId: row.crm_id,
  associateNo: row.associate_no,
  field: row.field,
  reason: row.reason,
  baseFingerprint: row.base_fingerprint,
  createdAt: row.created_at,
  status: row.status,
  resolution: row.resolution,
  hubspot: {
    value: row.crm_value ?? null,
    changedAt: row.crm_changed_at ?? null,
    changedBy: row.crm_changed_by ?? null,
  },
  businessNxt: {
    value: row.erp_value ?? null,
    changedAt: row.erp_changed_at ?? null,
    changedBy: row.erp_changed_by ?? null,
  },
});

export const toLink = (row: z.infer<typeof linkRow>): StoredLink => ({
  crmId: row.crm_id,
  associateNo: row.associate_no,
  status: row.status,
  statusReason: row.status_reason,
  fingerprints: row.fingerprints,
  updatedAt: row.updated_at,
});

export const toIntent = (row: z.infer<typeof intentRow>): Intent => ({
  id: row.id,
  entity: row.entity,
  target: row.target,
  sourceId: row.source_id,
  correlationKey: row.correlation_key,
  createdAt: row.created_at,
  status: row.status,
  resultId: row.result_id,
});

export const toRecordError = (row: z.infer<typeof errorRow>) => ({
  entity: row.entity,
  system: row.system,
  recordId: row.record_id,
  field: row.field,
  rule: row.rule,
  message: row.message,
  seenAt: row.last_seen_at,
  related: row.related ?? null,
  fixIn: row.fix_in ?? null,
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
});

export const toRun = (row: z.infer<typeof runRow>): Run => ({
  id: row.id,
  mode: row.mode,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  exitCode: row.exit_code,
  counts: row.counts,
  apiCalls: row.api_calls,
});

/** The watermark context stored as JSON, or `null` when none was stored or it no longer reads. */
export const toWatermarkContext = (boundary: string | null | undefined) => {
  if (boundary == null) return null;
  const parsed = watermarkContextSchema.safeParse(JSON.parse(boundary));
  return parsed.success ? parsed.data : null;
};
