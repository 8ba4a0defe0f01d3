import { metricPrefix, type ServiceMetrics, type WebhookOutcome } from '../../serve/metrics.js';

/** Webhook deliveries the service counted since it started, per system: outcome → count (only those seen). */
export type WebhookDeliveries = Readonly<
  Record<'hubspot' | 'visma-nxt', Readonly<Partial<Record<WebhookOutcome, number>>>>
>;

/**
 * Reads `crm_sync_webhook_deliveries_total` from the service's registry
 * (https://github.com/siimon/prom-client#usage: `registry.getSingleMetric(name).get()`); `null` without the service.
 */
export async function webhookDeliveries(
  metrics: Pick<ServiceMetrics, 'registry'> | undefined,
): Promise<WebhookDeliveries | null> {
  const metric = metrics?.registry.getSingleMetric(`${metricPrefix}webhook_deliveries_total`);
  if (metric === undefined) return null;
  const counted: Record<'hubspot' | 'visma-nxt', Partial<Record<WebhookOutcome, number>>> = {
    hubspot: {},
    'visma-nxt': {},
  };
  for (const sample of (await metric.get()).values) {
    const system = sample.labels.system;
    const outcome = sample.labels.outcome as WebhookOutcome | undefined;
    if ((system === 'hubspot' || system === 'visma-nxt') && outcome !== undefined && sample.value > 0)
      counted[system][outcome] = sample.value;
  }
  return counted;
}
