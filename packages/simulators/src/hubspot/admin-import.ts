import type { ObjectType } from './properties.js';
import type { HubSpotRecord, HubSpotStore } from './store.js';

/** A record an import changed, with its properties as they were (for the webhook events). */
export interface ImportedUpdate {
  readonly record: HubSpotRecord;
  readonly before: ReadonlyMap<string, string>;
}

/**
 * The admin surface's import of updates (not part of HubSpot's API): `inputs` as a batch update's
 * (`[{id, properties}]`), applied as a person's import, `IMPORT` in each property's history. Every input is checked
 * before any is applied: an unknown or archived id, or properties that are not strings, refuse the whole import with
 * a reason naming the input.
 */
export function importUpdates(
  store: HubSpotStore,
  type: ObjectType,
  inputs: unknown,
): ImportedUpdate[] | string {
  if (!Array.isArray(inputs)) return 'inputs must be a list of {id, properties}';
  const checked: Array<{ record: HubSpotRecord; properties: Record<string, string> }> = [];
  for (const [index, input] of inputs.entries()) {
    const { id, properties } = (input ?? {}) as { id?: unknown; properties?: unknown };
    const record = typeof id === 'string' ? store.records[type].get(id) : undefined;
    if (record === undefined || record.archived)
      return `inputs[${index}]: ${type} ${String(id)} does not exist or is archived`;
    if (
      typeof properties !== 'object' ||
      properties === null ||
      !Object.values(properties).every((value) => typeof value === 'string')
    )
      return `inputs[${index}].properties: must map property names to strings`;
    checked.push({ record, properties: properties as Record<string, string> });
  }
  return checked.map(({ record, properties }) => {
    const before = new Map(record.properties);
    store.update(record, properties, 'IMPORT');
    return { record, before };
  });
}
