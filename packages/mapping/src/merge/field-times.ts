import type { FieldRule, SyncPolicy } from '../config/policy.js';
import { type AssociateInput, associateToContact, associateToCustomer } from '../sources/associate.js';
import {
  type HubSpotObjectInput,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
  hubSpotFieldProperties,
} from '../sources/hubspot.js';
import { compareKey } from './compare-key.js';

type Entity = 'customer' | 'contact';

// Clock differences between the runner (which stamps a link when it syncs the pair) and the two systems: the same
// allowance as the Business NXT read's overlap. Too wide only costs a record in a history read.
const defaultSlackMs = 2 * 60_000;

function rulesOf(policy: SyncPolicy, entity: Entity): Readonly<Record<string, FieldRule>> {
  return entity === 'customer' ? policy.customers.fields : policy.contacts.fields;
}

/** The fields whose ties `newest-wins` settles (direction `both`): the only ones that ever compare times. */
export function newestWinsFields(policy: SyncPolicy, entity: Entity): string[] {
  return Object.entries(rulesOf(policy, entity))
    .filter(([, rule]) => rule.direction === 'both' && rule.policy === 'newest-wins')
    .map(([field]) => field);
}

/** The HubSpot properties of those fields: the ones to read with history when a pair needs per-field times. */
export function newestWinsProperties(policy: SyncPolicy, entity: Entity): string[] {
  const properties = hubSpotFieldProperties(entity, policy.hubspotProperties);
  return [...new Set(newestWinsFields(policy, entity).flatMap((field) => properties[field] ?? []))];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export interface LinkedRecords {
  readonly crm: HubSpotObjectInput;
  readonly erp: AssociateInput;
  /** When the runner last recorded the pair's sync (the link's `updatedAt`, ISO 8601). */
  readonly lastSyncedAt: string;
}

/**
 * Whether `newest-wins` may have to decide a field of this linked pair, so that HubSpot's time of each property
 * value is worth a read (HubSpot's search, which incremental reads use, cannot return property history). True when
 * both records changed since the pair was last synced (give or take `slackMs` of clock difference) and a
 * `newest-wins` field differs between them. A pair that passes may still turn out to be a one-sided change; one
 * that fails is decided by the record's `updatedAt`, as without history. Timestamps are checked first, values only
 * then: most pairs cost two comparisons.
 */
export function mayNeedFieldTimes(
  entity: Entity,
  policy: SyncPolicy,
  pair: LinkedRecords,
  readTimestamp: (value: string | null | undefined) => number | null,
  slackMs = defaultSlackMs,
): boolean {
  if (pair.crm.archived === true || pair.crm.latestChanges !== undefined) return false;
  const fields = newestWinsFields(policy, entity);
  if (fields.length === 0) return false;
  const syncedMs = Date.parse(pair.lastSyncedAt);
  const since = Number.isNaN(syncedMs) ? Number.NEGATIVE_INFINITY : syncedMs - slackMs;
  // A Business NXT row without changedTimestamp has not changed since October 2024.
  const erpMs = readTimestamp(pair.erp.changedTimestamp);
  if (erpMs === null || erpMs < since) return false;
  const crmMs = readTimestamp(pair.crm.updatedAt);
  if (crmMs !== null && crmMs < since) return false;
  const names = policy.hubspotProperties;
  const crm: Readonly<Record<string, unknown>> =
    entity === 'customer'
      ? hubSpotCompanyToCustomer(pair.crm, names).record
      : hubSpotContactToContact(pair.crm, names).record;
  const erp: Readonly<Record<string, unknown>> =
    entity === 'customer' ? associateToCustomer(pair.erp).record : associateToContact(pair.erp).record;
  const rules = rulesOf(policy, entity);
  return fields.some((field) => {
    const crmValue = text(crm[field]);
    const erpValue = text(erp[field]);
    if (compareKey(field, crmValue) === compareKey(field, erpValue)) return false;
    // An emptied side is settled without times (the value is kept), unless the field clears on empty.
    return rules[field]?.clearOnEmpty === true || (crmValue !== null && erpValue !== null);
  });
}
