import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyApiUsage } from '../../engine/api-usage.js';
import { type CycleReport, newReport } from '../../engine/report.js';
import type { RecordError } from '../../state/state-store.js';
import { alertChannelsFor } from './alert-channels.js';
import {
  type AlertConfig,
  type ChatAlertSettings,
  type EmailAlertSettings,
  loadAlertConfig,
} from './alert-config.js';
import { createAlerter } from './alerter.js';
import { createChatWebhookChannel } from './chat-webhook.js';
import type { HeldRecord } from './compose-alerts.js';
import { createEmailChannel } from './email.js';
import { closedPort, startHttpReceiver, startSmtpReceiver } from './test-receivers.js';

const login = { user: 'crm-sync', password: 'p@ss word/1' };
const minute = 60_000;

let clock: number;
const now = () => new Date(clock);
let store: ReturnType<typeof heldRecords>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let chat: Awaited<ReturnType<typeof startHttpReceiver>>;
let runs = 0;

beforeEach(async () => {
  clock = Date.parse('2026-11-24T08:00:00Z');
  store = heldRecords();
  smtp = await startSmtpReceiver(login);
  chat = await startHttpReceiver();
});

afterEach(async () => {
  await smtp.close();
  await chat.close();
});

/**
 * The held records as the state store keeps them (`recordError`, `clearErrors`, `errors` of state-store.ts): one per
 * record, field and rule, its first sighting kept and its last one updated.
 */
function heldRecords() {
  const held = new Map<string, HeldRecord>();
  const keyOf = (record: RecordError) =>
    [record.entity, record.system, record.recordId, record.field, record.rule].join(' ');
  return {
    async recordError(record: RecordError) {
      const firstSeenAt = held.get(keyOf(record))?.firstSeenAt ?? record.seenAt;
      held.set(keyOf(record), { ...record, firstSeenAt, lastSeenAt: record.seenAt });
    },
    async clearErrors(entity: string, system: string, recordId: string) {
      for (const [key, record] of held)
        if (record.entity === entity && record.system === system && record.recordId === recordId)
          held.delete(key);
    },
    async errors(): Promise<HeldRecord[]> {
      return [...held.values()];
    },
  };
}

function configFrom(env: Record<string, string>): AlertConfig {
  const result = loadAlertConfig(env, () => undefined);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config;
}

