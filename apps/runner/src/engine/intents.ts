import type { HubSpotClient } from '@port-service/hubspot';
import {
  associateToContact,
  associateToCustomer,
  compareKey,
  createFingerprinter,
  type Entity,
  type Fingerprint,
  type SyncPolicy,
} from '@port-service/mapping';
import type { VismaNxtClient } from '@port-service/visma-nxt';
import { err, ok, type Result } from 'neverthrow';
import type { Intent, StateStore } from '../state/state-store.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import type { CycleReport } from './report.js';

// Business NXT's clock and ours may differ: look this far before an intent for the row it created.
const clockMarginMs = 5 * 60_000;

interface ErpIntentKey {
  readonly fingerprints: Readonly<Record<string, Fingerprint>>;
  /** For a contact person: the customer it was created under. */
  readonly customer: number | null;
}
interface HubSpotIntentKey {
  readonly fingerprints: Readonly<Record<string, Fingerprint>>;
  readonly associateNo: number;
}

/**
 * How a Business NXT create is found again after a crash: the keyed fingerprints of the values it wrote (no
 * personal data), compared with the rows changed since the intent.
 */
export function erpIntentKey(
  fingerprints: Readonly<Record<string, Fingerprint>>,
  customer: number | null,
): string {
  return JSON.stringify({ fingerprints, customer } satisfies ErpIntentKey);
}

/** How a HubSpot create is found again: its ERP actor number, a unique HubSpot property the create wrote. */
export function hubSpotIntentKey(
  fingerprints: Readonly<Record<string, Fingerprint>>,
  associateNo: number,
): string {
  return JSON.stringify({ fingerprints, associateNo } satisfies HubSpotIntentKey);
}

export interface IntentDependencies {
  readonly hubspot: HubSpotClient;
  readonly visma: VismaNxtClient;
  readonly store: StateStore;
  readonly policy: SyncPolicy;
  readonly fingerprintKey: string;
}

/**
 * Settles the creates an interrupted cycle left pending (docs/DESIGN.md §5), before anything is planned: a record that
 * was created gets its link; one that was not is abandoned, and the normal plan creates it. Never creates.
 */
export async function resolvePendingIntents(
  dependencies: IntentDependencies,
  report: CycleReport,
): Promise<Result<void, CycleError>> {
  const pending = await dependencies.store.pendingIntents();
  for (const entity of ['customer', 'contact'] as const) {
    const toHubSpot = pending.filter((intent) => intent.entity === entity && intent.target === 'hubspot');
    const hubspotResult = await resolveHubSpotIntents(dependencies, entity, toHubSpot, report);
    if (hubspotResult.isErr()) return hubspotResult;
    const toErp = pending.filter((intent) => intent.entity === entity && intent.target === 'visma-nxt');
    const erpResult = await resolveErpIntents(dependencies, entity, toErp, report);
    if (erpResult.isErr()) return erpResult;
  }
  return ok(undefined);
}

async function settle(
  dependencies: IntentDependencies,
  report: CycleReport,
  intent: Intent,
  entity: Entity,
  found: { crmId: string; associateNo: number } | null,
  fingerprints: Readonly<Record<string, Fingerprint>>,
): Promise<void> {
  const { store } = dependencies;
  if (found === null) {
    await store.resolveIntent(intent.id, { status: 'abandoned', resultId: null });
    report.intents.resolvedAbandoned += 1;
    return;
  }
  const [byCrm] = await store.linksByCrmIds(entity, [found.crmId]);
  const [byErp] = await store.linksByAssociateNos(entity, [found.associateNo]);
  // The link may have been committed just before the crash; never link either record twice.
  if (byCrm === undefined && byErp === undefined) await store.insertLink(entity, { ...found, fingerprints });
  await store.resolveIntent(intent.id, {
    status: 'created',
    resultId: intent.target === 'hubspot' ? found.crmId : String(found.associateNo),
  });
  report.intents.resolvedCreated += 1;
}

async function resolveHubSpotIntents(
  dependencies: IntentDependencies,
  entity: Entity,
  intents: readonly Intent[],
  report: CycleReport,
): Promise<Result<void, CycleError>> {
  if (intents.length === 0) return ok(undefined);
  const { hubspot, policy } = dependencies;
  const actor = policy.hubspotProperties.erpActorNo;
  const keys = intents.map((intent) => JSON.parse(intent.correlationKey) as HubSpotIntentKey);
  const api = entity === 'customer' ? hubspot.companies : hubspot.contacts;
  const read = await api.batchRead(
    keys.map((key) => String(key.associateNo)),
    { properties: [actor], idProperty: actor },
  );
  if (read.isErr()) return err(fromHubSpot(read.error, 'looking up records an interrupted cycle created'));
  for (const [index, intent] of intents.entries()) {
    const key = keys[index] as HubSpotIntentKey;
    const record = read.value.get(String(key.associateNo));
    const found = record?.isOk() ? { crmId: record.value.id, associateNo: key.associateNo } : null;
    await settle(dependencies, report, intent, entity, found, key.fingerprints);
  }
  return ok(undefined);
}

async function resolveErpIntents(
  dependencies: IntentDependencies,
  entity: Entity,
  intents: readonly Intent[],
  report: CycleReport,
): Promise<Result<void, CycleError>> {
  if (intents.length === 0) return ok(undefined);
  const { visma, store } = dependencies;
  const fingerprint = createFingerprinter(dependencies.fingerprintKey);
  const since = Math.min(...intents.map((intent) => Date.parse(intent.createdAt))) - clockMarginMs;
  const api = entity === 'customer' ? visma.customers : visma.contactPersons;
  const candidates: Array<{
    associateNo: number;
    values: Record<string, string | null>;
    customer: number | null;
  }> = [];
  for await (const page of api.pages({ changedSince: since })) {
    if (page.isErr()) return err(fromVisma(page.error, 'looking up rows an interrupted cycle created'));
    for (const row of page.value.items) {
      const record = entity === 'customer' ? associateToCustomer(row).record : associateToContact(row).record;
      candidates.push({
        associateNo: row.associateNo,
        values: record as unknown as Record<string, string | null>,
        customer: row.contactPersonForAssociateNo ?? null,
      });
    }
  }
  const linked = new Set(
    (
      await store.linksByAssociateNos(
        entity,
        candidates.map((candidate) => candidate.associateNo),
      )
    ).map((link) => link.associateNo),
  );
  const claimed = new Set<number>();
  for (const intent of intents) {
    const key = JSON.parse(intent.correlationKey) as ErpIntentKey;
    // Committed just before the crash: the link is there already.
    const [existing] = await store.linksByCrmIds(entity, [intent.sourceId]);
    if (existing !== undefined) {
      await settle(dependencies, report, intent, entity, existing, key.fingerprints);
      continue;
    }
    const fields = Object.keys(key.fingerprints).filter((field) => field !== '*');
    const match = candidates.find(
      (candidate) =>
        !linked.has(candidate.associateNo) &&
        !claimed.has(candidate.associateNo) &&
        (entity === 'customer' || candidate.customer === key.customer) &&
        fields.every(
          (field) =>
            fingerprint(field, compareKey(field, candidate.values[field] ?? null)) ===
            key.fingerprints[field],
        ),
    );
    if (match) claimed.add(match.associateNo);
    await settle(
      dependencies,
      report,
      intent,
      entity,
      match ? { crmId: intent.sourceId, associateNo: match.associateNo } : null,
      key.fingerprints,
    );
  }
  return ok(undefined);
}
