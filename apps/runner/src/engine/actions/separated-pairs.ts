import type { Entity, PlanInput } from '@port-service/mapping';
import type { StateStore } from '../../state/state-store.js';

/**
 * The pairs an operator kept apart (`crm-sync candidates separate`), as the planner of one entity takes them: they
 * are never matched with each other or reported as each other's candidates again.
 */
export async function separatedPairsFor(
  store: Pick<StateStore, 'separatedPairs'>,
  entity: Entity,
): Promise<NonNullable<PlanInput['separated']>> {
  const pairs = (await store.separatedPairs(entity)).map(({ crmId, associateNo }) => ({
    crmId,
    associateNo,
  }));
  if (pairs.length === 0) return {};
  return entity === 'customer' ? { customers: pairs } : { contacts: pairs };
}
