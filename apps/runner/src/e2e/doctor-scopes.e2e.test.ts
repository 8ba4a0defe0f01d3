import { afterEach, describe, expect, it } from 'vitest';
import { cli, startWorld, type World } from './cli-harness.js';

// `crm-sync doctor` against a HubSpot credential without one of the scopes the sync needs: it names the scope and
// where to add it, and exits non-zero.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Every scope the sync needs (docs/CONFIGURATION.md, "Creating the HubSpot Service Key"). */
const syncScopes = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
];

describe('crm-sync doctor and HubSpot scopes', () => {
  it('passes with exactly the scopes the docs list, noting that write scopes are checked at the first write', async () => {
    world = await startWorld({ customers: 1, crm: { scopes: syncScopes } });
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(result.stdout).not.toContain('FAIL');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^note HubSpot write scopes are checked at the first write/mu);
  });

  it('fails naming crm.schemas.contacts.read and the Service Keys settings when the key lacks it', async () => {
    world = await startWorld({
      customers: 1,
      crm: { scopes: syncScopes.filter((scope) => scope !== 'crm.schemas.contacts.read') },
    });
    // Setup creates the companies' properties; the contacts' need the missing scope.
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(result.code, result.stdout).not.toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('FAIL'))).toEqual([
      expect.stringMatching(
        /^FAIL HubSpot contacts property definitions \(crm\.schemas\.contacts\.read\): /u,
      ),
    ]);
    expect(result.stdout).toMatch(
      /^FAIL HubSpot contacts property definitions \(crm\.schemas\.contacts\.read\)/mu,
    );
    expect(result.stdout).toContain(
      'the Service Key (or private app) lacks the scope(s) crm.schemas.contacts.read: add them in HubSpot under Settings → Integrations → Service Keys, then rerun doctor',
    );
    // The scopes the key has pass.
    expect(result.stdout).toMatch(
      /^ok {3}HubSpot companies property definitions \(crm\.schemas\.companies\.read\)/mu,
    );
    expect(result.stdout).toMatch(
      /^ok {3}HubSpot contacts records and search \(crm\.objects\.contacts\.read\)/mu,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /u);
  });
});
