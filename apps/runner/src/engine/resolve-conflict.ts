import { hostname } from 'node:os';
import { mergedObjectIds } from '@port-service/hubspot';
import {
  type Entity,
  planSync,
  recordFingerprintField,
  type SyncOperation,
  type SyncPlan,
  type SyncPolicy,
} from '@port-service/mapping';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import { maskEmails, maskPhones } from '../logging/mask.js';
import type { Conflict, StateStore, StoredLink } from '../state/state-store.js';
import type { ApiUsage } from './api-usage.js';
import { applyPlan } from './apply-plan.js';
import type { CycleError } from './cycle-error.js';
import { takeCycleLock } from './cycle-lock.js';
import { createHubSpotKeys } from './hubspot-keys.js';
import { type CycleReport, newReport } from './report.js';
import { sweepSlice } from './slices.js';
import type { SyncClients } from './sync-clients.js';

/** The policy with one field's conflict rule replaced by the side a person chose. */
function choosing(policy: SyncPolicy, conflict: Conflict, take: 'crm' | 'erp'): SyncPolicy {
  const chosen = take === 'crm' ? 'crm-wins' : 'erp-wins';
  if (conflict.entity === 'customer') {
    const fields = policy.customers.fields as Record<string, SyncPolicy['customers']['fields']['name']>;
    const rule = fields[conflict.field];
    if (rule === undefined) return policy;
    return {
      ...policy,
      customers: {
        ...policy.customers,
        fields: { ...policy.customers.fields, [conflict.field]: { ...rule, policy: chosen } },
      },
    };
  }
  const fields = policy.contacts.fields as Record<string, SyncPolicy['contacts']['fields']['name']>;
  const rule = fields[conflict.field];
  if (rule === undefined) return policy;
  return {
    ...policy,
    contacts: {
      ...policy.contacts,
      fields: { ...policy.contacts.fields, [conflict.field]: { ...rule, policy: chosen } },
    },
  };
}

type Resolution = { ok: true; report: CycleReport } | { ok: false; error: CycleError | string };

/** How a person settles a conflict: a field by the side whose value wins, a HubSpot merge by the link to keep. */
export type ConflictChoice = { readonly take: 'crm' | 'erp' } | { readonly link: number };

interface Dependencies {
  readonly config: RunnerConfig;
  readonly store: StateStore;
  readonly clients: SyncClients;
  readonly usage: ApiUsage;
}

/** What resolving will do, said before anything is written. */
export interface ResolutionPreview {
  /** One line per system (what is written where, or "nothing"), and what happens to the conflict and the link. */
  readonly lines: readonly string[];
  /** The same effect, compared again under the lock: a pair that changed meanwhile is not written blindly. */
  readonly key: string;
  /** Why it cannot be resolved this way (and what to do instead); nothing is written then. */
  readonly refusal?: string | undefined;
}

type Prepared = ResolutionPreview & { readonly apply?: () => Promise<Resolution> };

/** A merge of HubSpot records that were linked to different Business NXT records (follow-merges.ts). */
export function isMergeConflict(conflict: Pick<Conflict, 'field' | 'reason'>): boolean {
  return conflict.field === 'link' || conflict.reason.includes('merge');
}

const names = (entity: Entity) =>
  entity === 'customer'
    ? { crm: 'HubSpot company', erp: 'Business NXT customer' }
    : { crm: 'HubSpot contact', erp: 'Business NXT contact person' };

function shown(value: string | null, reveal: boolean): string {
  if (value === null || value === '') return '∅';
  return reveal ? value : maskPhones(maskEmails(value));
}

/**
 * `crm-sync conflicts resolve <id> … --dry-run`: reads both records as they are now and says what resolving would
 * write on which system (values masked unless `reveal`), without the lock and without writing.
 */
export async function previewResolution(
  dependencies: Dependencies,
  conflict: Conflict,
  choice: ConflictChoice,
  reveal: boolean,
): Promise<{ ok: true; preview: ResolutionPreview } | { ok: false; error: CycleError | string }> {
  const prepared = await prepare(dependencies, conflict, choice, reveal);
  if (!prepared.ok) return prepared;
  const { lines, key, refusal } = prepared.value;
  return { ok: true, preview: { lines, key, ...(refusal === undefined ? {} : { refusal }) } };
}

/**
 * `crm-sync conflicts resolve <id> --take crm|erp` (or `--link <associateNo>` for a HubSpot merge): under the
 * cycle lock (throws `LockHeldError` naming the holder while a cycle runs), reads the pair as it is now and
 * settles the conflict. A field: the pair is planned with the chosen side winning that field (whichever side
 * changed since the last sync), the other fields following their usual policies, and the plan is applied. A merge:
 * the chosen link moves to the surviving record, the others are marked orphaned; nothing is written to either
 * system. With `expectedKey` (a preview's), nothing is written if the effect is no longer the one previewed.
 */
