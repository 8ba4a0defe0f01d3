import { maskPersonalData } from '../../logging/mask.js';
import type { ConsoleRole } from '../../state/state-store.js';

export type { ConsoleRole };

export const consoleRoles: readonly ConsoleRole[] = ['viewer', 'operator'];

const rank: Readonly<Record<ConsoleRole, number>> = { viewer: 0, operator: 1 };

/** Whether a user of `role` may use what asks for `required`: an operator may do all a viewer may. */
export function roleAllows(role: ConsoleRole, required: ConsoleRole): boolean {
  return rank[role] >= rank[required];
}

/** Operators see personal data; viewers see it masked, as the CLI shows it without `--log-personal-data`. */
export function seesPersonalData(role: ConsoleRole): boolean {
  return role === 'operator';
}

/**
 * Text as a user of `role` may see it: unchanged for an operator; for a viewer, emails and phone numbers masked
 * (the whole value when `field` names an email or phone field), as `maskPersonalData` masks logs.
 */
export function shownTo(role: ConsoleRole, text: string, field = ''): string {
  return seesPersonalData(role) ? text : String(maskPersonalData(text, field));
}
