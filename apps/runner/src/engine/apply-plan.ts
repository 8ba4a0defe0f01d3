import {
  associationTypes,
  type HubSpotClient,
  type HubSpotError,
  type PrimaryCompanyMove,
} from '@port-service/hubspot';
import {
  type CreateCrmOperation,
  type CreateErpOperation,
  type CustomerRef,
  type Entity,
  erpNumbersToHubSpotProperties,
  type SkipOperation,
  type SyncOperation,
  type SyncPlan,
  type SyncPolicy,
  type UpdateCrmOperation,
  type UpdateErpOperation,
  type WriteBackOperation,
} from '@port-service/mapping';
import type { VismaNxtClient, VismaNxtError } from '@port-service/visma-nxt';
import { err, ok, type Result } from 'neverthrow';
import type { StateStore } from '../state/state-store.js';
import { type ConflictOrigin, conflictOrigins, conflictSides } from './conflict-origins.js';
import { type CycleError, fromHubSpot, fromVisma, mayHaveApplied } from './cycle-error.js';
import type { DryRunOverlay } from './dry-run-overlay.js';
import type { HubSpotKeys } from './hubspot-keys.js';
import { erpIntentKey, hubSpotIntentKey } from './intents.js';
import { bump, type CycleReport } from './report.js';

export interface ApplyContext {
  readonly hubspot: HubSpotClient;
  readonly visma: VismaNxtClient;
  readonly store: StateStore;
  readonly policy: SyncPolicy;
  readonly runId: string;
  readonly now: () => Date;
  readonly report: CycleReport;
  /** Associate numbers this cycle has planned or created (the Business NXT pass skips them). */
  readonly seenAssociateNos: Set<number>;
  /** Records that failed in this cycle, as `system:id`: their earlier errors are not cleared. */
  readonly failedRecords: Set<string>;
  /** HubSpot records this cycle created (a full cycle's sweep need not check them). */
  readonly createdCrmIds: Set<string>;
  /** HubSpot's records by match key: creates are added, so a later slice holds their twins instead of creating. */
  readonly known: HubSpotKeys;
}

type ClientError = HubSpotError | VismaNxtError;

// Skips a person should look at; the others (not a customer by the filter, a lead's contact) are by design.
const attentionSkips = new Set([
  'invalid-data',
  'email-at-other-company',
  'contact-customer-differs',
  'no-company',
  'customer-not-synced',
  'merged-in-hubspot',
]);

/**
 * Applies one plan (docs/DESIGN.md §2 steps 4–5): state-only operations first, then creates in Business NXT (their
 * numbers written back to HubSpot), creates in HubSpot, updates on both sides, in batches. State is committed per
 * operation as it succeeds. One failed record fails alone and is reported; only a fatal error (credentials,
 * HubSpot's daily limit) stops the plan.
 */
export async function applyPlan(context: ApplyContext, plan: SyncPlan): Promise<Result<void, CycleError>> {
  // Read before the state transaction, which holds calls to the store only.
  const origins = await conflictOrigins(context, plan.operations);
  await context.store.transaction(async () => {
    for (const operation of plan.operations) await applyStateOnly(context, operation, origins);
  });
  const byKind = <K extends SyncOperation['kind']>(kind: K) =>
    plan.operations.filter(
      (operation): operation is Extract<SyncOperation, { kind: K }> => operation.kind === kind,
    );

  const writeBacks: WriteBackOperation[] = [...byKind('write-back')];
  for (const entity of ['customer', 'contact'] as const) {
    const createdErp = await createInErp(
      context,
      byKind('create-erp').filter((operation) => operation.entity === entity),
    );
    if (createdErp.isErr()) return err(createdErp.error);
    writeBacks.push(...createdErp.value);
    const createdCrm = await createInCrm(
      context,
      byKind('create-crm').filter((operation) => operation.entity === entity),
    );
    if (createdCrm.isErr()) return err(createdCrm.error);
    const updatedErp = await updateErp(
      context,
      byKind('update-erp').filter((operation) => operation.entity === entity),
    );
    if (updatedErp.isErr()) return err(updatedErp.error);
    const updatedCrm = await updateCrm(
      context,
      entity,
      byKind('update-crm').filter((operation) => operation.entity === entity),
      writeBacks.filter((operation) => operation.entity === entity),
    );
    if (updatedCrm.isErr()) return err(updatedCrm.error);
  }
  return ok(undefined);
}

