import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { verifySignatureV3 } from '@port-service/hubspot';
import { verifyWebhook } from '@port-service/visma-nxt';
import { expect, it } from 'vitest';
import { finished } from '../e2e/cli-harness.js';
import { within } from '../e2e/deadline.js';
import { recordFigure } from './figures.js';

// Secrets and personal data (issue 6): a whole demo run, logging at debug level, is scanned for secrets and for
// unmasked emails and phone numbers; webhook signature checks refuse tampering, wrong secrets and stale messages.
const bin = fileURLToPath(new URL('../../bin/crm-sync.js', import.meta.url));

// The simulators' credentials as the demo uses them, and the shapes any token or unmasked value would have.
const secrets = ['pat-na1-simulator-token', 'simulator-secret'];
const patterns: Array<[string, RegExp]> = [
  ['bearer token', /Bearer\s+\S+/giu],
  ['JWT', /eyJ[\w-]{10,}\.[\w-]{10,}/gu],
  ['email address', /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/gu],
  ['phone number (+47)', /\+47[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}/gu],
  ['phone number (8 digits)', /(?<![\d.:/])(?:[2-9]\d{7}|[2-9]\d(?: \d{2}){3})(?![\d])/gu],
];
// What the report says about a malformed email, not an address.
const allowed = new Set(['name@domain.tld']);
// Run ids are random hex, so about one in twenty demo runs prints one made of eight digits only (CI once failed on
// `crm-sync run 818…`). They are taken out before the scan: full UUIDs in logs, their first 8 characters in reports.
const withoutRunIds = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu, '<run id>')
    .replace(/(crm-sync (?:dry )?run )[0-9a-f]{8}(?= ·)/gu, '$1<run id>');

it('a demo run logs and reports no secret and no unmasked email or phone number', async () => {
  const child = spawn(process.execPath, [bin, '--log-level', 'debug', 'demo', '--customers', '120'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // About 6 s on a developer's machine.
  const result = await within(finished(child), 'the demo', 90_000, child);
  expect(result.code).toBe(0);
  // The demo speaks HubSpot's 2026-09 API only, by default: the simulator served nothing on /crm/v3 or /crm/v4.
  expect(result.stdout).toMatch(/HubSpot: crm\/objects\/2026-09 \d+/u);
  expect(result.stdout).not.toMatch(/crm\/v[34]\//u);
  const output = withoutRunIds(`${result.stdout}\n${result.stderr}`);
  const found: string[] = [];
  for (const secret of secrets) if (output.includes(secret)) found.push(`secret ${secret.slice(0, 4)}…`);
  for (const [what, pattern] of patterns)
    for (const match of output.matchAll(pattern))
      if (!allowed.has(match[0])) found.push(`${what}: ${match[0].slice(0, 3)}…`);
  const lines = output.split('\n').length;
  recordFigure(
    'secrets',
    `a demo run at debug level (${lines} lines of logs and reports) scanned for ${secrets.length} secrets and ${patterns.length} shapes of tokens, emails and phone numbers: ${found.length} found`,
  );
  expect(found).toEqual([]);
  // The scan itself finds what it looks for, and only run ids are taken out of it.
  expect(
    withoutRunIds('crm-sync run 81812345 · full · tlf 81812345').match(patterns[4]?.[1] ?? /$^/u),
  ).toEqual(['81812345']);
  expect('ring +47 33 00 12 34 eller post@firma.no'.match(patterns[3]?.[1] ?? /$^/u)).not.toBeNull();
});

it('webhook signature checks refuse tampered bodies, wrong secrets and stale timestamps', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  const outcomes: boolean[] = [];
  // HubSpot v3.
  const uri = 'https://sync.example.no/hubspot/webhooks';
  const body = '[{"objectId":101,"subscriptionType":"company.propertyChange"}]';
  const sign = (secret: string, text: string, timestamp: number) =>
    createHmac('sha256', secret).update(`POST${uri}${text}${timestamp}`).digest('base64');
  const check = (
    text: string,
    secret: string,
    timestamp: number,
    signature = sign('app-secret', body, now),
  ) =>
    verifySignatureV3({ method: 'POST', uri, rawBody: text, timestamp, signature, clientSecret: secret, now })
      .ok;
  expect(check(body, 'app-secret', now)).toBe(true);
  outcomes.push(check(body.replace('101', '102'), 'app-secret', now));
  outcomes.push(check(body, 'wrong-secret', now));
  const old = now - 10 * 60_000;
  outcomes.push(check(body, 'app-secret', old, sign('app-secret', body, old)));
  // Business NXT.
  const payload =
    '{"tableIdentifier":"Associate","event":"UPDATE","primaryKeys":[{"AssociateNo":"7"}],"timestamp":"2026-11-24T11:59:30Z"}';
  const header = (secret: string, text: string) => ({
    'x-vwd-signature-v1': createHmac('sha256', secret).update(text).digest('base64'),
  });
  const fresh = { maxAgeMs: 5 * 60_000, now };
  expect(verifyWebhook(payload, header('signing-key', payload), ['signing-key'], fresh)).toBe(true);
  outcomes.push(
    verifyWebhook(payload.replace('"7"', '"8"'), header('signing-key', payload), ['signing-key'], fresh),
  );
  outcomes.push(verifyWebhook(payload, header('wrong-key', payload), ['signing-key'], fresh));
  outcomes.push(
    verifyWebhook(payload, header('signing-key', payload), ['signing-key'], {
      ...fresh,
      now: now + 60 * 60_000,
    }),
  );
  recordFigure(
    'webhooks',
    `${outcomes.length} forged deliveries (tampered body, wrong secret, stale timestamp; HubSpot v3 and Business NXT): ${outcomes.filter((accepted) => accepted).length} accepted`,
  );
  expect(outcomes).toEqual([false, false, false, false, false, false]);
});