export async function resolveConflict(
  dependencies: Dependencies & { logger: Logger },
  conflict: Conflict,
  choice: ConflictChoice,
  expectedKey?: string,
): Promise<Resolution> {
  const startedAt = new Date().toISOString();
  const lock = await takeCycleLock(
    dependencies.store,
    {
      id: `${hostname()}/${process.pid}/resolve-${conflict.id}`,
      description: `crm-sync conflicts resolve ${conflict.id}, pid ${process.pid} on ${hostname()} since ${startedAt}`,
    },
    dependencies.logger,
  );
  try {
    // A cycle that ran before the lock was ours may have settled it.
    const open = await dependencies.store.conflicts('open');
    if (!open.some((candidate) => candidate.id === conflict.id))
      return { ok: false, error: `conflict ${conflict.id} is no longer open` };
    const prepared = await prepare(dependencies, conflict, choice, true);
    if (!prepared.ok) return prepared;
    if (prepared.value.refusal !== undefined) return { ok: false, error: prepared.value.refusal };
    if (expectedKey !== undefined && prepared.value.key !== expectedKey)
      return {
        ok: false,
        error:
          'the records changed since the preview, so nothing was written; run the command again to see what it would do now',
      };
    if (prepared.value.apply === undefined) return { ok: false, error: 'nothing to resolve' };
    return await prepared.value.apply();
  } finally {
    await lock.release();
  }
}

async function prepare(
  dependencies: Dependencies,
  conflict: Conflict,
  choice: ConflictChoice,
  reveal: boolean,
): Promise<{ ok: true; value: Prepared } | { ok: false; error: CycleError | string }> {
  if (isMergeConflict(conflict)) return prepareMerge(dependencies, conflict, choice);
  if (!('take' in choice))
    return {
      ok: false,
      error: `conflict ${conflict.id} is about the field ${conflict.field}: choose its value with --take crm (HubSpot's) or --take erp (Business NXT's); --link is for HubSpot merges`,
    };
  return prepareField(dependencies, conflict, choice.take, reveal);
}

/** The link with the conflict's field (and the record print) forgotten: the chosen side then wins it for sure. */
function forgetting(link: StoredLink, field: string): StoredLink {
  const fingerprints = { ...link.fingerprints };
  delete fingerprints[field];
  delete fingerprints[recordFingerprintField];
  return { ...link, fingerprints };
}

/** What a plan writes on each system, in words, and the key of those writes. */
function describePlan(
  conflict: Conflict,
  plan: SyncPlan,
  reveal: boolean,
): { lines: string[]; key: string; refusal?: string } {
  const label = names(conflict.entity);
  const erp: string[] = [];
  const crm: string[] = [];
  const notes: string[] = [];
  const writes: SyncOperation[] = [];
  let refusal: string | undefined;
  for (const operation of plan.operations) {
    switch (operation.kind) {
      case 'update-erp':
        writes.push(operation);
        for (const change of operation.changes)
          erp.push(`${change.field}: ${shown(change.before, reveal)} → ${shown(change.after, reveal)}`);
        break;
      case 'update-crm':
        writes.push(operation);
        for (const change of operation.changes)
          crm.push(`${change.field}: ${shown(change.before, reveal)} → ${shown(change.after, reveal)}`);
        break;
      case 'write-back':
        writes.push(operation);
        for (const [name, value] of Object.entries(operation.properties)) crm.push(`${name}: → ${value}`);
        break;
      case 'conflict':
        notes.push(`${operation.field} stays in conflict (its policy is manual; resolve it on its own)`);
        break;
      case 'skip':
        refusal = `cannot resolve now: ${operation.message} (${operation.system} ${operation.recordId})`;
        break;
      case 'orphan':
        refusal = `cannot resolve: the ${conflict.entity} is ${operation.reason.replaceAll('-', ' ')}; the next cycle marks its link orphaned`;
        break;
      default:
        break;
    }
  }
  const lines = [
    `${label.erp} ${conflict.associateNo}: ${erp.length > 0 ? erp.join('; ') : 'nothing'}`,
    `${label.crm} ${conflict.crmId}: ${crm.length > 0 ? crm.join('; ') : 'nothing'}`,
    ...notes,
  ];
  if (erp.length === 0 && crm.length === 0)
    lines.push(`Both systems agree on ${conflict.field} now: nothing to write.`);
  lines.push(`Then conflict ${conflict.id} is closed; the link stays as it is.`);
  const key = JSON.stringify(
    writes.map((operation) =>
      operation.kind === 'write-back'
        ? [operation.kind, operation.properties]
        : operation.kind === 'update-erp' || operation.kind === 'update-crm'
          ? [operation.kind, operation.changes]
          : [operation.kind],
    ),
  );
  return refusal === undefined ? { lines, key } : { lines, key, refusal };
}