/**
 * A dry run (`crm-sync plan`): applies the plan to the dry run's overlay (`context.store` is its store) and to the
 * report only, with no API call. Held records, links and failures are reported as a run would report them; each
 * create becomes a link to a placeholder record (dry-run-overlay.ts), so the slices planned after it see it as the
 * run's would see the created record.
 */
export async function applyPlanDry(
  context: ApplyContext,
  plan: SyncPlan,
  overlay: DryRunOverlay,
): Promise<void> {
  for (const operation of plan.operations) await applyStateOnly(context, operation);
  for (const operation of plan.operations) {
    if (operation.kind !== 'create-erp' && operation.kind !== 'create-crm') continue;
    const { entity } = operation;
    const customer = customerOf(operation.customer);
    if (entity === 'contact' && customer === null) {
      const [system, id] =
        operation.kind === 'create-erp'
          ? (['hubspot', operation.crmId] as const)
          : (['visma-nxt', String(operation.associateNo)] as const);
      await failRecord(context, operation, system, id, customerNotLinked);
      continue;
    }
    const link =
      operation.kind === 'create-erp'
        ? {
            crmId: operation.crmId,
            associateNo: overlay.newAssociateNo(entity, operation.values, customer?.associateNo ?? null),
          }
        : {
            crmId: overlay.newCrmId(entity, operation.properties, customer?.crmId ?? null),
            associateNo: operation.associateNo,
          };
    await context.store.insertLink(entity, { ...link, fingerprints: operation.fingerprints });
    if (entity === 'customer') await context.store.oweContacts(link);
    if (operation.kind === 'create-crm')
      context.known.add({
        id: link.crmId,
        properties: operation.properties,
        archived: false,
        companyIds: customer === null ? [] : [customer.crmId],
        primaryCompanyId: customer?.crmId ?? null,
      });
  }
}

