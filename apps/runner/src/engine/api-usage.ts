/** API requests a cycle made, per side: every HTTP request counts, retries included; 429s counted apart. */
export interface ApiUsage {
  hubspot: number;
  hubspotRateLimited: number;
  vismaNxt: number;
  vismaNxtRateLimited: number;
}

export function emptyApiUsage(): ApiUsage {
  return { hubspot: 0, hubspotRateLimited: 0, vismaNxt: 0, vismaNxtRateLimited: 0 };
}

/** The requests made between two readings of the same counters. */
export function usageSince(before: ApiUsage, after: ApiUsage): ApiUsage {
  return {
    hubspot: after.hubspot - before.hubspot,
    hubspotRateLimited: after.hubspotRateLimited - before.hubspotRateLimited,
    vismaNxt: after.vismaNxt - before.vismaNxt,
    vismaNxtRateLimited: after.vismaNxtRateLimited - before.vismaNxtRateLimited,
  };
}
