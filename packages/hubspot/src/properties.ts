import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { ApiPaths } from './api-version.js';
import type { HubSpotError } from './errors.js';
import type { ObjectType } from './objects/objects.js';
import { parseBody } from './objects/parse.js';
import type { Transport } from './transport/http-transport.js';

/** A property definition as the properties API returns it (the fields this client uses). */
export const propertySchema = z.object({
  name: z.string(),
  label: z.string().nullish(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string().nullish(),
  hasUniqueValue: z.boolean().nullish(),
  hubspotDefined: z.boolean().nullish(),
  calculated: z.boolean().nullish(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().nullish() }).nullish(),
});
export type PropertyDefinition = z.infer<typeof propertySchema>;

/** What a custom property should be; `ensureProperties` creates it when missing. */
export interface PropertySpec {
  readonly name: string;
  readonly label: string;
  readonly description?: string | undefined;
  readonly type: 'string' | 'number';
  readonly fieldType: 'text' | 'number';
  /** Unique across records, usable as `idProperty`. Cannot be changed once created (at most 10 per object). */
  readonly hasUniqueValue?: boolean | undefined;
}

export interface EnsureReport {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  /** Existing properties whose definition differs in a way that matters, with why. */
  readonly mismatched: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

const listResponse = z.object({ results: z.array(propertySchema) });

/** The property group the sync's custom properties live in. */
export const syncPropertyGroup = { name: 'visma_nxt', label: 'Visma Business NXT' } as const;

/**
 * The custom properties the sync needs, per object type: Business NXT's customer number and actor number (unique,
 * so HubSpot itself refuses a second record with the same ERP number, and usable as `idProperty`), the Norwegian
 * organization number and a company email. Names follow the sync policy's `hubspotProperties` (defaults shown).
 */
export function syncPropertySpecs(
  names: { erpCustomerNo?: string; erpActorNo?: string; orgNumber?: string; companyEmail?: string } = {},
): Record<ObjectType, PropertySpec[]> {
  const actor = {
    name: names.erpActorNo ?? 'visma_actor_no',
    label: 'Visma actor number',
    type: 'string',
    fieldType: 'text',
    hasUniqueValue: true,
  } as const;
  return {
    companies: [
      {
        name: names.erpCustomerNo ?? 'visma_customer_no',
        label: 'Visma customer number',
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      },
      actor,
      {
        name: names.orgNumber ?? 'org_number',
        label: 'Organization number',
        type: 'string',
        fieldType: 'text',
      },
      {
        name: names.companyEmail ?? 'company_email',
        label: 'Company email',
        type: 'string',
        fieldType: 'text',
      },
    ],
    contacts: [actor],
  };
}

/** The properties API (`/crm/properties/2026-09`, or v3 on the legacy setting). https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide */
export function createPropertiesApi(transport: Transport, paths: ApiPaths) {
  const list = (type: ObjectType): ResultAsync<PropertyDefinition[], HubSpotError> =>
    transport
      .send({ method: 'GET', path: paths.properties(type), safety: 'read' })
      .andThen((response) => parseBody(listResponse, response.body, `GET ${paths.properties(type)}`))
      .map((body) => body.results);

  return {
    list,
    /**
     * Makes sure the group and the properties exist, creating only what is missing: safe to run again. An existing
     * property of another type or uniqueness is reported, not changed (HubSpot never changes `hasUniqueValue`).
     */
    ensureProperties(
      type: ObjectType,
      group: { name: string; label: string },
      specs: readonly PropertySpec[],
    ): ResultAsync<EnsureReport, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<EnsureReport, HubSpotError>> => {
          const groupPath = `${paths.properties(type)}/groups/${encodeURIComponent(group.name)}`;
          const existingGroup = await transport.send({ method: 'GET', path: groupPath, safety: 'read' });
          if (existingGroup.isErr()) {
            if (existingGroup.error.kind !== 'not-found') return err(existingGroup.error);
            const created = await transport.send({
              method: 'POST',
              path: `${paths.properties(type)}/groups`,
              safety: 'idempotent',
              json: { name: group.name, label: group.label },
            });
            if (created.isErr() && created.error.kind !== 'already-exists') return err(created.error);
          }
          const current = await list(type);
          if (current.isErr()) return err(current.error);
          const byName = new Map(current.value.map((property) => [property.name, property]));
          const missing = specs.filter((spec) => !byName.has(spec.name));
          const mismatched = specs.flatMap((spec) => {
            const found = byName.get(spec.name);
            if (found === undefined) return [];
            if (found.type !== spec.type)
              return [{ name: spec.name, reason: `is of type ${found.type}, expected ${spec.type}` }];
            if (Boolean(found.hasUniqueValue) !== Boolean(spec.hasUniqueValue)) {
              return [
                {
                  name: spec.name,
                  reason: `hasUniqueValue is ${Boolean(found.hasUniqueValue)}, expected ${Boolean(spec.hasUniqueValue)} (HubSpot cannot change it; recreate the property)`,
                },
              ];
            }
            return [];
          });
          if (missing.length > 0) {
            const created = await transport.send({
              method: 'POST',
              path: `${paths.properties(type)}/batch/create`,
              safety: 'idempotent',
              json: {
                inputs: missing.map((spec) => ({
                  name: spec.name,
                  label: spec.label,
                  type: spec.type,
                  fieldType: spec.fieldType,
                  groupName: group.name,
                  ...(spec.description ? { description: spec.description } : {}),
                  ...(spec.hasUniqueValue ? { hasUniqueValue: true } : {}),
                })),
              },
            });
            if (created.isErr()) return err(created.error);
          }
          return ok({
            created: missing.map((spec) => spec.name),
            existing: specs.filter((spec) => byName.has(spec.name)).map((spec) => spec.name),
            mismatched,
          });
        })(),
      );
    },
  };
}
