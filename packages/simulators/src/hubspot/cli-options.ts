/**
 * The `crm-simulators hubspot` flags beyond port and seed, read into simulator options: `--search-lag-ms <n>` (how
 * long writes take to reach search) and `--scopes <a,b,…>` (the token's scopes; absent: every scope).
 */
export function hubspotCliOptions(values: {
  readonly 'search-lag-ms'?: string | undefined;
  readonly scopes?: string | undefined;
}): { searchLagMs: number; scopes: string[] | undefined } | string {
  const searchLagMs = Number(values['search-lag-ms'] ?? '0');
  if (!Number.isInteger(searchLagMs) || searchLagMs < 0)
    return '--search-lag-ms takes a whole number of milliseconds, 0 or more';
  const scopes = values.scopes
    ?.split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  if (scopes !== undefined && scopes.length === 0) return '--scopes takes comma-separated scope names';
  return { searchLagMs, scopes };
}
