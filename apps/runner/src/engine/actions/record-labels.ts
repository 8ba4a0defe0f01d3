import type { Entity } from '@port-service/mapping';

/** How a record is named to a person: `HubSpot company`, `Business NXT contact person`, … */
export function recordLabel(entity: Entity, system: 'hubspot' | 'visma-nxt'): string {
  if (system === 'hubspot') return entity === 'customer' ? 'HubSpot company' : 'HubSpot contact';
  return entity === 'customer' ? 'Business NXT customer' : 'Business NXT contact person';
}
