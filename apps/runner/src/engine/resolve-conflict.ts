import { hostname } from 'node:os';
import { planSync, type SyncPolicy } from '@port-service/mapping';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/config.js';
import type { Conflict, StateStore } from '../state/state-store.js';
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

/**
 * `crm-sync conflicts resolve <id> --take crm|erp`: under the cycle lock (throws `LockHeldError` naming the
 * holder while a cycle runs), reads the pair as it is now, plans it with the chosen side winning that field,
 * applies the plan (the other fields follow their usual policies) and closes the conflict.
 */
export async function resolveConflict(
  dependencies: {
    config: RunnerConfig;
    store: StateStore;
    clients: SyncClients;
    usage: ApiUsage;
    logger: Logger;
  },
  conflict: Conflict,
  take: 'crm' | 'erp',
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
    return await resolveUnderLock(dependencies, conflict, take);
  } finally {
    await lock.release();
  }
}

async function resolveUnderLock(
  dependencies: { config: RunnerConfig; store: StateStore; clients: SyncClients; usage: ApiUsage },
  conflict: Conflict,
  take: 'crm' | 'erp',
): Promise<Resolution> {
  const { config, store, clients } = dependencies;
  const [link] = await store.linksByCrmIds(conflict.entity, [conflict.crmId]);
  if (link === undefined || link.status !== 'active')
    return {
      ok: false,
      error: `the ${conflict.entity} link for HubSpot ${conflict.crmId} is gone or orphaned`,
    };
  const policy = choosing(config.policy, conflict, take);
  const slice = await sweepSlice({ ...clients, store, policy }, conflict.entity, [link]);
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
  });
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
      newCustomerLinks: [],
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