async function applyStateOnly(
  context: ApplyContext,
  operation: SyncOperation,
  origins?: ReadonlyMap<string, ConflictOrigin>,
): Promise<void> {
  const { store, report } = context;
  const counts = report.entities[operation.entity];
  const item = { entity: operation.entity, system: null, crmId: null, associateNo: null } as const;
  switch (operation.kind) {
    case 'relink':
      await store.moveLink(operation.entity, operation.fromCrmId, operation.toCrmId);
      report.items.push({
        ...item,
        outcome: 'relinked',
        system: 'hubspot',
        crmId: operation.toCrmId,
        associateNo: operation.associateNo,
        reason: operation.reason,
        message: `HubSpot merged ${operation.fromCrmId} into ${operation.toCrmId}: the link moved to ${operation.toCrmId}`,
      });
      break;
    case 'link':
      await store.insertLink(operation.entity, {
        crmId: operation.crmId,
        associateNo: operation.associateNo,
        fingerprints: {},
      });
      context.seenAssociateNos.add(operation.associateNo);
      if (operation.entity === 'customer')
        await store.oweContacts({ crmId: operation.crmId, associateNo: operation.associateNo });
      break;
    case 'orphan':
      await store.markOrphaned(operation.entity, operation, operation.reason);
      report.items.push({
        ...item,
        outcome: 'orphaned',
        system: operation.side === 'crm' ? 'hubspot' : 'visma-nxt',
        crmId: operation.crmId,
        associateNo: operation.associateNo,
        reason: operation.reason,
        message:
          operation.side === 'crm'
            ? `archived in HubSpot; Business NXT actor ${operation.associateNo} is kept and no longer synced`
            : `deleted in Business NXT; HubSpot record ${operation.crmId} is kept and no longer synced`,
      });
      break;
    case 'restore':
      await store.reactivateLink(operation.entity, operation.crmId);
      report.items.push({
        ...item,
        outcome: 'restored',
        system: 'hubspot',
        crmId: operation.crmId,
        associateNo: operation.associateNo,
        reason: operation.reason,
        message: `restored in HubSpot: the link to Business NXT actor ${operation.associateNo} is active again`,
      });
      break;
    case 'baseline':
      await store.mergeFingerprints(operation.entity, operation.crmId, operation.fingerprints);
      break;
    case 'conflict':
      await store.openConflict({
        // Short enough to type in `conflicts resolve`; unique, as the same field may conflict again later.
        id: `${operation.crmId}-${operation.field}-${context.runId.slice(0, 4)}`,
        entity: operation.entity,
        crmId: operation.crmId,
        associateNo: operation.associateNo,
        field: operation.field,
        reason: operation.reason,
        baseFingerprint: operation.base ?? null,
        createdAt: context.now().toISOString(),
        // Both values, and who changed each when (a dry run reads no origins: unknown there).
        ...conflictSides(operation, origins?.get(operation.id)),
      });
      report.items.push({
        ...item,
        outcome: 'conflict',
        crmId: operation.crmId,
        associateNo: operation.associateNo,
        reason: operation.reason,
        message:
          operation.reason === 'merged-records-linked-differently'
            ? `HubSpot merged records that were linked to different Business NXT records (${operation.erpValue}); nothing is synced for ${operation.crmId} until a person decides (\`crm-sync conflicts\`)`
            : `${operation.field} changed differently on both sides; queued for \`crm-sync conflicts\``,
      });
      break;
    case 'skip': {
      const isCrm = operation.system === 'hubspot';
      // Records outside the sync by configuration (leads, their contacts) are counted, not listed.
      if (!attentionSkips.has(operation.reason)) break;
      report.items.push({
        ...item,
        outcome: 'skipped',
        system: operation.system,
        crmId: isCrm ? operation.recordId : null,
        associateNo: isCrm ? null : Number(operation.recordId),
        reason: operation.reason,
        message: operation.message,
        issues: operation.issues,
      });
      const held =
        operation.issues.length > 0
          ? operation.issues
          : [{ field: '*', rule: operation.reason, message: operation.message }];
      for (const issue of held)
        await holdRecord(context, operation.entity, operation.system, operation.recordId, {
          ...issue,
          related: operation.related?.map((record) => `${record.system} ${record.recordId}`).join(', '),
          fixIn: fixInFor(operation.reason, operation.system),
        });
      break;
    }
    case 'candidates': {
      const isCrm = operation.system === 'hubspot';
      report.items.push({
        ...item,
        outcome: 'candidates',
        system: operation.system,
        crmId: isCrm ? operation.recordId : null,
        associateNo: isCrm ? null : Number(operation.recordId),
        reason: operation.candidates.map((candidate) => candidate.reason).join(','),
        message: `${operation.message} (candidates: ${operation.candidates.map((candidate) => `${candidate.system} ${candidate.recordId}`).join(', ')})`,
      });
      await holdRecord(context, operation.entity, operation.system, operation.recordId, {
        field: '*',
        rule: `candidates:${[...new Set(operation.candidates.map((candidate) => candidate.reason))].join(',')}`,
        message: operation.message,
        related: operation.candidates
          .map((candidate) => `${candidate.system} ${candidate.recordId}`)
          .join(', '),
        fixIn: 'hubspot',
      });
      break;
    }
    default:
      return;
  }
  if (!report.dryRun) bump(counts.applied, operation.kind);
}

/**
 * Keeps a record that needs a person in the state store (docs/DESIGN.md §4, "held records are state"): listed by
 * `crm-sync status` with since when, until the record syncs or is held for another reason.
 */
async function holdRecord(
  context: ApplyContext,
  entity: Entity,
  system: 'hubspot' | 'visma-nxt',
  recordId: string,
  held: {
    field: string;
    rule: string;
    message: string;
    related?: string | undefined;
    fixIn: 'hubspot' | 'visma-nxt' | 'either';
  },
): Promise<void> {
  context.failedRecords.add(`${system}:${recordId}`);
  await context.store.recordError({
    entity,
    system,
    recordId,
    field: held.field,
    rule: held.rule,
    message: held.message,
    related: held.related || null,
    fixIn: held.fixIn,
    seenAt: context.now().toISOString(),
  });
}

/** Where a person fixes what a skip reports: the record's own data, or the data of either record involved. */
function fixInFor(
  reason: SkipOperation['reason'],
  system: 'hubspot' | 'visma-nxt',
): 'hubspot' | 'visma-nxt' | 'either' {
  if (reason === 'invalid-data') return system;
  if (reason === 'no-company') return 'hubspot';
  return 'either';
}

