import { describe, expect, it } from 'vitest';
import {
  documentedTemplate,
  hubspotDocumentsAvailable,
  hubspotDocumentsSkipReason,
  validateRequest,
  validateResponse,
} from './index.js';

const record = {
  id: '1',
  properties: {},
  createdAt: '2026-11-24T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
  archived: false,
};

describe.skipIf(!hubspotDocumentsAvailable)('OpenAPI validation (test support)', () => {
  it('accepts a documented request and rejects a wrong one, on both API versions', () => {
    for (const prefix of ['/crm/objects/2026-09', '/crm/v3/objects']) {
      expect(
        validateRequest('POST', `${prefix}/companies/batch/create`, {
          inputs: [{ properties: { name: 'A' }, associations: [] }],
        }),
      ).toEqual([]);
      expect(
        validateRequest('POST', `${prefix}/companies/batch/create`, {
          inputs: [{ properties: { name: 1 } }],
        }).length,
      ).toBeGreaterThan(0);
    }
    expect(validateRequest('GET', '/crm/objects/2026-09/widgets/1/x', undefined)).toEqual([
      "no operation GET /crm/objects/2026-09/widgets/1/x in HubSpot's OpenAPI documents",
    ]);
  });

  it('checks responses by status', () => {
    expect(validateResponse('GET', '/crm/objects/2026-09/contacts/1', 200, record)).toEqual([]);
    expect(validateResponse('GET', '/crm/v3/objects/contacts/1', 200, record)).toEqual([]);
    expect(validateResponse('GET', '/crm/objects/2026-09/contacts/1', 200, { id: 1 }).length).toBeGreaterThan(
      0,
    );
  });

  it('knows 2026-09 batch answers carry errors in the one 200 shape, and has no GET list of associations', () => {
    const partial = {
      status: 'COMPLETE',
      results: [record],
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: 'gone',
          context: { ids: ['2'] },
          errors: [],
          links: {},
        },
      ],
      startedAt: '2026-11-24T10:00:00Z',
      completedAt: '2026-11-24T10:00:01Z',
    };
    expect(validateResponse('POST', '/crm/objects/2026-09/contacts/batch/read', 200, partial)).toEqual([]);
    expect(documentedTemplate('GET', '/crm/objects/2026-09/contacts/1/associations/companies')).toBeNull();
    expect(documentedTemplate('GET', '/crm/v4/objects/contacts/1/associations/companies')).toBe(
      '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}',
    );
    expect(documentedTemplate('POST', '/crm/objects/2026-09/contacts/gdpr-delete')).toBe(
      '/crm/objects/2026-09/{objectType}/gdpr-delete',
    );
  });
});

describe.skipIf(hubspotDocumentsAvailable)(
  `OpenAPI validation skipped: ${hubspotDocumentsSkipReason}`,
  () => {
    it('says why instead of failing', () => {
      expect(hubspotDocumentsSkipReason).toContain('HUBSPOT_OPENAPI_DIR');
    });
  },
);
