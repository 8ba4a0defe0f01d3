import type { AccountDetails, HubSpotError } from '@port-service/hubspot';
import type { VismaNxtError } from '@port-service/visma-nxt';
import { err, ok, type Result } from 'neverthrow';
import type { RunnerConfig } from '../config/config.js';
import type { StateBinding, StateStore } from '../state/state-store.js';
import type { SyncClients } from './sync-clients.js';

/** The HubSpot account and Business NXT company the configuration points at. */
export interface SystemIdentity {
  readonly hubspotPortalId: number;
  readonly vismaCompanyNo: number;
}

export type BindingOutcome = {
  readonly current: SystemIdentity;
  readonly account: AccountDetails;
} & (
  | { readonly kind: 'matches'; readonly binding: StateBinding }
  | { readonly kind: 'recorded'; readonly binding: StateBinding }
  /** Not bound yet, and the command writes nothing: the first one that writes records `current`. */
  | { readonly kind: 'unbound' }
);

export type BindingError =
  /** The state belongs to another account or company: a configuration error (exit 2). */
  | {
      readonly kind: 'mismatch';
      readonly message: string;
      readonly binding: StateBinding;
      readonly current: SystemIdentity;
    }
  | { readonly kind: 'hubspot'; readonly message: string; readonly error: HubSpotError }
  /** The configured Business NXT company is not one this application may use: a configuration error (exit 2). */
  | { readonly kind: 'company'; readonly message: string }
  | { readonly kind: 'visma-nxt'; readonly message: string; readonly error: VismaNxtError };

const describe = (identity: SystemIdentity) =>
  `HubSpot portal ${identity.hubspotPortalId} and Business NXT company ${identity.vismaCompanyNo}`;

/**
 * Whether the state store belongs to the HubSpot account (its portal id, read from HubSpot) and the Business NXT
 * company (from the configuration) the configuration points at. A state not bound yet is bound here when the
 * command writes (`record`); a state bound to another account or company is refused. Reads HubSpot once, and
 * must come before anything else reads or writes either system.
 */
export async function checkBinding(
  dependencies: {
    readonly clients: SyncClients;
    readonly config: RunnerConfig;
    readonly store: StateStore;
    readonly now?: (() => Date) | undefined;
  },
  options: { readonly record: boolean },
): Promise<Result<BindingOutcome, BindingError>> {
  const { clients, config, store } = dependencies;
  const account = await clients.hubspot.account.details();
  if (account.isErr())
    return err({
      kind: 'hubspot',
      message: `could not read which HubSpot account the token belongs to (to check the state is this account's): ${account.error.message}`,
      error: account.error,
    });
  const current = { hubspotPortalId: account.value.portalId, vismaCompanyNo: config.visma.companyNo };
  let binding = await store.binding();
  let kind: 'matches' | 'recorded' = 'matches';
  if (binding === null) {
    if (!options.record) return ok({ kind: 'unbound', current, account: account.value });
    // Bound only to a company this application can use: a mistyped number must not become the state's company.
    const available = await companyAvailable(clients, current.vismaCompanyNo);
    if (available !== null) return err(available);
    const boundAt = (dependencies.now ?? (() => new Date()))().toISOString();
    const recorded = await store.bind({ ...current, boundAt });
    // Another first run may have recorded its binding in between: then that one is compared below.
    kind = recorded.boundAt === boundAt ? 'recorded' : 'matches';
    binding = recorded;
  }
  if (
    binding.hubspotPortalId !== current.hubspotPortalId ||
    binding.vismaCompanyNo !== current.vismaCompanyNo
  )
    return err({
      kind: 'mismatch',
      message: `the state ${config.statePath} belongs to ${describe(binding)} (since ${binding.boundAt}); the configuration points at ${describe(current)}: refusing to sync them with it. Point CRM_SYNC_STATE at the state of this account and company, or at a new state directory to start one for them (its first run links the existing records again by ERP numbers, organization numbers and emails)`,
      binding,
      current,
    });
  return ok({ kind, binding, current, account: account.value });
}

async function companyAvailable(clients: SyncClients, companyNo: number): Promise<BindingError | null> {
  const companies = await clients.visma.availableCompanies();
  if (companies.isErr())
    return {
      kind: 'visma-nxt',
      message: `could not list the Business NXT companies this application may use (to check VISMA_COMPANY_NO): ${companies.error.message}`,
      error: companies.error,
    };
  if (companies.value.some((company) => company.vismaNetCompanyId === companyNo)) return null;
  const names = companies.value.map((company) => `${company.vismaNetCompanyId} (${company.name})`);
  return {
    kind: 'company',
    message: `Business NXT company ${companyNo} (VISMA_COMPANY_NO) is not available to this application; it may use ${names.length === 0 ? 'no company yet: grant it one in Visma Developer Portal' : names.join(', ')}`,
  };
}

/** What a person reads about the binding, or `null` when there is nothing to say (it matches). */
export function describeBinding(outcome: BindingOutcome): string | null {
  if (outcome.kind === 'recorded') return `Bound this state to ${describe(outcome.current)}.`;
  if (outcome.kind === 'unbound')
    return `This state is not bound yet: the first run records ${describe(outcome.current)}.`;
  return null;
}
