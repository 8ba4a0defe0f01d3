import { describe, expect, it } from 'vitest';
import { loadSingleSignOnSettings } from './single-sign-on-settings.js';

const noFiles = () => undefined;
const entra = {
  CRM_SYNC_OIDC_ISSUER: 'https://login.microsoftonline.com/0d1e2f30-aaaa-bbbb-cccc-123456789abc/v2.0',
  CRM_SYNC_OIDC_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  CRM_SYNC_OIDC_CLIENT_SECRET: 'client secret value',
};
const load = (
  env: Record<string, string>,
  publicUrl: string | null | undefined = 'https://sync.example.no',
) => loadSingleSignOnSettings(env, noFiles, publicUrl);
const errorsOf = (result: ReturnType<typeof load>) => (result.ok ? [] : result.errors);

describe('single sign-on settings (CRM_SYNC_OIDC_*)', () => {
  it('is off when none is set, whatever the public URL', () => {
    expect(load({}, null)).toEqual({ ok: true, settings: null });
  });

  it('reads an Entra ID registration: the redirect URI under the public URL, roles from the roles claim', () => {
    expect(load(entra)).toEqual({
      ok: true,
      settings: {
        issuer: entra.CRM_SYNC_OIDC_ISSUER,
        clientId: entra.CRM_SYNC_OIDC_CLIENT_ID,
        clientSecret: 'client secret value',
        redirectUri: 'https://sync.example.no/oidc/callback',
        providerName: 'Microsoft Entra ID',
        roleClaim: 'roles',
        operatorValues: ['crm-sync.operator'],
        viewerValues: ['crm-sync.viewer'],
      },
    });
  });

  it('takes the discovery document’s URL for the issuer, the secret from a file, groups and lists of values', () => {
    const result = loadSingleSignOnSettings(
      {
        ...entra,
        CRM_SYNC_OIDC_ISSUER: `${entra.CRM_SYNC_OIDC_ISSUER}/.well-known/openid-configuration`,
        CRM_SYNC_OIDC_CLIENT_SECRET: '',
        CRM_SYNC_OIDC_CLIENT_SECRET_FILE: '/run/credentials/oidc-secret',
        CRM_SYNC_OIDC_ROLE_CLAIM: 'groups',
        CRM_SYNC_OIDC_OPERATOR_VALUES: ' 9a1b-ops , 9a1b-admins,',
        CRM_SYNC_OIDC_VIEWER_VALUES: '7c2d-support',
        CRM_SYNC_OIDC_PROVIDER_NAME: 'Contoso',
      },
      (path) => (path === '/run/credentials/oidc-secret' ? 'secret from file\n' : undefined),
      'https://sync.example.no/',
    );
    expect(result).toMatchObject({
      ok: true,
      settings: {
        issuer: entra.CRM_SYNC_OIDC_ISSUER,
        clientSecret: 'secret from file',
        redirectUri: 'https://sync.example.no/oidc/callback',
        providerName: 'Contoso',
        roleClaim: 'groups',
        operatorValues: ['9a1b-ops', '9a1b-admins'],
        viewerValues: ['7c2d-support'],
      },
    });
  });

  it('reports every problem at once, naming the variable and the rule', () => {
    const errors = errorsOf(
      load(
        {
          CRM_SYNC_OIDC_ISSUER: 'http://login.example.com/tenant',
          CRM_SYNC_OIDC_ROLE_CLAIM: 'app roles',
          CRM_SYNC_OIDC_OPERATOR_VALUES: 'ops',
          CRM_SYNC_OIDC_VIEWER_VALUES: 'ops,support',
        },
        null,
      ),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^CRM_SYNC_OIDC_ISSUER must be the provider's https issuer URL.*got "http:\/\/login/u,
      ),
      expect.stringMatching(/^CRM_SYNC_OIDC_CLIENT_ID must be set when CRM_SYNC_OIDC_ISSUER is/u),
      expect.stringMatching(/^CRM_SYNC_OIDC_CLIENT_SECRET \(or _FILE\) must be set/u),
      expect.stringMatching(
        /^CRM_SYNC_PUBLIC_URL must be set when CRM_SYNC_OIDC_ISSUER is.*\/oidc\/callback$/u,
      ),
      expect.stringMatching(
        /^CRM_SYNC_OIDC_ROLE_CLAIM must be the name of one ID token claim.*got "app roles"$/u,
      ),
      'CRM_SYNC_OIDC_VIEWER_VALUES: "ops" is in CRM_SYNC_OIDC_OPERATOR_VALUES too; a value grants one role',
    ]);
  });

  it('refuses plain http for the public URL except on this machine, and a secret set twice or unreadable', () => {
    expect(errorsOf(load(entra, 'http://sync.example.no'))).toEqual([
      'CRM_SYNC_PUBLIC_URL must be https for single sign-on (plain http only at localhost or 127.0.0.1), got "http://sync.example.no"',
    ]);
    expect(load(entra, 'http://127.0.0.1:8787').ok).toBe(true);
    expect(load({ ...entra, CRM_SYNC_OIDC_ISSUER: 'http://127.0.0.1:4000' }).ok).toBe(true);
    expect(errorsOf(load({ ...entra, CRM_SYNC_OIDC_CLIENT_SECRET_FILE: '/nowhere' }))).toEqual([
      'CRM_SYNC_OIDC_CLIENT_SECRET and CRM_SYNC_OIDC_CLIENT_SECRET_FILE are both set: set one',
    ]);
    expect(
      errorsOf(
        load({ ...entra, CRM_SYNC_OIDC_CLIENT_SECRET: '', CRM_SYNC_OIDC_CLIENT_SECRET_FILE: '/nowhere' }),
      ),
    ).toEqual(['CRM_SYNC_OIDC_CLIENT_SECRET_FILE: cannot read /nowhere']);
  });

  it('refuses a list of values that holds only commas', () => {
    expect(errorsOf(load({ ...entra, CRM_SYNC_OIDC_VIEWER_VALUES: ' , ' }))).toEqual([
      'CRM_SYNC_OIDC_VIEWER_VALUES must list at least one claim value (comma-separated), got only commas',
    ]);
  });

  it('says so when other settings are given without the issuer', () => {
    expect(errorsOf(load({ CRM_SYNC_OIDC_CLIENT_ID: 'abc' }))).toEqual([
      'CRM_SYNC_OIDC_CLIENT_ID is set but CRM_SYNC_OIDC_ISSUER is not: set the issuer to turn single sign-on on, or unset CRM_SYNC_OIDC_CLIENT_ID',
    ]);
  });

  it('leaves a refused public URL to the service settings’ own error', () => {
    expect(load(entra, undefined).ok).toBe(true);
  });
});
