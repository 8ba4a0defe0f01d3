import type { Logger } from 'pino';
import type { CycleReport } from '../../engine/report.js';
import { alertChannelsFor } from './alert-channels.js';
import type { AlertConfig } from './alert-config.js';
import type { AlertChannel, AlertSection } from './alert-message.js';
import { createAttentionMemory } from './attention-memory.js';
import {
  failedSection,
  formatDuration,
  type HeldRecord,
  heldSection,
  recordsNeed,
  recoveredSection,
  staleSection,
} from './compose-alerts.js';
import { createDelivery, type DeliveryOptions } from './delivery.js';

export interface AlerterOptions {
  readonly config: AlertConfig;
  /** Where alerts go; default: the channels `config` names. None: alerts are off. */
  readonly channels?: readonly AlertChannel[];
  readonly logger: Logger;
  readonly now?: () => Date;
  /**
   * When this service started (default: `now()` at creation). Held records first seen before it are taken as
   * alerted already, by an earlier run of the service, or before alerts were set up: `crm-sync status` shows them.
   */
  readonly startedAt?: Date;
  /** The channels' retry waits (delivery.ts). */
  readonly retry?: Pick<DeliveryOptions, 'firstRetryMs' | 'maxRetryMs'>;
}

export interface Alerter {
  readonly enabled: boolean;
  /**
   * After every run of the service (scheduled cycle or targeted sync), with `await store.errors()` read after it: the
   * whole list, since a record missing from it has recovered and may alert again later. Sends at most one message.
   * Never throws; resolves once every channel answered or gave up (10 s a message), so it need not be awaited.
   */
  afterRun(report: CycleReport, heldRecords: readonly HeldRecord[]): Promise<void>;
  /** Periodically (every minute suits): the "nothing synced" alert, and the retries of a channel that was down. */
  tick(): Promise<void>;
  close(): void;
}

const disabled: Alerter = { enabled: false, afterRun: async () => {}, tick: async () => {}, close: () => {} };

/**
 * Decides when to alert (docs/CONFIGURATION.md, "Alerts"): a scheduled cycle failed (once per failure streak, then
 * "syncing again" when one succeeds); no scheduled cycle succeeded for `staleAfterMs` (once, until one does); new
 * held records (each record, field and rule once while it stays held: attention-memory.ts). All kept in memory.
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const channels = options.channels ?? alertChannelsFor(config);
  if (channels.length === 0) {
    logger.info(
      'alerts are off: set CRM_SYNC_ALERT_SMTP_URL (with _EMAIL_FROM and _EMAIL_TO) or CRM_SYNC_ALERT_WEBHOOK_URL to get them',
    );
    return disabled;
  }
  const delivery = createDelivery(channels, { logger, now, ...options.retry });
  const startedAt = options.startedAt ?? now();
  logger.info(
    { channels: channels.map((channel) => channel.name), staleAfter: formatDuration(config.staleAfterMs) },
    `alerts are on: ${channels.map((channel) => channel.name).join(', ')}`,
  );

  let failingSince: string | null = null;
  let lastFailure: string | null = null;
  let lastSuccess = { at: startedAt, startOfService: true };
  let staleSince: string | null = null;
  const attention = createAttentionMemory(startedAt);

  function staleCheck(at: Date): AlertSection | null {
    if (staleSince !== null || at.getTime() - lastSuccess.at.getTime() < config.staleAfterMs) return null;
    staleSince = lastSuccess.at.toISOString();
    return staleSection({ ...lastSuccess, at: staleSince }, config.staleAfterMs, lastFailure);
  }

  /** A scheduled cycle's outcome: the failure streak and the last success. */
  function cycleOutcome(report: CycleReport, at: Date): { section: AlertSection; subject: string } | null {
    if (report.mode === 'targeted' || report.interrupted !== null) return null;
    if (report.exitCode === 1) {
      lastFailure = report.failure ?? 'no reason was recorded';
      if (failingSince !== null) return null;
      failingSince = report.startedAt;
      return { section: failedSection(report), subject: 'cycle failed' };
    }
    if (report.exitCode !== 0 && report.exitCode !== 3) return null;
    const recovered =
      failingSince !== null || staleSince !== null
        ? recoveredSection(report, failingSince, staleSince)
        : null;
    failingSince = null;
    staleSince = null;
    lastFailure = null;
    lastSuccess = { at, startOfService: false };
    return recovered === null ? null : { section: recovered, subject: 'syncing again' };
  }

  async function send(subjects: string[], sections: AlertSection[], at: Date): Promise<void> {
    if (sections.length === 0) return;
    const message = {
      subject: `crm-sync: ${subjects.join('; ')}`,
      sections,
      link: config.consoleUrl,
      at: at.toISOString(),
    };
    await delivery.send(message);
  }

  function decideAfterRun(report: CycleReport, heldRecords: readonly HeldRecord[]): Promise<void> {
    const at = now();
    const subjects: string[] = [];
    const sections: AlertSection[] = [];
    const outcome = cycleOutcome(report, at);
    if (outcome !== null) {
      subjects.push(outcome.subject);
      sections.push(outcome.section);
    }
    const stale = staleCheck(at);
    if (stale !== null) {
      subjects.push(`nothing synced for ${formatDuration(config.staleAfterMs)}`);
      sections.push(stale);
    }
    const fresh = attention.fresh(heldRecords);
    if (fresh.length > 0) {
      subjects.push(`${recordsNeed(fresh.length)} attention`);
      sections.push(heldSection(fresh, heldRecords.length));
    }
    return send(subjects, sections, at);
  }

  /** Nothing here should throw; if something does, it is logged: alerts never stop the service. */
  async function guarded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      logger.error({ err: error }, `alerts: ${what} failed unexpectedly; the service goes on`);
    }
  }

  return {
    enabled: true,
    afterRun: (report, heldRecords) =>
      report.dryRun ? Promise.resolve() : guarded('a run', () => decideAfterRun(report, heldRecords)),
    tick: () =>
      guarded('a tick', async () => {
        await delivery.retryDue();
        const at = now();
        const stale = staleCheck(at);
        if (stale !== null)
          await send([`nothing synced for ${formatDuration(config.staleAfterMs)}`], [stale], at);
      }),
    close() {
      delivery.close();
    },
  };
}