async function prepareField(
  dependencies: Dependencies,
  conflict: Conflict,
  take: 'crm' | 'erp',
  reveal: boolean,
): Promise<{ ok: true; value: Prepared } | { ok: false; error: CycleError | string }> {
  const { config, store, clients } = dependencies;
  const [link] = await store.linksByCrmIds(conflict.entity, [conflict.crmId]);
  if (link === undefined || link.status !== 'active')
    return {
      ok: false,
      error: `the ${conflict.entity} link for HubSpot ${conflict.crmId} is gone or orphaned`,
    };
  const policy = choosing(config.policy, conflict, take);
  // The person's choice decides the field whichever side changed since the last sync.
  const slice = await sweepSlice({ ...clients, store, policy }, conflict.entity, [
    forgetting(link, conflict.field),
  ]);
  if (slice.isErr()) return { ok: false, error: slice.error };
  const plan = planSync({
    hubspot: { companies: slice.value.companies, contacts: slice.value.contacts },
    erp: {
      customers: slice.value.customers,
      contactPersons: slice.value.contactPersons,
      missingAssociateNos: slice.value.missingAssociateNos,
    },
    links: { customers: slice.value.customerLinks, contacts: slice.value.contactLinks },
    policy,
    fingerprintKey: config.hashKey,
    erpTimeZone: config.visma.timeZone,
  });
  const described = describePlan(conflict, plan, reveal);
  return {
    ok: true,
    value: { ...described, apply: () => applyResolution(dependencies, conflict, take, policy, plan) },
  };
}

async function applyResolution(
  dependencies: Dependencies,
  conflict: Conflict,
  take: 'crm' | 'erp',
  policy: SyncPolicy,
  plan: SyncPlan,
): Promise<Resolution> {
  const { store, clients } = dependencies;
  const report = newReport(
    `resolve-${conflict.id}`,
    'incremental',
    false,
    dependencies.usage,
    new Date().toISOString(),
  );
  const applied = await applyPlan(
    {
      ...clients,
      store,
      policy,
      runId: report.runId,
      now: () => new Date(),
      report,
      seenAssociateNos: new Set(),
      failedRecords: new Set(),
      createdCrmIds: new Set(),
      known: createHubSpotKeys(conflict.entity, policy),
    },
    plan,
  );
  if (applied.isErr()) return { ok: false, error: applied.error };
  if (report.entities[conflict.entity].failed > 0)
    return { ok: false, error: report.items.map((item) => item.message).join('; ') };
  await store.resolveConflict(conflict.id, take);
  return { ok: true, report };
}

/**
 * A HubSpot merge joined records linked to different Business NXT records: the survivor can stand for one of
 * them. `--link <associateNo>` keeps that link (moved to the survivor) and marks the others orphaned: their
 * Business NXT records stay, are no longer synced, and are never created in HubSpot again (like the counterpart of
 * an archived record). Nothing is written to either system here; the next cycle syncs the survivor with the kept
 * record field by field (and writes its actor number to the survivor when it differs).
 */
