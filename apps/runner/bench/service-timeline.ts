import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

/** One request, as offsets in epoch ms: the service's to an API, or a webhook delivery it answered. */
interface Span {
  readonly label: string;
  readonly startedAt: number;
  endedAt: number | null;
}

/**
 * Where a burst's time goes, request by request (`CRM_SYNC_BENCH_TIMELINE=1`): the service's API requests, as
 * Node's fetch reports them on its diagnostics channels (undici's `undici:request:*`), and the webhook deliveries
 * the service answered (`http.server.response.finish`: answered means stored in the inbox). Costs nothing when off.
 */
export function createTimeline(enabled: boolean) {
  const requests: Span[] = [];
  const deliveries: Array<{ readonly system: string; readonly at: number }> = [];
  if (enabled) {
    const open = new WeakMap<object, Span>();
    subscribe('undici:request:create', (message) => {
      const { request } = message as { request: { method: string; path: string } };
      const span = { label: `${request.method} ${request.path}`, startedAt: Date.now(), endedAt: null };
      open.set(request, span);
      requests.push(span);
    });
    subscribe('undici:request:trailers', (message) => {
      const span = open.get((message as { request: object }).request);
      if (span !== undefined) span.endedAt = Date.now();
    });
    subscribe('http.server.response.finish', (message) => {
      const { request } = message as { request: IncomingMessage };
      const system = /^\/webhooks\/([a-z-]+)/u.exec(request.url ?? '')?.[1];
      if (system !== undefined) deliveries.push({ system, at: Date.now() });
    });
  }
  return {
    /**
     * The lines from `from` (epoch ms) on: per system, the deliveries answered in each tenth of a second (echoes of
     * the sync's writes included), then each API request with its duration.
     */
    describe(from: number): string[] {
      if (!enabled) return [];
      const at = (ms: number) => `${((ms - from) / 1000).toFixed(3)} s`;
      const lines: string[] = [];
      for (const system of new Set(deliveries.map((delivery) => delivery.system))) {
        const tenths: number[] = [];
        for (const delivery of deliveries)
          if (delivery.system === system && delivery.at >= from) {
            const tenth = Math.floor((delivery.at - from) / 100);
            tenths[tenth] = (tenths[tenth] ?? 0) + 1;
          }
        lines.push(
          `${system} deliveries answered per 0.1 s: ${Array.from(tenths, (count) => count ?? 0).join(' ')}`,
        );
      }
      for (const span of requests.filter((request) => request.startedAt >= from))
        lines.push(
          `${at(span.startedAt)}–${span.endedAt === null ? '?' : at(span.endedAt)} ${span.label.slice(0, 60)}`,
        );
      return lines;
    },
  };
}
