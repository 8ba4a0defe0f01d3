import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './http.js';

/** Failures a simulator injects, at a seeded rate, to test clients the way real networks and APIs fail them. */
export const faultKinds = [
  '429',
  '423',
  '477',
  '500',
  '502',
  '503',
  'timeout',
  'reset',
  'malformed-json',
  'reset-after-write',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * Faults drawn only when `kinds` names them. `reset-after-write` carries a write out and then resets the
 * connection instead of answering (the answer lost on the way back); drawn for a read, it leaves the read alone.
 */
const optInKinds: readonly FaultKind[] = ['reset-after-write'];

export interface FaultSettings {
  /** Share of API requests that fail, 0 to 1. Default 0. */
  readonly rate: number;
  /** Which failures to draw from. Default: all that the simulator's API has, except `reset-after-write`. */
  readonly kinds?: readonly FaultKind[] | undefined;
  /** How long a `timeout` fault hangs before the connection is dropped. Default 120 s. */
  readonly timeoutMs?: number | undefined;
}

export function createFaults(settings: FaultSettings, random: () => number, available: readonly FaultKind[]) {
  let current = settings;
  return {
    /** The fault for the next request, if one is drawn. */
    draw(): FaultKind | null {
      if (current.rate <= 0 || random() >= current.rate) return null;
      const kinds =
        current.kinds && current.kinds.length > 0
          ? current.kinds
          : available.filter((kind) => !optInKinds.includes(kind));
      return kinds[Math.floor(random() * kinds.length)] ?? null;
    },
    set(next: FaultSettings): void {
      current = next;
    },
    get settings(): FaultSettings {
      return current;
    },
  };
}

/**
 * The failures that look the same from any API: an HTML error page (5xx, or a status without an API body), a
 * connection that hangs until it is dropped, a reset, and a JSON body cut off midway. API-shaped answers (a 429
 * with the API's own body) are the simulator's to send.
 */
export function injectTransportFault(
  kind: Exclude<FaultKind, '429' | 'reset-after-write'>,
  request: IncomingMessage,
  response: ServerResponse,
  settings: FaultSettings,
  truncatedJson: string,
): void {
  switch (kind) {
    case 'timeout': {
      const timer = setTimeout(() => request.socket.destroy(), settings.timeoutMs ?? 120_000);
      request.socket.once('close', () => clearTimeout(timer));
      return;
    }
    case 'reset':
      request.socket.destroy();
      return;
    case 'malformed-json':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(truncatedJson);
      return;
    default:
      sendText(response, Number(kind), `<html><body><h1>${kind}</h1></body></html>`, 'text/html');
  }
}

/**
 * `reset-after-write`: lets the request be carried out, then resets the connection where its answer would be
 * written. The client cannot tell whether the write was applied (it was).
 */
export function dropAnswer(request: IncomingMessage, response: ServerResponse): void {
  const reset = () => {
    request.socket.destroy();
    return response;
  };
  response.writeHead = reset as unknown as ServerResponse['writeHead'];
  response.write = (() => true) as unknown as ServerResponse['write'];
  response.end = reset as unknown as ServerResponse['end'];
}