function bothChannels(extra: Record<string, string> = {}): AlertConfig {
  return configFrom({
    CRM_SYNC_ALERT_SMTP_URL: smtp.url(),
    CRM_SYNC_ALERT_EMAIL_FROM: 'crm-sync <alerts@sync.example.no>',
    CRM_SYNC_ALERT_EMAIL_TO: 'ops@example.no, oncall@example.no',
    CRM_SYNC_ALERT_WEBHOOK_URL: chat.url,
    CRM_SYNC_CONSOLE_URL: 'https://sync.example.no/console/',
    ...extra,
  });
}

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; channel?: string }> = [];
  const logger = pino(
    { level: 'info', base: null },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

function alerterFor(config: AlertConfig) {
  const { logger, lines } = capturingLogger();
  const alerter = createAlerter({ config, channels: alertChannelsFor(config), logger, now });
  return { alerter, lines };
}

function cycle(
  exitCode: CycleReport['exitCode'],
  mode: CycleReport['mode'] = 'incremental',
  failure?: string,
) {
  runs += 1;
  const report = newReport(`run-${runs}`, mode, false, emptyApiUsage(), now().toISOString());
  report.exitCode = exitCode;
  report.failure = failure ?? (exitCode === 1 ? 'HubSpot answered 503 three times' : null);
  report.finishedAt = now().toISOString();
  return report;
}

async function hold(record: Partial<RecordError> & { recordId: string }): Promise<void> {
  await store.recordError({
    entity: 'contact',
    system: 'hubspot',
    field: 'email',
    rule: 'INVALID_EMAIL',
    message: 'HubSpot refused email by its rule INVALID_EMAIL',
    fixIn: 'hubspot',
    seenAt: now().toISOString(),
    ...record,
  });
}

const subjects = () => smtp.mails.map((mail) => mail.subject);
const chatTexts = () => chat.posts.map((post) => (post.body as { text: string }).text);

describe('alerts on cycle failures', () => {
  it('sends one message per failure streak, and one when a cycle succeeds again', async () => {
    const { alerter } = alerterFor(bothChannels());
    await alerter.afterRun(cycle(1), []);
    expect(subjects()).toEqual(['crm-sync: cycle failed']);
    expect(smtp.mails[0]).toMatchObject({
      from: 'alerts@sync.example.no',
      to: ['ops@example.no', 'oncall@example.no'],
      user: 'crm-sync',
    });
    expect(smtp.mails[0]?.text).toContain('HubSpot answered 503 three times');
    expect(smtp.mails[0]?.text).toContain('Console: https://sync.example.no/console');
    expect(chat.posts).toHaveLength(1);
    expect(chat.posts[0]?.contentType).toBe('application/json');
    expect(chatTexts()[0]).toContain('cycle failed');

    clock += 10 * minute;
    await alerter.afterRun(cycle(1), []);
    clock += 10 * minute;
    await alerter.afterRun(cycle(1, 'full'), []);
    expect(smtp.mails).toHaveLength(1);
    expect(chat.posts).toHaveLength(1);

    clock += 10 * minute;
    await alerter.afterRun(cycle(3), []);
    expect(subjects()).toEqual(['crm-sync: cycle failed', 'crm-sync: syncing again']);
    expect(smtp.mails[1]?.text).toContain('Cycles had failed since 2026-11-24T08:00:00.000Z');
    expect(chat.posts).toHaveLength(2);

    clock += 10 * minute;
    await alerter.afterRun(cycle(0), []);
    expect(smtp.mails).toHaveLength(2);

    clock += 10 * minute;
    await alerter.afterRun(cycle(1), []);
    expect(subjects()).toEqual([
      'crm-sync: cycle failed',
      'crm-sync: syncing again',
      'crm-sync: cycle failed',
    ]);
    expect(chat.posts).toHaveLength(3);
  });

  it('leaves targeted syncs, interrupted cycles and dry runs out of the failure streak', async () => {
    const { alerter } = alerterFor(bothChannels());
    await alerter.afterRun(cycle(1, 'targeted'), []);
    await alerter.afterRun(cycle(143), []);
    const dryRun = cycle(1);
    await alerter.afterRun({ ...dryRun, dryRun: true }, []);
    expect(smtp.mails).toHaveLength(0);
    await alerter.afterRun(cycle(1), []);
    await alerter.afterRun(cycle(0, 'targeted'), []);
    expect(subjects()).toEqual(['crm-sync: cycle failed']);
    expect(chat.posts).toHaveLength(1);
  });
});

describe('alerts when nothing synced for a while', () => {
  it('sends one message once no scheduled cycle succeeded for the limit, and one when it recovers', async () => {
    const { alerter } = alerterFor(bothChannels({ CRM_SYNC_ALERT_STALE_AFTER: '2h' }));
    await alerter.afterRun(cycle(0), []);
    clock += 119 * minute;
    await alerter.tick();
    expect(smtp.mails).toHaveLength(0);

    clock += minute;
    await alerter.tick();
    expect(subjects()).toEqual(['crm-sync: nothing synced for 2h']);
    expect(smtp.mails[0]?.text).toContain('No scheduled cycle has succeeded since 2026-11-24T08:00:00.000Z');
    expect(chat.posts).toHaveLength(1);

    clock += 30 * minute;
    await alerter.tick();
    await alerter.afterRun(cycle(0, 'targeted'), []);
    await alerter.tick();
    expect(smtp.mails).toHaveLength(1);

    await alerter.afterRun(cycle(0), []);
    expect(subjects()).toEqual(['crm-sync: nothing synced for 2h', 'crm-sync: syncing again']);
    clock += 119 * minute;
    await alerter.tick();
    expect(smtp.mails).toHaveLength(2);
    expect(chat.posts).toHaveLength(2);
  });

  it('counts from the start of the service when no cycle has succeeded yet, and says why the last one failed', async () => {
    const { alerter } = alerterFor(bothChannels());
    await alerter.afterRun(cycle(1, 'full', 'Business NXT answered 401'), []);
    clock += 120 * minute;
    await alerter.afterRun(cycle(1, 'incremental', 'Business NXT answered 401 again'), []);
    expect(subjects()).toEqual(['crm-sync: cycle failed', 'crm-sync: nothing synced for 2h']);
    expect(smtp.mails[1]?.text).toContain('since the service started at 2026-11-24T08:00:00.000Z');
    expect(smtp.mails[1]?.text).toContain('The last one failed: Business NXT answered 401 again');
    await alerter.tick();
    await alerter.afterRun(cycle(0), []);
    expect(subjects()).toHaveLength(3);
    expect(smtp.mails[2]?.text).toContain('Cycles had failed since');
    expect(smtp.mails[2]?.text).toContain('Nothing had synced successfully since');
  });
});

describe('alerts on records that need attention', () => {
  it('names each held record once, in one message per run, and again only after it recovered and came back', async () => {
    const { alerter } = alerterFor(bothChannels());
    await hold({ recordId: '501' });
    await hold({
      recordId: '502',
      entity: 'customer',
      system: 'visma-nxt',
      field: 'name',
      rule: 'required',
      fixIn: 'visma-nxt',
    });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(subjects()).toEqual(['crm-sync: 2 new records need attention']);
    const first = smtp.mails[0]?.text ?? '';
    expect(first).toContain('By rule: INVALID_EMAIL 1, required 1');
    expect(first).toContain('contact hubspot 501: field email, rule INVALID_EMAIL; fix in HubSpot');
    expect(first).toContain('customer visma-nxt 502: field name, rule required; fix in Business NXT');
    expect(chat.posts).toHaveLength(1);

    clock += 10 * minute;
    await hold({ recordId: '501' });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails).toHaveLength(1);

    clock += 10 * minute;
    await hold({ recordId: '503', field: 'phone', rule: 'INVALID_OPTION' });
    await alerter.afterRun(cycle(3, 'targeted'), await store.errors());
    expect(subjects()[1]).toBe('crm-sync: 1 new record needs attention');
    expect(smtp.mails[1]?.text).toContain('contact hubspot 503');
    expect(smtp.mails[1]?.text).not.toContain('501');
    expect(smtp.mails[1]?.text).toContain('3 held in all');

    clock += 10 * minute;
    await store.clearErrors('contact', 'hubspot', '501');
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails).toHaveLength(2);

    clock += 10 * minute;
    await hold({ recordId: '501' });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(subjects()[2]).toBe('crm-sync: 1 new record needs attention');
    expect(smtp.mails[2]?.text).toContain('contact hubspot 501');
    expect(chat.posts).toHaveLength(3);
  });

  it('after a restart, leaves out the records first seen before the service started', async () => {
    await hold({ recordId: '601' });
    clock += 5 * minute;
    const { alerter } = alerterFor(bothChannels());
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails).toHaveLength(0);
    clock += 10 * minute;
    await hold({ recordId: '601' });
    await hold({ recordId: '602' });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.text).toContain('contact hubspot 602');
    expect(smtp.mails[0]?.text).not.toContain('601');
  });

  it('waits for the retry of a failed read or write before naming it', async () => {
    const { alerter } = alerterFor(bothChannels());
    await hold({ recordId: '701', field: '*', rule: 'write-failed', fixIn: null });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails).toHaveLength(0);
    clock += 10 * minute;
    await hold({ recordId: '701', field: '*', rule: 'write-failed', fixIn: null });
    await alerter.afterRun(cycle(3), await store.errors());
    expect(smtp.mails[0]?.text).toContain(
      'contact hubspot 701: field *, rule write-failed; see crm-sync status',
    );
  });

  it('lists the first ten records and counts the rest', async () => {
    const { alerter } = alerterFor(bothChannels());
    for (let index = 0; index < 12; index += 1) await hold({ recordId: String(800 + index) });
    await alerter.afterRun(cycle(3), await store.errors());
    const text = smtp.mails[0]?.text ?? '';
    expect(text).toContain('By rule: INVALID_EMAIL 12\n');
    expect(text).toContain('contact hubspot 809');
    expect(text).not.toContain('contact hubspot 810');
    expect(text).toContain('and 2 more');
  });

  it('never sends personal data: no emails, names or phone numbers from messages, related records or failures', async () => {
    const config = bothChannels();
    const { alerter } = alerterFor(config);
    const teams = alerterFor({ ...config, email: null, chat: { url: chat.url, format: 'teams' } }).alerter;
    await hold({
      recordId: '901',
      message: 'HubSpot refused email "kari.nordmann@example.no" of Kari Nordmann (+47 912 34 567)',
      related: 'hubspot kari.nordmann@example.no',
    });
    await hold({ recordId: 'ola.hansen@example.no', field: 'Ola Hansen', rule: 'already-exists' });
    const failed = cycle(1, 'incremental', 'Business NXT refused ola.hansen@example.no for +47 912 34 567');
    await alerter.afterRun(failed, await store.errors());
    await teams.afterRun(failed, await store.errors());
    const sent = [
      ...smtp.mails.map((mail) => `${mail.subject}\n${mail.text}`),
      ...chat.posts.map((post) => JSON.stringify(post.body)),
    ];
    expect(sent).toHaveLength(3);
    for (const text of sent) {
      expect(text).toContain('901');
      expect(text).not.toMatch(/kari|nordmann|ola\.hansen|Ola Hansen|@example\.no|912 34 567/iu);
    }
  });
});

