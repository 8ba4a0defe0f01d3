import { cityKey } from '../normalize/postal.js';

/** What "the same value" means for a field: cities compare without case ("LARVIK" ≡ "Larvik"), the rest exactly. */
export function compareKey(field: string, value: string | null): string | null {
  if (value === null) return null;
  return field === 'city' ? cityKey(value) : value;
}
