/**
 * What a console account's name and password must be. Names are kept lowercase, so `Alice` and `alice` are one
 * account. Passwords have at least 12 characters, counted as Unicode code points: the console's rule. NIST SP
 * 800-63B rev. 4 (§3.1.1.2, https://pages.nist.gov/800-63-4/sp800-63b.html) asks for at least 15 where the password
 * is the only factor, as it is here until single sign-on comes: raise `shortest` to follow it.
 */
export const passwordRules = { shortest: 12, longest: 1024 } as const;

const namePattern = /^[a-z0-9][a-z0-9._@-]{0,63}$/u;

/** The name as accounts are keyed: trimmed, lowercase. */
export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

/** Why this name cannot be an account's, or `null` when it can. */
export function userNameProblem(name: string): string | null {
  if (namePattern.test(normalizeUserName(name))) return null;
  return `user name "${name}": must be 1 to 64 letters a-z, digits or . _ @ -, starting with a letter or digit`;
}

/** Why this password cannot be the account's, or `null` when it can. Lengths count characters, not bytes. */
export function passwordProblem(userName: string, password: string): string | null {
  const length = [...password].length;
  if (length < passwordRules.shortest)
    return `password for user "${userName}": it has ${length} characters and must have at least ${passwordRules.shortest} (a few unrelated words make a good one)`;
  if (length > passwordRules.longest)
    return `password for user "${userName}": it has ${length} characters and may have at most ${passwordRules.longest}`;
  return null;
}
