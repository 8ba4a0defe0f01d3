import type { Logger } from 'pino';
import type { AlertChannel, AlertMessage } from './alert-message.js';

export interface DeliveryOptions {
  readonly logger: Logger;
  readonly now: () => Date;
  /** The wait after a channel's first failure; it doubles with each further one, up to `maxRetryMs`. */
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Messages a channel that is down holds at most; older ones are dropped (and logged). */
  readonly queueLimit?: number;
}

interface ChannelState {
  readonly channel: AlertChannel;
  readonly queue: AlertMessage[];
  retryAt: number;
  backoffMs: number;
  busy: boolean;
}

/**
 * Hands each alert to every channel, independently: a channel that fails or times out is logged and never stops the
 * others, and nothing here throws. A failed message waits in that channel's queue, in order, and is tried again no
 * sooner than the backoff (1 minute, doubling to an hour): at most one attempt per channel per wait, never a storm.
 */
export function createDelivery(channels: readonly AlertChannel[], options: DeliveryOptions) {
  const { logger, now } = options;
  const firstRetryMs = options.firstRetryMs ?? 60_000;
  const maxRetryMs = options.maxRetryMs ?? 3_600_000;
  const queueLimit = options.queueLimit ?? 20;
  const states: ChannelState[] = channels.map((channel) => ({
    channel,
    queue: [],
    retryAt: 0,
    backoffMs: 0,
    busy: false,
  }));

  async function pump(state: ChannelState): Promise<void> {
    if (state.busy || now().getTime() < state.retryAt) return;
    state.busy = true;
    try {
      while (state.queue.length > 0) {
        const message = state.queue[0] as AlertMessage;
        try {
          await state.channel.send(message);
        } catch (error) {
          state.backoffMs = Math.min(maxRetryMs, state.backoffMs === 0 ? firstRetryMs : state.backoffMs * 2);
          state.retryAt = now().getTime() + state.backoffMs;
          logger.warn(
            {
              channel: state.channel.name,
              subject: message.subject,
              queued: state.queue.length,
              err: reason(error),
            },
            `an alert could not be sent by ${state.channel.name}; trying again in ${Math.round(state.backoffMs / 1000)}s`,
          );
          return;
        }
        state.queue.shift();
        if (state.backoffMs > 0)
          logger.info({ channel: state.channel.name }, `alerts are delivered by ${state.channel.name} again`);
        state.backoffMs = 0;
        state.retryAt = 0;
      }
    } finally {
      state.busy = false;
    }
  }

  function enqueue(state: ChannelState, message: AlertMessage): void {
    state.queue.push(message);
    if (state.queue.length <= queueLimit) return;
    const dropped = state.queue.shift();
    logger.error(
      { channel: state.channel.name, subject: dropped?.subject },
      `${state.channel.name} has been failing for a while: the oldest held-back alert is dropped`,
    );
  }

  return {
    /** Sends to every channel (a channel that is waiting out a failure keeps the message for later). */
    async send(message: AlertMessage): Promise<void> {
      for (const state of states) enqueue(state, message);
      await Promise.all(states.map(pump));
    },
    /** Tries the channels whose wait is over again. */
    async retryDue(): Promise<void> {
      await Promise.all(states.filter((state) => state.queue.length > 0).map(pump));
    },
    close(): void {
      for (const state of states) {
        try {
          state.channel.close();
        } catch (error) {
          logger.warn(
            { channel: state.channel.name, err: reason(error) },
            'an alert channel did not close cleanly',
          );
        }
      }
    },
  };
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
