import type { ConsoleRole } from './roles.js';
import type { SingleSignOnSettings } from './single-sign-on-settings.js';

/** What a signed-in provider user is known by in sessions and the audit log: never a local account's name. */
export const singleSignOnPrefix = 'oidc:';

export type SingleSignOnIdentity =
  | { readonly granted: true; readonly userName: string; readonly role: ConsoleRole }
  | { readonly granted: false; readonly userName: string; readonly reason: string };

const longestName = 256;

/**
 * Who the ID token names: `oidc:` and its `email`, else `preferred_username` (Entra ID's sign-in name), else `sub`.
 * Local account names cannot hold a colon (auth/account-rules.ts), so the two kinds never collide. The name is for
 * people and the audit log only; the role comes from the role claim, never from the name
 * (https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference).
 */
export function singleSignOnUserName(claims: Readonly<Record<string, unknown>>): string {
  const named = ['email', 'preferred_username', 'sub']
    .map((claim) => claims[claim])
    .find((value): value is string => typeof value === 'string' && value.trim() !== '');
  const name = (named ?? 'unknown').trim();
  return `${singleSignOnPrefix}${name.includes('@') ? name.toLowerCase() : name}`.slice(0, longestName);
}

/** The role claim's values: an array of strings, or one string; anything else counts as none. */
function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function refusalReason(claims: Readonly<Record<string, unknown>>, settings: SingleSignOnSettings): string {
  const claim = settings.roleClaim;
  const granting = `${settings.operatorValues.join(', ')} (operator) or ${settings.viewerValues.join(', ')} (viewer)`;
  // Entra ID leaves the groups out of the token for members of more than 200, and names them in _claim_names
  // (https://learn.microsoft.com/en-us/azure/active-directory/hybrid/how-to-connect-fed-group-claims).
  const overage = claims._claim_names;
  if (claims[claim] === undefined && typeof overage === 'object' && overage !== null && claim in overage)
    return `The provider left the "${claim}" claim out of the sign-in (too many values to fit); this console cannot look them up. Grant the role with an app role (the "roles" claim) instead.`;
  const values = claimValues(claims[claim]);
  if (values.length === 0)
    return `The sign-in carries no "${claim}" claim. This console lets in users whose "${claim}" holds ${granting}: ask an administrator to assign you one.`;
  return `The sign-in's "${claim}" claim holds none of ${granting}. Ask an administrator to assign you one.`;
}

/**
 * The console role an ID token's claims grant: operator when the role claim holds one of the operator values,
 * else viewer for one of the viewer values, else none (refused, with the reason). Values compare exactly.
 * Entra ID's app roles arrive in the `roles` claim (https://learn.microsoft.com/en-us/entra/identity-platform/howto-add-app-roles-in-apps).
 */
export function singleSignOnIdentity(
  claims: Readonly<Record<string, unknown>>,
  settings: SingleSignOnSettings,
): SingleSignOnIdentity {
  const userName = singleSignOnUserName(claims);
  const values = claimValues(claims[settings.roleClaim]);
  if (values.some((value) => settings.operatorValues.includes(value)))
    return { granted: true, userName, role: 'operator' };
  if (values.some((value) => settings.viewerValues.includes(value)))
    return { granted: true, userName, role: 'viewer' };
  return { granted: false, userName, reason: refusalReason(claims, settings) };
}
