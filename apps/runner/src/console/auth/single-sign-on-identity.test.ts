import { describe, expect, it } from 'vitest';
import { singleSignOnIdentity } from './single-sign-on-identity.js';
import type { SingleSignOnSettings } from './single-sign-on-settings.js';

const settings: SingleSignOnSettings = {
  issuer: 'https://login.microsoftonline.com/tenant/v2.0',
  clientId: 'client',
  clientSecret: 'secret',
  redirectUri: 'https://sync.example.no/oidc/callback',
  providerName: 'Microsoft Entra ID',
  roleClaim: 'roles',
  operatorValues: ['crm-sync.operator'],
  viewerValues: ['crm-sync.viewer', 'crm-sync.support'],
};

describe('who a provider sign-in is, and the role its claims grant', () => {
  it('names the user by email (lowercase), else the sign-in name, else the subject, behind oidc:', () => {
    const role = { roles: ['crm-sync.viewer'] };
    expect(singleSignOnIdentity({ sub: 's1', email: 'Kari@Example.NO', ...role }, settings)).toEqual({
      granted: true,
      userName: 'oidc:kari@example.no',
      role: 'viewer',
    });
    expect(
      singleSignOnIdentity({ sub: 's1', preferred_username: 'kari@example.no', ...role }, settings),
    ).toMatchObject({
      userName: 'oidc:kari@example.no',
    });
    expect(singleSignOnIdentity({ sub: 'AbC-123', ...role }, settings)).toMatchObject({
      userName: 'oidc:AbC-123',
    });
  });

  it('grants operator over viewer when the claim holds both, and compares values exactly', () => {
    const both = { sub: 's', roles: ['crm-sync.support', 'crm-sync.operator'] };
    expect(singleSignOnIdentity(both, settings)).toMatchObject({ granted: true, role: 'operator' });
    expect(singleSignOnIdentity({ sub: 's', roles: 'crm-sync.support' }, settings)).toMatchObject({
      granted: true,
      role: 'viewer',
    });
    expect(singleSignOnIdentity({ sub: 's', roles: ['CRM-SYNC.OPERATOR'] }, settings)).toMatchObject({
      granted: false,
    });
  });

  it('refuses without the claim, with values that grant nothing, and for a groups overage, saying which', () => {
    expect(singleSignOnIdentity({ sub: 's' }, settings)).toMatchObject({
      granted: false,
      reason: expect.stringContaining('The sign-in carries no "roles" claim'),
    });
    expect(singleSignOnIdentity({ sub: 's', roles: ['other.app'] }, settings)).toMatchObject({
      granted: false,
      reason: expect.stringContaining(
        'holds none of crm-sync.operator (operator) or crm-sync.viewer, crm-sync.support (viewer)',
      ),
    });
    const groups = { ...settings, roleClaim: 'groups' };
    const overage = { sub: 's', _claim_names: { groups: 'src1' }, _claim_sources: { src1: {} } };
    expect(singleSignOnIdentity(overage, groups)).toMatchObject({
      granted: false,
      reason: expect.stringContaining('left the "groups" claim out'),
    });
    expect(
      singleSignOnIdentity({ sub: 's', groups: [42, { id: 'crm-sync.operator' }] }, groups),
    ).toMatchObject({
      granted: false,
    });
  });
});
