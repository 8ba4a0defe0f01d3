import { describe, expect, it } from 'vitest';
import { validateRequest, validateResponse } from './index.js';

describe('OpenAPI validation (test support)', () => {
  it('accepts a documented request and rejects a wrong one', () => {
    expect(
      validateRequest('POST', '/crm/v3/objects/companies/batch/create', {
        inputs: [{ properties: { name: 'A' }, associations: [] }],
      }),
    ).toEqual([]);
    expect(
      validateRequest('POST', '/crm/v3/objects/companies/batch/create', {
        inputs: [{ properties: { name: 1 } }],
      }).length,
    ).toBeGreaterThan(0);
    expect(validateRequest('GET', '/crm/v3/objects/widgets', undefined)).toEqual([
      "no operation GET /crm/v3/objects/widgets in HubSpot's OpenAPI documents",
    ]);
  });

  it('checks responses by status', () => {
    const ok = {
      id: '1',
      properties: {},
      createdAt: '2026-11-24T10:00:00Z',
      updatedAt: '2026-11-24T10:00:00Z',
      archived: false,
    };
    expect(validateResponse('GET', '/crm/v3/objects/contacts/1', 200, ok)).toEqual([]);
    expect(validateResponse('GET', '/crm/v3/objects/contacts/1', 200, { id: 1 }).length).toBeGreaterThan(0);
  });
});
