import { describe, expect, it } from 'vitest';
import { loadAlertConfig } from './alert-config.js';

function errorsOf(
  env: Record<string, string>,
  files: Record<string, string> = {},
  options: { intervalMs?: number } = {},
): string[] {
  const result = loadAlertConfig(env, (path) => files[path], options);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
}

function configOf(env: Record<string, string>, files: Record<string, string> = {}, options = {}) {
  const result = loadAlertConfig(env, (path) => files[path], options);
  if (!result.ok) throw new Error(`expected a configuration, got ${result.errors.join('; ')}`);
  return result.config;
}

const email = {
  CRM_SYNC_ALERT_SMTP_URL: 'smtps://alerts:s3cret@smtp.example.no:465',
  CRM_SYNC_ALERT_EMAIL_FROM: 'crm-sync <alerts@example.no>',
  CRM_SYNC_ALERT_EMAIL_TO: 'ops@example.no, oncall@example.no,',
};

describe('loadAlertConfig', () => {
  it('is off without any channel: no email, no chat, stale after 2h, no console link', () => {
    expect(loadAlertConfig({}, () => undefined)).toEqual({
      ok: true,
      config: { email: null, chat: null, staleAfterMs: 7_200_000, consoleUrl: null },
    });
  });

  it('reads every setting', () => {
    expect(
      configOf({
        ...email,
        CRM_SYNC_ALERT_WEBHOOK_URL:
          'https://example.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi',
        CRM_SYNC_ALERT_STALE_AFTER: '1h30m',
        CRM_SYNC_CONSOLE_URL: 'https://sync.example.no/console/',
      }),
    ).toEqual({
      email: {
        smtpUrl: 'smtps://alerts:s3cret@smtp.example.no:465',
        from: 'crm-sync <alerts@example.no>',
        to: ['ops@example.no', 'oncall@example.no'],
      },
      chat: {
        url: 'https://example.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi',
        format: 'teams',
      },
      staleAfterMs: 5_400_000,
      consoleUrl: 'https://sync.example.no/console',
    });
  });

  it('reads the SMTP URL and the webhook URL from files, as secrets', () => {
    const config = configOf(
      {
        ...email,
        CRM_SYNC_ALERT_SMTP_URL: '',
        CRM_SYNC_ALERT_SMTP_URL_FILE: '/run/credentials/smtp',
        CRM_SYNC_ALERT_WEBHOOK_URL_FILE: '/run/credentials/webhook',
      },
      {
        '/run/credentials/smtp': 'smtp://relay.example.no:587\n',
        '/run/credentials/webhook': ' https://hooks.slack.com/services/T0/B0/token \n',
      },
    );
    expect(config.email?.smtpUrl).toBe('smtp://relay.example.no:587');
    expect(config.chat).toEqual({ url: 'https://hooks.slack.com/services/T0/B0/token', format: 'slack' });
    expect(
      errorsOf(
        { CRM_SYNC_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/x', CRM_SYNC_ALERT_WEBHOOK_URL_FILE: '/a' },
        { '/a': 'x' },
      ),
    ).toEqual(['CRM_SYNC_ALERT_WEBHOOK_URL and CRM_SYNC_ALERT_WEBHOOK_URL_FILE are both set: set one']);
    expect(errorsOf({ CRM_SYNC_ALERT_WEBHOOK_URL_FILE: '/missing' })).toEqual([
      'CRM_SYNC_ALERT_WEBHOOK_URL_FILE: cannot read /missing',
    ]);
  });

  it('takes the chat format from the host when not set, Slack when the host is not recognised', () => {
    const formatOf = (url: string, format?: string) =>
      configOf({
        CRM_SYNC_ALERT_WEBHOOK_URL: url,
        ...(format === undefined ? {} : { CRM_SYNC_ALERT_WEBHOOK_FORMAT: format }),
      }).chat?.format;
    expect(formatOf('https://hooks.slack.com/services/T0/B0/x')).toBe('slack');
    expect(formatOf('https://contoso.webhook.office.com/webhookb2/x')).toBe('teams');
    expect(
      formatOf('https://prod-12.westeurope.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke'),
    ).toBe('teams');
    expect(formatOf('https://chat.example.no/hooks/x')).toBe('slack');
    expect(formatOf('https://chat.example.no/hooks/x', 'teams')).toBe('teams');
    expect(formatOf('http://127.0.0.1:9000/hook', 'slack')).toBe('slack');
  });

  it('reports every problem at once, naming the variable and the rule, never showing a password or token', () => {
    const errors = errorsOf({
      CRM_SYNC_ALERT_SMTP_URL: 'https://alerts:s3cret@smtp.example.no',
      CRM_SYNC_ALERT_EMAIL_TO: 'ops@example.no, not-an-address',
      CRM_SYNC_ALERT_WEBHOOK_URL: 'http://chat.example.no/hooks/T0/B0/token-123',
      CRM_SYNC_ALERT_WEBHOOK_FORMAT: 'discord',
      CRM_SYNC_ALERT_STALE_AFTER: '2 hours',
      CRM_SYNC_CONSOLE_URL: 'ftp://sync.example.no',
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /^CRM_SYNC_ALERT_SMTP_URL must be smtp:\/\/.* got https:\/\/smtp\.example\.no\/…$/u,
      ),
      'CRM_SYNC_ALERT_EMAIL_FROM is required with CRM_SYNC_ALERT_SMTP_URL: the sender address',
      'CRM_SYNC_ALERT_EMAIL_TO must be email addresses, comma-separated, got "not-an-address"',
      'CRM_SYNC_ALERT_WEBHOOK_FORMAT must be "teams" or "slack", got "discord"',
      expect.stringMatching(
        /^CRM_SYNC_ALERT_WEBHOOK_URL must be the https URL .* got http:\/\/chat\.example\.no\/…$/u,
      ),
      expect.stringMatching(/^CRM_SYNC_ALERT_STALE_AFTER must be a duration .* got "2 hours"$/u),
      expect.stringMatching(/^CRM_SYNC_CONSOLE_URL must be the http\(s\) URL/u),
    ]);
    expect(errors.join('\n')).not.toMatch(/s3cret|token-123/u);
    expect(errorsOf({ CRM_SYNC_ALERT_SMTP_URL: 'smtp://s3cret only' }).join('\n')).not.toContain('s3cret');
  });

  it('wants both the user and the password of an SMTP login, or neither, and no path or query', () => {
    expect(errorsOf({ ...email, CRM_SYNC_ALERT_SMTP_URL: 'smtp://alerts@smtp.example.no' })).toEqual([
      expect.stringMatching(/give both the user and the password, or neither/u),
    ]);
    expect(errorsOf({ ...email, CRM_SYNC_ALERT_SMTP_URL: 'smtp://a:b@smtp.example.no/?pool=true' })).toEqual([
      expect.stringMatching(/with a path or query$/u),
    ]);
  });

  it('refuses email settings without a server, and a format without a webhook', () => {
    expect(
      errorsOf({ CRM_SYNC_ALERT_EMAIL_TO: 'ops@example.no', CRM_SYNC_ALERT_WEBHOOK_FORMAT: 'teams' }),
    ).toEqual([
      'CRM_SYNC_ALERT_EMAIL_TO is set but CRM_SYNC_ALERT_SMTP_URL is not: set the SMTP server too',
      'CRM_SYNC_ALERT_WEBHOOK_FORMAT is set but CRM_SYNC_ALERT_WEBHOOK_URL is not: set the URL too',
    ]);
  });

  it('keeps the stale limit at least twice the cycle interval', () => {
    expect(configOf({}, {}, { intervalMs: 3_600_000 }).staleAfterMs).toBe(7_200_000);
    expect(configOf({}, {}, { intervalMs: 2 * 3_600_000 }).staleAfterMs).toBe(4 * 3_600_000);
    expect(errorsOf({ CRM_SYNC_ALERT_STALE_AFTER: '15m' }, {}, { intervalMs: 600_000 })).toEqual([
      'CRM_SYNC_ALERT_STALE_AFTER must be at least twice CRM_SYNC_INTERVAL (600s), or every slow cycle alerts, got "15m"',
    ]);
    expect(configOf({ CRM_SYNC_ALERT_STALE_AFTER: '20m' }, {}, { intervalMs: 600_000 }).staleAfterMs).toBe(
      1_200_000,
    );
    expect(errorsOf({ CRM_SYNC_ALERT_STALE_AFTER: '30s' })).toEqual([
      expect.stringMatching(/from 1m to 168h, got "30s"$/u),
    ]);
  });
});
