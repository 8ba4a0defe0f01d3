import { createHmac, randomUUID } from 'node:crypto';
import { postWebhook } from '../shared/webhook-post.js';

export interface WebhookTarget {
  readonly url: string;
  /** The signature key shown once in the Developer Portal. */
  readonly secret: string;
}

export interface TableChangeNotice {
  readonly event: 'INSERT' | 'UPDATE' | 'DELETE';
  readonly associateNo: number;
  readonly companyNo: number;
  readonly timestamp: string;
}

const maxAttempts = 6;

/**
 * Posts a signed `TableChange` for every write to each target, retrying with exponential backoff on failure or
 * a non-2xx answer (https://docs.vismasoftware.no/businessnxtapi/webhooks). Primary-key names are PascalCase, as
 * public receivers see them, so receivers' normalisation gets exercised.
 */
export function createWebhookSender(initial: readonly WebhookTarget[], random: () => number) {
  const targets = [...initial];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const delivered: Array<{ url: string; attempts: number; ok: boolean }> = [];

  const send = (target: WebhookTarget, body: string, attempt: number): void => {
    if (stopped) return;
    const signature = createHmac('sha256', target.secret).update(body).digest('base64');
    postWebhook(
      target.url,
      body,
      {
        'content-type': 'application/json',
        'x-vwd-signature-v1': signature,
        'x-vwd-event-id': randomUUID(),
        'x-vwd-webhook-timestamp': new Date().toISOString(),
      },
      30_000,
    )
      .then((status) => {
        if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
        delivered.push({ url: target.url, attempts: attempt + 1, ok: true });
      })
      .catch(() => {
        if (attempt + 1 >= maxAttempts) {
          delivered.push({ url: target.url, attempts: attempt + 1, ok: false });
          return;
        }
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            send(target, body, attempt + 1);
          },
          100 * 2 ** attempt * (0.5 + random()),
        );
        timers.add(timer);
      });
  };

  return {
    notify(change: TableChangeNotice): void {
      const body = JSON.stringify({
        tableIdentifier: 'Associate',
        customerNo: 0,
        companyNo: change.companyNo,
        primaryKeys: [{ AssociateNo: change.associateNo }],
        event: change.event,
        timestamp: change.timestamp,
      });
      for (const target of targets) send(target, body, 0);
    },
    add(target: WebhookTarget): void {
      targets.push(target);
    },
    delivered,
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