/** Reports a failed write and keeps it for the next cycle, which reads the record again and retries. */
async function failRecord(
  context: ApplyContext,
  operation: SyncOperation,
  system: 'hubspot' | 'visma-nxt',
  recordId: string,
  error: ClientError | { kind: string; message: string },
  pending = false,
): Promise<void> {
  const crmId = 'crmId' in operation ? operation.crmId : null;
  const associateNo = 'associateNo' in operation ? operation.associateNo : null;
  // HubSpot's 409: another record has the unique value (an email). Not a conflict between the two systems.
  const taken = error.kind === 'already-exists' && 'existingId' in error ? error.existingId : undefined;
  const reason = taken === undefined ? error.kind : 'already-exists';
  context.report.entities[operation.entity].failed += 1;
  context.failedRecords.add(`${system}:${recordId}`);
  context.report.items.push({
    entity: operation.entity,
    outcome: pending ? 'pending' : 'failed',
    system,
    crmId,
    associateNo,
    reason,
    message: pending
      ? `${operation.kind}: no clear answer (${error.message}); the next cycle looks the record up before creating again`
      : `${operation.kind}: ${error.message}`,
  });
  if (error.kind === 'invalid-value' && 'refusals' in error) {
    await recordRefusals(context, operation, system, recordId, error.refusals);
    return;
  }
  await context.store.recordError({
    entity: operation.entity,
    system,
    recordId,
    field: '*',
    rule: taken === undefined ? 'write-failed' : 'already-exists',
    message: `${operation.kind} failed: ${error.message}`,
    seenAt: context.now().toISOString(),
    ...(taken === undefined
      ? {}
      : { related: taken === null ? null : `hubspot ${taken}`, fixIn: 'either' as const }),
  });
}

/** HubSpot's rules about one value's form: the value must be fixed where it came from. */
const valueRules = new Set([
  'INVALID_EMAIL',
  'INVALID_OPTION',
  'INVALID_INTEGER',
  'INVALID_DECIMAL',
  'INVALID_DATE',
]);

/**
 * HubSpot refused values of a write (its own rules, or from 2026-09 the portal's validation rules): one held
 * error per property and rule, so the record shows what to fix. A value in the wrong form is fixed where it came
 * from; a portal rule (a required property, a pattern) either there or in HubSpot's rule.
 */
async function recordRefusals(
  context: ApplyContext,
  operation: SyncOperation,
  system: 'hubspot' | 'visma-nxt',
  recordId: string,
  refusals: ReadonlyArray<{ property: string | null; rule: string; message: string }>,
): Promise<void> {
  for (const refusal of refusals)
    await context.store.recordError({
      entity: operation.entity,
      system,
      recordId,
      field: refusal.property ?? '*',
      rule: refusal.rule,
      message: `${operation.kind}: HubSpot refused ${refusal.property ?? 'a property'} by its rule ${refusal.rule}: ${refusal.message}`,
      seenAt: context.now().toISOString(),
      fixIn: valueRules.has(refusal.rule) ? system : 'either',
    });
}

/**
 * A create that failed: reported and kept for the next cycle. Its intent is abandoned, unless the create may have
 * happened (`unclear`): then the intent stays, and the next cycle looks the record up before creating again.
 */
async function failCreate(
  context: ApplyContext,
  operation: CreateErpOperation | CreateCrmOperation,
  intentId: string,
  error: ClientError | { kind: string; message: string },
  unclear = false,
): Promise<void> {
  if (!unclear) await context.store.resolveIntent(intentId, { status: 'abandoned', resultId: null });
  if (operation.kind === 'create-erp')
    await failRecord(context, operation, 'hubspot', operation.crmId, error, unclear);
  else await failRecord(context, operation, 'visma-nxt', String(operation.associateNo), error, unclear);
}

const customerNotLinked = {
  kind: 'customer-not-synced',
  message: "the contact's customer is not linked yet",
};

function customerOf(ref: CustomerRef | undefined): { crmId: string; associateNo: number } | null {
  return ref?.kind === 'linked' ? ref : null;
}

/**
 * Records an intent for each create before it is sent, in one transaction (docs/DESIGN.md §5). A contact whose
 * customer is not linked yet is failed instead: it has nothing to be created under.
 */
