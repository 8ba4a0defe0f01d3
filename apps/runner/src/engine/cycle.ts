import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { HubSpotClient, HubSpotError, HubSpotObject } from '@port-service/hubspot';
import { type AssociateInput, type Entity, planSync, type SyncPlan } from '@port-service/mapping';
import { toDateTimeFilterValue } from '@port-service/visma-nxt';
import type { Result } from 'neverthrow';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import type { StateStore, StoredLink } from '../state/state-store.js';
import { type ApiUsage, emptyApiUsage, usageSince } from './api-usage.js';
import { type ApplyContext, applyPlan } from './apply-plan.js';
import { type CycleError, fromHubSpot, fromVisma } from './cycle-error.js';
import { takeCycleLock } from './cycle-lock.js';
import { resolvePendingIntents } from './intents.js';
import { companyProperties, contactProperties, toObjectInput } from './record-properties.js';
import { type CycleReport, flatCounts, newReport } from './report.js';
import {
  contactSliceFromAssociates,
  contactSliceFromContacts,
  contactSlicesOfCustomers,
  customerSliceFromAssociates,
  customerSliceFromCompanies,
  retrySlices,
  type Slice,
  type SliceDependencies,
  sweepSlice,
} from './slices.js';
import type { SyncClients } from './sync-clients.js';

export interface CycleOptions {
  /** Re-read everything (list endpoints) instead of changes since the watermarks. The first cycle is full. */
  readonly full: boolean;
  /** Plan and report, write nothing (no API writes, no state changes). */
  readonly dryRun: boolean;
  readonly only?: 'customers' | 'contacts' | undefined;
  /** Records per planning step (memory stays bounded by this). Default 3,200. */
  readonly chunkSize?: number | undefined;
  readonly onProgress?: ((progress: CycleProgress) => void) | undefined;
  /**
   * Only record links (first matches by ERP number, org number, email), write nothing else and leave the
   * watermarks: `crm-sync relink` after a lost state store. The next run then merges the linked pairs.
   */
  readonly linkOnly?: boolean | undefined;
  /** Every plan as it is made (for `crm-sync plan`). */
  readonly onPlan?: ((entity: Entity, plan: SyncPlan) => void) | undefined;
}

export interface CycleProgress {
  readonly entity: Entity;
  readonly side: 'hubspot' | 'visma-nxt' | 'links';
  /** Records read so far on this side. */
  readonly read: number;
  /** How many there are in all, when the API says (Business NXT's totalCount). */
  readonly total: number | null;
}

export interface CycleDependencies {
  readonly config: RunnerConfig;
  readonly store: StateStore;
  readonly clients: SyncClients;
  readonly usage: ApiUsage;
  readonly logger: Logger;
  readonly now?: (() => Date) | undefined;
}

// Business NXT's clock and ours may differ: incremental reads start this far before the watermark.
const erpOverlapMs = 2 * 60_000;
// HubSpot's search index lags writes: its reads look this far back (the client default, stated here for the docs).
const hubspotLookBackMs = 5 * 60_000;
const linkOnlyKinds = new Set(['link', 'relink', 'skip', 'candidates']);

const watermarkName = (entity: Entity, side: 'hubspot' | 'visma-nxt') => `${entity}.${side}`;

/**
 * One sync cycle (DESIGN §2): lock, settle interrupted creates, then for customers and then contacts: read
 * HubSpot's changes and plan them with their counterparts, read Business NXT's changes not planned yet and plan
 * those, apply each plan as it is made, and advance the watermarks once everything read was handled.
 */
