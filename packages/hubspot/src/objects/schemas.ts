import { z } from 'zod';
import { errorDetail } from '../errors.js';

/**
 * A CRM record as the objects API returns it (`SimplePublicObject`, the same in 2026-09 and v3): property values are strings or null.
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/using-object-apis
 */
export const hubSpotObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().nullish(),
  archivedAt: z.string().nullish(),
  objectWriteTraceId: z.string().nullish(),
  associations: z
    .record(z.string(), z.object({ results: z.array(z.object({ id: z.string(), type: z.string() })) }))
    .nullish(),
  /** Asked for with `propertiesWithHistory`: each property's values, newest first (`ValueWithTimestamp`). */
  propertiesWithHistory: z
    .record(
      z.string(),
      z.array(
        z.object({
          value: z.string(),
          timestamp: z.string(),
          sourceType: z.string(),
          sourceId: z.string().nullish(),
        }),
      ),
    )
    .nullish(),
});

export type HubSpotObject = z.infer<typeof hubSpotObjectSchema>;

export const pageSchema = z.object({
  results: z.array(hubSpotObjectSchema),
  paging: z.object({ next: z.object({ after: z.string(), link: z.string().nullish() }).nullish() }).nullish(),
});

export const batchErrorSchema = z.object({
  status: z.string().nullish(),
  category: z.string().nullish(),
  message: z.string().nullish(),
  context: z.record(z.string(), z.array(z.string())).nullish(),
  errors: z.array(errorDetail).nullish(),
});

/**
 * A batch answer. v3 answered a partly failed batch with 207; 2026-09 documents one 200 (201 for create) shape
 * that carries `errors` and `numErrors`. Both are read the same way.
 */
export const batchResponseSchema = z.object({
  status: z.string(),
  results: z.array(hubSpotObjectSchema.extend({ new: z.boolean().nullish() })),
  numErrors: z.number().nullish(),
  errors: z.array(batchErrorSchema).nullish(),
});

export type BatchError = z.infer<typeof batchErrorSchema>;
