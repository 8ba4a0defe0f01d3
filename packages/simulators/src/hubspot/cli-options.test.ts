import { describe, expect, it } from 'vitest';
import { hubspotCliOptions } from './cli-options.js';

describe('crm-simulators hubspot flags', () => {
  it('reads --search-lag-ms and --scopes into simulator options', () => {
    expect(hubspotCliOptions({})).toEqual({ searchLagMs: 0, scopes: undefined });
    expect(
      hubspotCliOptions({
        'search-lag-ms': '2500',
        scopes: 'crm.objects.contacts.read, crm.objects.companies.read,',
      }),
    ).toEqual({ searchLagMs: 2500, scopes: ['crm.objects.contacts.read', 'crm.objects.companies.read'] });
  });

  it('refuses a lag that is not a whole number of milliseconds, and an empty scope list', () => {
    expect(hubspotCliOptions({ 'search-lag-ms': '-1' })).toMatch(/--search-lag-ms/);
    expect(hubspotCliOptions({ 'search-lag-ms': 'soon' })).toMatch(/--search-lag-ms/);
    expect(hubspotCliOptions({ scopes: ' , ' })).toMatch(/--scopes/);
  });
});