async function prepareMerge(
  dependencies: Dependencies,
  conflict: Conflict,
  choice: ConflictChoice,
): Promise<{ ok: true; value: Prepared } | { ok: false; error: CycleError | string }> {
  const { store, clients, config } = dependencies;
  const { entity } = conflict;
  const label = names(entity);
  const api = entity === 'customer' ? clients.hubspot.companies : clients.hubspot.contacts;
  const actorProperty = config.policy.hubspotProperties.erpActorNo;
  const read = await api.batchRead([conflict.crmId], { properties: ['hs_merged_object_ids', actorProperty] });
  if (read.isErr())
    return { ok: false, error: `could not read HubSpot ${conflict.crmId}: ${read.error.message}` };
  const survivor = read.value.get(conflict.crmId);
  if (survivor === undefined || survivor.isErr() || survivor.value.id !== conflict.crmId)
    return {
      ok: false,
      error: `${label.crm} ${conflict.crmId} is no longer there (archived, or merged again); run a cycle, which settles its links, then see \`crm-sync conflicts list\``,
    };
  const mergedAway = mergedObjectIds(survivor.value).filter((id) => id !== conflict.crmId);
  const links = (await store.linksByCrmIds(entity, [conflict.crmId, ...mergedAway])).filter(
    (link) => link.status === 'active',
  );
  const targets = [...new Set(links.map((link) => link.associateNo))].sort((a, b) => a - b);
  const own = links.find((link) => link.crmId === conflict.crmId);
  const merged = `${label.crm} ${conflict.crmId} (merged from ${mergedAway.join(', ') || 'records no longer listed'})`;
  const linkOf = (link: StoredLink) => `${label.erp} ${link.associateNo} (linked to HubSpot ${link.crmId})`;
  const settledLines = [
    `${merged} is linked to ${targets.length === 1 ? `${label.erp} ${targets[0]}` : 'no Business NXT record'} only now.`,
    'Nothing is written to HubSpot or Business NXT; the next cycle moves the link to the surviving record.',
    `Then conflict ${conflict.id} is closed.`,
  ];
  if (targets.length <= 1)
    return {
      ok: true,
      value: {
        lines: settledLines,
        key: JSON.stringify(['settled', targets]),
        apply: async () => {
          await store.resolveConflict(conflict.id, 'link');
          return { ok: true, report: emptyReport(dependencies, conflict) };
        },
      },
    };
  const choices = targets.map((no) => `--link ${no}`).join(' or ');
  const described = [
    `${merged} stands for ${targets.length} Business NXT records: ${links.map(linkOf).join(', ')}.`,
    `Choose the one it is with ${choices}: that link moves to ${conflict.crmId}; the other links are marked orphaned, their Business NXT records stay there unsynced and are never created in HubSpot again (merge them in Business NXT too if they are the same ${entity}).`,
  ];
  if (!('link' in choice))
    return {
      ok: true,
      value: {
        lines: described,
        key: '',
        refusal: `conflict ${conflict.id} is a HubSpot merge, not a field: --take does not apply; choose the Business NXT record with ${choices}`,
      },
    };
  const chosen = choice.link;
  if (!targets.includes(chosen))
    return {
      ok: true,
      value: { lines: described, key: '', refusal: `${chosen} is not one of them; choose ${choices}` },
    };
  if (own !== undefined && own.associateNo !== chosen)
    return {
      ok: true,
      value: {
        lines: described,
        key: '',
        refusal: `${label.crm} ${conflict.crmId} has its own link to ${label.erp} ${own.associateNo}, which resolve cannot move; choose --link ${own.associateNo}, or set ${actorProperty} on another HubSpot record for ${chosen} after the merge is settled`,
      },
    };
  const kept = own ?? links.find((link) => link.associateNo === chosen);
  if (kept === undefined) return { ok: false, error: `no link to ${chosen}` };
  const dropped = links.filter((link) => link.associateNo !== chosen);
  const actorNow = survivor.value.properties[actorProperty] ?? '';
  const lines = [
    `Link: ${label.crm} ${conflict.crmId} ↔ ${label.erp} ${chosen}${kept.crmId === conflict.crmId ? ' (its own link, kept)' : ` (the link of merged-away ${kept.crmId} moves to ${conflict.crmId})`}.`,
    ...dropped.map(
      (link) =>
        `Orphaned: ${linkOf(link)}; it stays in Business NXT, is no longer synced and is not created in HubSpot again (\`crm-sync status\` lists it as archived in HubSpot).`,
    ),
    'HubSpot now: nothing; Business NXT now: nothing.',
    `The next cycle syncs ${conflict.crmId} with ${chosen} field by field${actorNow === String(chosen) ? '' : ` and writes ${actorProperty} = ${chosen} to it`}.`,
    `Then conflict ${conflict.id} is closed.`,
  ];
  return {
    ok: true,
    value: {
      lines,
      key: JSON.stringify([chosen, links.map((link) => [link.crmId, link.associateNo])]),
      apply: async () => {
        await store.transaction(async () => {
          if (kept.crmId !== conflict.crmId) await store.moveLink(entity, kept.crmId, conflict.crmId);
          // As for an archived HubSpot record: the Business NXT record is kept out of matching and creating.
          for (const link of dropped) await store.markOrphaned(entity, link, 'archived-in-hubspot');
          await store.resolveConflict(conflict.id, 'link');
        });
        return { ok: true, report: emptyReport(dependencies, conflict) };
      },
    },
  };
}

function emptyReport(dependencies: Dependencies, conflict: Conflict): CycleReport {
  return newReport(
    `resolve-${conflict.id}`,
    'incremental',
    false,
    dependencies.usage,
    new Date().toISOString(),
  );
}