export async function runCycle(dependencies: CycleDependencies, options: CycleOptions): Promise<CycleReport> {
  const { store, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const runId = randomUUID();
  const startedAt = now();
  const anyWatermark = await store.getWatermark(watermarkName('customer', 'hubspot'));
  const full = options.full || anyWatermark === null;
  const usageBefore = { ...dependencies.usage };
  const report = newReport(
    runId,
    full ? 'full' : 'incremental',
    options.dryRun,
    emptyApiUsage(),
    startedAt.toISOString(),
  );
  const holder = {
    id: `${hostname()}/${process.pid}/${runId}`,
    description: `crm-sync pid ${process.pid} on ${hostname()} since ${startedAt.toISOString()}`,
  };

  const lock = options.dryRun ? null : await takeCycleLock(store, holder, logger);
  if (lock !== null) {
    await store
      .startRun({ id: runId, startedAt: startedAt.toISOString(), mode: report.mode })
      .catch(async (error: unknown) => {
        await lock.release();
        throw error;
      });
  }
  try {
    const failure = await cycleBody(dependencies, options, report, full, now);
    if (failure !== null) {
      report.failure = failure.message;
      report.exitCode = 1;
      logger.error({ side: failure.side, kind: failure.kind }, failure.message);
    } else if (
      report.items.some(
        (item) =>
          item.outcome === 'failed' ||
          item.outcome === 'pending' ||
          (item.outcome === 'skipped' && item.reason === 'invalid-data'),
      )
    ) {
      report.exitCode = 3;
    }
  } catch (error) {
    report.failure = error instanceof Error ? error.message : String(error);
    report.exitCode = 1;
    logger.error({ err: error }, 'the cycle stopped on an unexpected error');
  } finally {
    const finishedAt = now();
    report.finishedAt = finishedAt.toISOString();
    report.durationMs = finishedAt.getTime() - startedAt.getTime();
    report.apiCalls = usageSince(usageBefore, dependencies.usage);
    report.peakRssBytes = process.resourceUsage().maxRSS * 1024;
    if (!options.dryRun) {
      await store.finishRun({
        id: runId,
        finishedAt: report.finishedAt,
        exitCode: report.exitCode,
        counts: flatCounts(report),
        apiCalls: { ...report.apiCalls },
      });
      await lock?.release();
    }
  }
  return report;
}

async function cycleBody(
  dependencies: CycleDependencies,
  options: CycleOptions,
  report: CycleReport,
  full: boolean,
  now: () => Date,
): Promise<CycleError | null> {
  const { store, clients, config } = dependencies;
  const sliceDependencies: SliceDependencies = { ...clients, store, policy: config.policy };
  if (options.dryRun) {
    report.intents.stillPending = (await store.pendingIntents()).length;
  } else {
    const intents = await resolvePendingIntents(
      { ...sliceDependencies, fingerprintKey: config.hashKey },
      report,
    );
    if (intents.isErr()) return intents.error;
  }
  const entities: Entity[] =
    options.only === 'customers'
      ? ['customer']
      : options.only === 'contacts'
        ? ['contact']
        : ['customer', 'contact'];
  const errors = await store.errors();
  const newCustomerLinks: ApplyContext['newCustomerLinks'] = [];
  for (const entity of entities) {
    const failure = await syncEntity(
      dependencies,
      sliceDependencies,
      options,
      report,
      entity,
      full,
      now,
      errors,
      newCustomerLinks,
    );
    if (failure !== null) return failure;
  }
  return null;
}

type ErrorRow = Awaited<ReturnType<StateStore['errors']>>[number];

async function syncEntity(
  dependencies: CycleDependencies,
  sliceDependencies: SliceDependencies,
  options: CycleOptions,
  report: CycleReport,
  entity: Entity,
  full: boolean,
  now: () => Date,
  errors: readonly ErrorRow[],
  newCustomerLinks: ApplyContext['newCustomerLinks'],
): Promise<CycleError | null> {
  const { store, clients, config, logger } = dependencies;
  const counts = report.entities[entity];
  // 3,200 = one Business NXT lookup request (32 operations × 100 values): fewer slices, fewer requests.
  const chunkSize = options.chunkSize ?? 3200;
  const isCustomer = entity === 'customer';
  const entityErrors = errors.filter((error) => error.entity === entity);
  const erroredKeys = new Set(entityErrors.map((error) => `${error.system}:${error.recordId}`));
  const applyContext: ApplyContext = {
    hubspot: clients.hubspot,
    visma: clients.visma,
    store,
    policy: config.policy,
    runId: report.runId,
    now,
    report,
    seenAssociateNos: new Set(),
    failedRecords: new Set(),
    newCustomerLinks,
    createdCrmIds: new Set(),
  };
  const seenCrmIds = new Set<string>();
  const seenErpNos = new Set<number>();

  const planAndApply = async (slice: Slice): Promise<CycleError | null> => {
    const planStart = performance.now();
    const plan = planSync({
      hubspot: { companies: slice.companies, contacts: slice.contacts },
      erp: {
        customers: slice.customers,
        contactPersons: slice.contactPersons,
        missingAssociateNos: slice.missingAssociateNos,
      },
      links: { customers: slice.customerLinks, contacts: slice.contactLinks },
      policy: config.policy,
      fingerprintKey: config.hashKey,
    });
    report.planning.ms += performance.now() - planStart;
    report.planning.records +=
      slice.companies.length + slice.contacts.length + slice.customers.length + slice.contactPersons.length;
    for (const [kind, count] of Object.entries(plan.counts)) {
      const key = kind as keyof typeof counts.planned;
      counts.planned[key] = (counts.planned[key] ?? 0) + (count ?? 0);
    }
    options.onPlan?.(entity, plan);
    const rows = isCustomer ? slice.customers : slice.contactPersons;
    for (const row of rows) applyContext.seenAssociateNos.add(row.associateNo);
    if (options.dryRun) return null;
    const applied = await applyPlan(
      applyContext,
      options.linkOnly
        ? { ...plan, operations: plan.operations.filter((operation) => linkOnlyKinds.has(operation.kind)) }
        : plan,
    );
    if (applied.isErr()) return applied.error;
    // Records that synced this time: their earlier errors are settled.
    const records = [
      ...(isCustomer ? slice.companies : slice.contacts).map((record) => `hubspot:${record.id}`),
      ...rows.map((row) => `visma-nxt:${row.associateNo}`),
    ];
    await store.transaction(async () => {
      for (const key of records) {
        if (!erroredKeys.has(key) || applyContext.failedRecords.has(key)) continue;
        const [system, recordId] = key.split(':') as [string, string];
        await store.clearErrors(entity, system, recordId);
        erroredKeys.delete(key);
      }
    });
    return null;
  };
  /** A chunk whose counterparts could not be read: its records are kept as errors and retried next cycle. */
  const sliceFailed = async (error: CycleError, system: 'hubspot' | 'visma-nxt', ids: readonly string[]) => {
    if (error.fatal) return error;
    logger.warn({ side: error.side, kind: error.kind, records: ids.length }, error.message);
    await store.transaction(async () => {
      for (const id of ids) {
        counts.failed += 1;
        applyContext.failedRecords.add(`${system}:${id}`);
        report.items.push({
          entity,
          outcome: 'failed',
          system,
          crmId: system === 'hubspot' ? id : null,
          associateNo: system === 'visma-nxt' ? Number(id) : null,
          reason: error.kind,
          message: error.message,
        });
        if (!options.dryRun)
          await store.recordError({
            entity,
            system,
            recordId: id,
            field: '*',
            rule: 'read-failed',
            message: error.message,
            seenAt: now().toISOString(),
          });
      }
    });
    return null;
  };

  const hubspotMark = await store.getWatermark(watermarkName(entity, 'hubspot'));
  const hubspotFull = full || hubspotMark === null;
  const erpMark = await store.getWatermark(watermarkName(entity, 'visma-nxt'));
  const erpFull = full || erpMark === null;

  // Contacts of customers linked in this cycle: they belong to a synced customer only now.
  if (!isCustomer && newCustomerLinks.length > 0 && !(hubspotFull && erpFull)) {
    const slices = await contactSlicesOfCustomers(sliceDependencies, newCustomerLinks, {
      hubspot: !hubspotFull,
      erp: !erpFull,
    });
    if (slices.isErr()) return slices.error;
    for (const slice of slices.value) {
      const failure = await planAndApply(slice);
      if (failure !== null) return failure;
      for (const record of slice.contacts) seenCrmIds.add(record.id);
    }
  }

  // Records whose last write or read failed are tried again first, whatever the watermarks say.
  const retry = entityErrors.filter((error) => error.rule === 'write-failed' || error.rule === 'read-failed');
  if (retry.length > 0) {
    const slices = await retrySlices(
      sliceDependencies,
      entity,
      [...new Set(retry.filter((error) => error.system === 'hubspot').map((error) => error.recordId))],
      [
        ...new Set(
          retry.filter((error) => error.system === 'visma-nxt').map((error) => Number(error.recordId)),
        ),
      ],
    );
    if (slices.isErr()) {
      if (slices.error.fatal) return slices.error;
      logger.warn({ side: slices.error.side }, `records to retry could not be read: ${slices.error.message}`);
    } else {
      for (const slice of slices.value) {
        const failure = await planAndApply(slice);
        if (failure !== null) return failure;
        for (const record of isCustomer ? slice.companies : slice.contacts) seenCrmIds.add(record.id);
      }
    }
  }

  // HubSpot's side: its changed (or, in a full cycle, all) records, with their counterparts.
  const hubspotReadStart = now();
  const api = isCustomer ? clients.hubspot.companies : clients.hubspot.contacts;
  const properties = isCustomer ? companyProperties(config.policy) : contactProperties(config.policy);
  const source = hubspotRecords(api, properties, hubspotFull ? null : Date.parse(hubspotMark ?? ''));
  let pending: HubSpotObject[] = [];
  let hubspotComplete = true;
  let inFlight: Promise<CycleError | null> = Promise.resolve(null);
  const flushHubSpot = async (): Promise<CycleError | null> => {
    if (pending.length === 0) return null;
    const records = pending.map(toObjectInput);
    pending = [];
    const slice = isCustomer
      ? await customerSliceFromCompanies(sliceDependencies, records)
      : await contactSliceFromContacts(sliceDependencies, records);
    if (slice.isErr()) {
      hubspotComplete = false;
      return sliceFailed(
        slice.error,
        'hubspot',
        records.map((record) => record.id),
      );
    }
    return planAndApply(slice.value);
  };
  for await (const page of source) {
    if (page.isErr()) return fromHubSpot(page.error, `reading ${isCustomer ? 'companies' : 'contacts'}`);
    for (const record of page.value) {
      counts.read.hubspot += 1;
      if (seenCrmIds.has(record.id)) continue;
      seenCrmIds.add(record.id);
      pending.push(record);
    }
    options.onProgress?.({ entity, side: 'hubspot', read: counts.read.hubspot, total: null });
    if (pending.length >= chunkSize) {
      // Reading goes on while a slice is applied; one slice at a time, so slices never race each other.
      const failure = await inFlight;
      if (failure !== null) return failure;
      inFlight = flushHubSpot();
    }
  }
  const hubspotFailure = (await inFlight) ?? (await flushHubSpot());
  if (hubspotFailure !== null) return hubspotFailure;

  // Business NXT's side: changed (or all) rows not planned above, with their HubSpot counterparts.
  const erpReadStart = now();
  const erpApi = isCustomer ? clients.visma.customers : clients.visma.contactPersons;
  const erpPages = erpApi.pages(
    erpFull ? {} : { changedSince: toDateTimeFilterValue(Date.parse(erpMark ?? '') - erpOverlapMs) },
  );
  let rows: AssociateInput[] = [];
  let readRows = 0;
  let erpInFlight: Promise<CycleError | null> = Promise.resolve(null);
  const flushErp = async (): Promise<CycleError | null> => {
    if (rows.length === 0) return null;
    const chunk = rows;
    rows = [];
    // After a complete full read of HubSpot, every HubSpot record already looked up its match here.
    const lookUp = !(hubspotFull && hubspotComplete);
    const slice = isCustomer
      ? await customerSliceFromAssociates(sliceDependencies, chunk, lookUp)
      : await contactSliceFromAssociates(sliceDependencies, chunk, lookUp);
    if (slice.isErr())
      return sliceFailed(
        slice.error,
        'visma-nxt',
        chunk.map((row) => String(row.associateNo)),
      );
    for (const record of isCustomer ? slice.value.companies : slice.value.contacts) seenCrmIds.add(record.id);
    return planAndApply(slice.value);
  };
  for await (const page of erpPages) {
    if (page.isErr()) return fromVisma(page.error, `reading ${isCustomer ? 'customers' : 'contact persons'}`);
    for (const row of page.value.items) {
      readRows += 1;
      seenErpNos.add(row.associateNo);
      if (applyContext.seenAssociateNos.has(row.associateNo)) continue;
      rows.push(row);
    }
    counts.read.vismaNxt = readRows;
    options.onProgress?.({ entity, side: 'visma-nxt', read: readRows, total: page.value.totalCount });
    if (rows.length >= chunkSize) {
      const failure = await erpInFlight;
      if (failure !== null) return failure;
      erpInFlight = flushErp();
    }
  }
  const erpFailure = (await erpInFlight) ?? (await flushErp());
  if (erpFailure !== null) return erpFailure;

  // A full read saw every live record: links whose records one side did not return are checked directly.
  if (hubspotFull && erpFull) {
    // Records this cycle created exist on both sides by construction.
    for (const id of applyContext.createdCrmIds) seenCrmIds.add(id);
    for (const no of applyContext.seenAssociateNos) seenErpNos.add(no);
    const failure = await sweepLinks(
      dependencies,
      sliceDependencies,
      entity,
      seenCrmIds,
      seenErpNos,
      planAndApply,
      chunkSize,
      options,
    );
    if (failure !== null) return failure;
  }

  if (!options.dryRun && !options.linkOnly) {
    await store.setWatermark(watermarkName(entity, 'hubspot'), hubspotReadStart.toISOString());
    await store.setWatermark(watermarkName(entity, 'visma-nxt'), erpReadStart.toISOString());
  }
  return null;
}

/** HubSpot records page by page: all of them (list endpoint), or those changed since a watermark (search). */
async function* hubspotRecords(
  api: HubSpotClient['companies'] | HubSpotClient['contacts'],
  properties: readonly string[],
  since: number | null,
): AsyncGenerator<Result<readonly HubSpotObject[], HubSpotError>> {
  if (since !== null) {
    yield* api.changedSince({ since, lookBackMs: hubspotLookBackMs, properties });
    return;
  }
  for await (const page of api.pages({ properties })) yield page.map((value) => value.results);
}

async function sweepLinks(
  dependencies: CycleDependencies,
  sliceDependencies: SliceDependencies,
  entity: Entity,
  seenCrmIds: ReadonlySet<string>,
  seenErpNos: ReadonlySet<number>,
  planAndApply: (slice: Slice) => Promise<CycleError | null>,
  chunkSize: number,
  options: CycleOptions,
): Promise<CycleError | null> {
  const { store } = dependencies;
  let after: string | null = null;
  let unseen: StoredLink[] = [];
  let checked = 0;
  const flush = async (): Promise<CycleError | null> => {
    if (unseen.length === 0) return null;
    const slice = await sweepSlice(sliceDependencies, entity, unseen);
    unseen = [];
    if (slice.isErr()) return slice.error.fatal ? slice.error : null;
    return planAndApply(slice.value);
  };
  for (;;) {
    const links = await store.allLinks(entity, after, 1000);
    if (links.length === 0) break;
    after = links[links.length - 1]?.crmId ?? null;
    for (const link of links) {
      checked += 1;
      if (link.status !== 'active') continue;
      if (seenCrmIds.has(link.crmId) && seenErpNos.has(link.associateNo)) continue;
      unseen.push(link);
    }
    options.onProgress?.({ entity, side: 'links', read: checked, total: null });
    if (unseen.length >= chunkSize) {
      const failure = await flush();
      if (failure !== null) return failure;
    }
  }
  return flush();
}
