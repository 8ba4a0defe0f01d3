import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { loadServiceConfig } from './service-config.js';

// deploy/crm-sync.service, checked three ways: its credentials reach the configuration loaders (always), and, where
// systemd-analyze exists, `systemd-analyze verify` accepts it without a warning and `systemd-analyze security`
// rates it OK. https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html
const unitPath = fileURLToPath(new URL('../../../../deploy/crm-sync.service', import.meta.url));
const runnerBin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));
const unitText = readFileSync(unitPath, 'utf8');
const shippedExecStart = 'ExecStart=/usr/bin/node /opt/crm-sync/apps/runner/bin/crm-sync.js serve';

function onPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const systemdAnalyze = onPath('systemd-analyze');
const workDirectory = mkdtempSync(join(tmpdir(), 'crm-sync-unit-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

/** The unit with its optional webhook lines uncommented: what an operator who turns webhooks on runs. */
const withWebhooks = unitText.replace(/^#((?:LoadCredential|Environment)=.*(?:webhook).*)$/gmu, '$1');

/** `Environment=NAME=value` lines, in order (each of ours sets one variable). */
function environmentOf(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/^Environment=([A-Z0-9_]+)=(.*)$/gmu))
    env[match[1] ?? ''] = match[2] ?? '';
  return env;
}

/** `LoadCredential=ID:PATH` lines, as ID → PATH. */
function credentialsOf(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^LoadCredential=([^:\n]+):(.+)$/gmu)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}

/**
 * systemd-analyze verify refuses an ExecStart binary that does not exist, and /opt/crm-sync is not this clone:
 * the copy runs this node with this clone's bin instead. Everything else is the shipped unit.
 */
function runnableCopy(text: string, name: string): string {
  expect(text).toContain(shippedExecStart);
  const directory = join(workDirectory, name);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, 'crm-sync.service');
  writeFileSync(path, text.replace(shippedExecStart, `ExecStart="${process.execPath}" "${runnerBin}" serve`));
  return path;
}

function analyze(...args: string[]) {
  const result = spawnSync(systemdAnalyze ?? 'systemd-analyze', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

describe('deploy/crm-sync.service', () => {
  it('hands every secret to the loaders through a credential: each *_FILE names a LoadCredential id in %d', () => {
    for (const text of [unitText, withWebhooks]) {
      const credentials = credentialsOf(text);
      const files = Object.entries(environmentOf(text)).filter(([name]) => name.endsWith('_FILE'));
      expect(files.length).toBe(credentials.size);
      for (const [name, value] of files) {
        const id = /^%d\/(.+)$/u.exec(value)?.[1];
        expect(id, `${name}=${value} must point into %d`).toBeDefined();
        expect(credentials.get(id ?? ''), `${name}: no LoadCredential=${id}:…`).toBe(
          `/etc/crm-sync/credentials/${id}`,
        );
      }
    }
    expect(credentialsOf(withWebhooks).size).toBe(4);
  });

  it("runs with what the loaders read: the credentials' contents become the secrets", () => {
    const credentialsDirectory = join(workDirectory, 'credentials');
    mkdirSync(credentialsDirectory, { recursive: true });
    const contents: Record<string, string> = {
      'hubspot-access-token': 'service-key-from-credential',
      'visma-client-secret': 'client-secret-from-credential',
      'hubspot-webhook-secret': 'hubspot-app-client-secret',
      'visma-webhook-secrets': 'current-signature-key\nprevious-signature-key\n',
    };
    for (const [id, content] of Object.entries(contents))
      writeFileSync(join(credentialsDirectory, id), content);
    const env: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(environmentOf(withWebhooks)).map(([name, value]) => [
          name,
          value.replace('%d', credentialsDirectory),
        ]),
      ),
      // What /etc/crm-sync/env holds.
      VISMA_CLIENT_ID: 'crm-sync-application',
      VISMA_COMPANY_NO: '1234567',
      CRM_SYNC_HASH_KEY: 'a-fingerprint-key-of-some-length',
    };
    const readFile = (path: string) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    };
    const writeSecretFile = () => {
      throw new Error('the key is given: nothing is written');
    };
    const runner = loadConfig({ env, readFile, writeSecretFile, randomKey: () => 'unused' });
    if (!runner.ok) throw new Error(runner.errors.join('; '));
    expect(runner.config.hubspot.accessToken).toBe('service-key-from-credential');
    expect(runner.config.visma.clientSecret).toBe('client-secret-from-credential');
    expect(runner.config.statePath).toBe('/var/lib/crm-sync/state.db');
    const service = loadServiceConfig(env, readFile);
    if (!service.ok) throw new Error(service.errors.join('; '));
    expect(service.config).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      hubspotWebhookSecret: 'hubspot-app-client-secret',
      vismaWebhookSecrets: ['current-signature-key', 'previous-signature-key'],
    });
  });

  if (systemdAnalyze === undefined) {
    it.skip('systemd-analyze verify and security: skipped, systemd-analyze is not on the PATH of this machine', () => {});
    return;
  }

  it('passes systemd-analyze verify without a warning, with and without the webhook lines', () => {
    for (const [name, text] of [
      ['shipped', unitText],
      ['webhooks', withWebhooks],
    ] as const) {
      const result = analyze('verify', '--man=no', runnableCopy(text, name));
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    }
  });

  const offline = analyze('security', '--help').output.includes('--offline');
  it.skipIf(!offline)(
    `is rated OK (exposure 2.0 or less) by systemd-analyze security --offline${offline ? '' : ': skipped, this systemd-analyze has no --offline'}`,
    () => {
      const result = analyze(
        'security',
        '--offline=yes',
        '--threshold=20',
        runnableCopy(unitText, 'security'),
      );
      expect(result.output).toMatch(/Overall exposure level for crm-sync\.service: [01]\.\d OK/u);
      expect(result.status).toBe(0);
    },
  );
});