async function recordIntents<Operation extends CreateErpOperation | CreateCrmOperation>(
  context: ApplyContext,
  operations: readonly Operation[],
  describe: (
    operation: Operation,
    customer: { crmId: string; associateNo: number } | null,
  ) => {
    target: 'hubspot' | 'visma-nxt';
    source: { system: 'hubspot' | 'visma-nxt'; id: string };
    correlationKey: string;
  },
): Promise<
  Array<{ operation: Operation; intentId: string; customer: { crmId: string; associateNo: number } | null }>
> {
  const ready: Array<{
    operation: Operation;
    intentId: string;
    customer: { crmId: string; associateNo: number } | null;
  }> = [];
  await context.store.transaction(async () => {
    for (const operation of operations) {
      const customer = customerOf(operation.customer);
      const { target, source, correlationKey } = describe(operation, customer);
      if (operation.entity === 'contact' && customer === null) {
        await failRecord(context, operation, source.system, source.id, customerNotLinked);
        continue;
      }
      const intentId = `${context.runId}/${operation.id}`;
      await context.store.recordIntent({
        id: intentId,
        entity: operation.entity,
        target,
        sourceId: source.id,
        correlationKey,
        createdAt: context.now().toISOString(),
      });
      ready.push({ operation, intentId, customer });
    }
  });
  return ready;
}

async function createInErp(
  context: ApplyContext,
  operations: readonly CreateErpOperation[],
): Promise<Result<WriteBackOperation[], CycleError>> {
  if (operations.length === 0) return ok([]);
  const { store, visma, policy } = context;
  const entity = operations[0]?.entity ?? 'customer';
  const ready = await recordIntents(context, operations, (operation, customer) => ({
    target: 'visma-nxt',
    source: { system: 'hubspot', id: operation.crmId },
    correlationKey: erpIntentKey(operation.fingerprints, customer?.associateNo ?? null),
  }));
  if (ready.length === 0) return ok([]);
  const rows = ready.map(({ operation, customer }) =>
    customer ? { ...operation.values, contactPersonForAssociateNo: customer.associateNo } : operation.values,
  );
  const api = entity === 'customer' ? visma.customers : visma.contactPersons;
  const created = await api.create(rows);
  if (created.isErr()) {
    const error = fromVisma(
      created.error,
      `creating ${entity === 'customer' ? 'customers' : 'contact persons'}`,
    );
    if (error.fatal) return err(error);
    const unclear = mayHaveApplied(created.error);
    await context.store.transaction(async () => {
      for (const { operation, intentId } of ready)
        await failCreate(context, operation, intentId, created.error, unclear);
    });
    return ok([]);
  }
  const writeBacks: WriteBackOperation[] = [];
  await context.store.transaction(async () => {
    for (const [index, { operation, intentId }] of ready.entries()) {
      const result = created.value[index];
      if (result === undefined || result.isErr()) {
        // A row whose answer says nothing clear may have been stored: its intent stays for a lookup.
        await failCreate(
          context,
          operation,
          intentId,
          result?.error ?? { kind: 'unanswered', message: 'Business NXT did not answer for this row' },
          result !== undefined && mayHaveApplied(result.error),
        );
        continue;
      }
      const row = result.value;
      await store.insertLink(entity, {
        crmId: operation.crmId,
        associateNo: row.associateNo,
        fingerprints: { ...operation.fingerprints, ...operation.relationFingerprints },
      });
      await store.resolveIntent(intentId, { status: 'created', resultId: String(row.associateNo) });
      context.seenAssociateNos.add(row.associateNo);
      if (entity === 'customer')
        await store.oweContacts({ crmId: operation.crmId, associateNo: row.associateNo });
      bump(context.report.entities[entity].applied, 'create-erp');
      writeBacks.push({
        id: `${operation.id}:write-back`,
        entity,
        kind: 'write-back',
        crmId: operation.crmId,
        associateNo: row.associateNo,
        properties: erpNumbersToHubSpotProperties(
          entity === 'customer'
            ? { erpCustomerNo: row.customerNo ?? null, erpActorNo: row.associateNo }
            : { erpActorNo: row.associateNo },
          policy.hubspotProperties,
        ),
      });
    }
  });
  return ok(writeBacks);
}