describe('alert channels', () => {
  it('posts Teams an Adaptive Card with a link to the console', async () => {
    const config = bothChannels({ CRM_SYNC_ALERT_WEBHOOK_FORMAT: 'teams' });
    const { alerter } = alerterFor({ ...config, email: null });
    await alerter.afterRun(cycle(1), []);
    expect(chat.posts).toHaveLength(1);
    expect(chat.posts[0]?.body).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            body: expect.arrayContaining([
              expect.objectContaining({ type: 'TextBlock', text: 'crm-sync: cycle failed' }),
            ]),
            actions: [{ type: 'Action.OpenUrl', url: 'https://sync.example.no/console' }],
          },
        },
      ],
    });
  });

  it('keeps sending by the channels that work when one is down, and never throws', async () => {
    const config = bothChannels({
      CRM_SYNC_ALERT_SMTP_URL: `smtp://crm-sync:secret@127.0.0.1:${await closedPort()}`,
    });
    const { alerter, lines } = alerterFor(config);
    await expect(alerter.afterRun(cycle(1), [])).resolves.toBeUndefined();
    expect(chat.posts).toHaveLength(1);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, channel: 'email via 127.0.0.1' }));

    chat.answerWith({ status: 500, body: 'internal error' });
    const second = alerterFor({ ...bothChannels(), consoleUrl: null });
    await expect(second.alerter.afterRun(cycle(1), [])).resolves.toBeUndefined();
    expect(smtp.mails).toHaveLength(1);
    expect(second.lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        channel: expect.stringMatching(/^slack webhook at 127\.0\.0\.1:/u),
      }),
    );
  });

  it('gives up on a webhook that never answers, and the email still goes', async () => {
    chat.answerWith('hang');
    const config = bothChannels();
    const { logger, lines } = capturingLogger();
    const channels = [
      createEmailChannel(config.email as EmailAlertSettings),
      createChatWebhookChannel(config.chat as ChatAlertSettings, { timeoutMs: 300 }),
    ];
    const alerter = createAlerter({ config, channels, logger, now });
    await expect(alerter.afterRun(cycle(1), [])).resolves.toBeUndefined();
    expect(smtp.mails).toHaveLength(1);
    expect(lines.some((line) => line.level === 40 && /slack webhook/u.test(line.channel ?? ''))).toBe(true);
  });

  it('does not retry a failed channel before its wait is over, then delivers what it held back in order', async () => {
    chat.answerWith({ status: 503, body: 'busy' });
    const { alerter } = alerterFor({ ...bothChannels(), email: null });
    await hold({ recordId: '1001' });
    await alerter.afterRun(cycle(1), await store.errors());
    expect(chat.posts).toHaveLength(1);

    chat.answerWith({ status: 200, body: 'ok' });
    clock += 30_000;
    await alerter.tick();
    await alerter.afterRun(cycle(0), await store.errors());
    expect(chat.posts).toHaveLength(1);

    clock += 31_000;
    await alerter.tick();
    expect(
      chatTexts()
        .slice(1)
        .map((text) => text.split('\n')[0]),
    ).toEqual(['*crm-sync: cycle failed; 1 new record needs attention*', '*crm-sync: syncing again*']);
    await alerter.tick();
    expect(chat.posts).toHaveLength(3);
  });

  it('logs once that alerts are off when no channel is configured, and sends nothing', async () => {
    const { logger, lines } = capturingLogger();
    const alerter = createAlerter({ config: configFrom({}), logger, now });
    expect(alerter.enabled).toBe(false);
    await alerter.afterRun(cycle(1), []);
    clock += 24 * 60 * minute;
    await alerter.tick();
    expect(lines.filter((line) => /alerts are off/u.test(line.msg))).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(smtp.mails).toHaveLength(0);
    expect(chat.posts).toHaveLength(0);
  });
});