async function createInCrm(
  context: ApplyContext,
  operations: readonly CreateCrmOperation[],
): Promise<Result<void, CycleError>> {
  if (operations.length === 0) return ok(undefined);
  const { store, hubspot } = context;
  const entity = operations[0]?.entity ?? 'customer';
  const ready = await recordIntents(context, operations, (operation) => ({
    target: 'hubspot',
    source: { system: 'visma-nxt', id: String(operation.associateNo) },
    correlationKey: hubSpotIntentKey(operation.fingerprints, operation.associateNo),
  }));
  if (ready.length === 0) return ok(undefined);
  const api = entity === 'customer' ? hubspot.companies : hubspot.contacts;
  const created = await api.batchCreate(
    ready.map(({ operation, customer }) => ({
      properties: operation.properties,
      associations:
        customer === null ? [] : [{ toId: customer.crmId, typeId: associationTypes.contactToPrimaryCompany }],
    })),
  );
  if (created.isErr()) {
    const error = fromHubSpot(created.error, `creating ${entity === 'customer' ? 'companies' : 'contacts'}`);
    if (error.fatal) return err(error);
    const unclear = mayHaveApplied(created.error);
    await context.store.transaction(async () => {
      for (const { operation, intentId } of ready)
        await failCreate(context, operation, intentId, created.error, unclear);
    });
    return ok(undefined);
  }
  await context.store.transaction(async () => {
    for (const [index, { operation, intentId, customer }] of ready.entries()) {
      const result = created.value[index];
      if (result === undefined || result.isErr()) {
        // A chunk that got no clear answer may have been created: its intent stays for the next cycle to look up.
        const unclear = result !== undefined && mayHaveApplied(result.error);
        await failCreate(
          context,
          operation,
          intentId,
          result?.error ?? { kind: 'unanswered', message: 'HubSpot did not answer for this record' },
          unclear,
        );
        continue;
      }
      await store.insertLink(entity, {
        crmId: result.value.id,
        associateNo: operation.associateNo,
        fingerprints: { ...operation.fingerprints, ...operation.relationFingerprints },
      });
      await store.resolveIntent(intentId, { status: 'created', resultId: result.value.id });
      context.createdCrmIds.add(result.value.id);
      context.known.add({
        id: result.value.id,
        properties: operation.properties,
        archived: false,
        companyIds: customer === null ? [] : [customer.crmId],
        primaryCompanyId: customer?.crmId ?? null,
      });
      if (entity === 'customer')
        await store.oweContacts({ crmId: result.value.id, associateNo: operation.associateNo });
      bump(context.report.entities[entity].applied, 'create-crm');
    }
  });
  return ok(undefined);
}

async function updateErp(
  context: ApplyContext,
  operations: readonly UpdateErpOperation[],
): Promise<Result<void, CycleError>> {
  if (operations.length === 0) return ok(undefined);
  const entity = operations[0]?.entity ?? 'customer';
  const api = entity === 'customer' ? context.visma.customers : context.visma.contactPersons;
  const updated = await api.update(
    operations.map((operation) => ({ associateNo: operation.associateNo, values: operation.values })),
  );
  if (updated.isErr()) {
    const error = fromVisma(
      updated.error,
      `updating ${entity === 'customer' ? 'customers' : 'contact persons'}`,
    );
    if (error.fatal) return err(error);
    await context.store.transaction(async () => {
      for (const operation of operations)
        await failRecord(context, operation, 'visma-nxt', String(operation.associateNo), updated.error);
    });
    return ok(undefined);
  }
  await context.store.transaction(async () => {
    for (const [index, operation] of operations.entries()) {
      const result = updated.value[index];
      if (result === undefined || result.isErr()) {
        await failRecord(
          context,
          operation,
          'visma-nxt',
          String(operation.associateNo),
          result?.error ?? { kind: 'unanswered', message: 'Business NXT did not answer for this row' },
        );
        continue;
      }
      await context.store.mergeFingerprints(entity, operation.crmId, operation.fingerprints);
      bump(context.report.entities[entity].applied, 'update-erp');
    }
  });
  return ok(undefined);
}

/** Field updates and ERP-number write-backs to HubSpot, one batch input per record. */
async function updateCrm(
  context: ApplyContext,
  entity: Entity,
  updates: readonly UpdateCrmOperation[],
  writeBacks: readonly WriteBackOperation[],
): Promise<Result<void, CycleError>> {
  const byCrmId = new Map<
    string,
    { properties: Record<string, string>; operations: Array<UpdateCrmOperation | WriteBackOperation> }
  >();
  for (const operation of [...updates, ...writeBacks]) {
    const entry = byCrmId.get(operation.crmId) ?? { properties: {}, operations: [] };
    Object.assign(entry.properties, operation.properties);
    entry.operations.push(operation);
    byCrmId.set(operation.crmId, entry);
  }
  if (byCrmId.size === 0) return ok(undefined);
  const api = entity === 'customer' ? context.hubspot.companies : context.hubspot.contacts;
  const entries = [...byCrmId.entries()];
  // A contact whose primary company alone moves has no properties to send.
  const withProperties = entries.filter(([, entry]) => Object.keys(entry.properties).length > 0);
  type Failure = ClientError | { kind: string; message: string };
  const failed = new Map<string, Failure>();
  if (withProperties.length > 0) {
    const updated = await api.batchUpdate(
      withProperties.map(([id, entry]) => ({ id, properties: entry.properties })),
    );
    if (updated.isErr()) {
      const error = fromHubSpot(
        updated.error,
        `updating ${entity === 'customer' ? 'companies' : 'contacts'}`,
      );
      if (error.fatal) return err(error);
      for (const [id] of withProperties) failed.set(id, updated.error);
    } else {
      for (const [index, [id]] of withProperties.entries()) {
        const result = updated.value[index];
        if (result === undefined || result.isErr())
          failed.set(
            id,
            result?.error ?? { kind: 'unanswered', message: 'HubSpot did not answer for this record' },
          );
      }
    }
  }
  // Then the contacts whose Business NXT contact person moved to another customer: their primary company follows.
  const moves = entries.flatMap(([id, entry]) =>
    failed.has(id)
      ? []
      : entry.operations.flatMap((operation) =>
          operation.kind === 'update-crm' && operation.primaryCompany !== undefined
            ? [
                {
                  contactId: id,
                  companyId: operation.primaryCompany.crmId,
                  previousCompanyId: operation.primaryCompany.previousCrmId,
                },
              ]
            : [],
        ),
  );
  const moved = await movePrimaryCompanies(context, moves);
  if (moved.isErr()) return err(moved.error);
  await context.store.transaction(async () => {
    for (const [id, entry] of entries) {
      for (const operation of entry.operations) {
        const failure =
          failed.get(id) ??
          (operation.kind === 'update-crm' && operation.primaryCompany !== undefined
            ? moved.value.get(id)
            : undefined);
        if (failure !== undefined) {
          await failRecord(context, operation, 'hubspot', id, failure);
          continue;
        }
        if (operation.kind === 'update-crm')
          await context.store.mergeFingerprints(entity, operation.crmId, operation.fingerprints);
        bump(context.report.entities[entity].applied, operation.kind);
      }
    }
  });
  return ok(undefined);
}

/**
 * Moves contacts' primary company in HubSpot (associations v4, all in one call); when that fails, one by one, so a
 * bad record fails alone. Returns the contacts whose move failed, with why; only a fatal error stops the plan.
 */
async function movePrimaryCompanies(
  context: ApplyContext,
  moves: readonly PrimaryCompanyMove[],
): Promise<Result<Map<string, HubSpotError>, CycleError>> {
  const failed = new Map<string, HubSpotError>();
  if (moves.length === 0) return ok(failed);
  const all = await context.hubspot.associations.setPrimaryCompanies(moves);
  if (all.isOk()) return ok(failed);
  if (fromHubSpot(all.error, "moving contacts' primary company").fatal)
    return err(fromHubSpot(all.error, "moving contacts' primary company"));
  if (moves.length === 1) {
    failed.set(moves[0]?.contactId ?? '', all.error);
    return ok(failed);
  }
  for (const move of moves) {
    const one = await context.hubspot.associations.setPrimaryCompanies([move]);
    if (one.isOk()) continue;
    const error = fromHubSpot(one.error, "moving a contact's primary company");
    if (error.fatal) return err(error);
    failed.set(move.contactId, one.error);
  }
  return ok(failed);
}
