import type { LeadershipSession } from '../../state/postgres/leadership-session.js';

export interface SessionWatch {
  /** Resolves, saying why, when the session failed, ended or did not answer a keepalive in time. */
  readonly lost: Promise<string>;
  stop(): void;
}

/**
 * The leader's keepalive: a query on its dedicated session every `everyMs` (each failing after the session's
 * query timeout), and the session's own end or error, whichever comes first.
 */
export function watchSession(session: LeadershipSession, everyMs: number): SessionWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let markLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    markLost = resolve;
  });
  void session.lost.then(markLost);
  const tick = () => {
    session.ping().then(
      () => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      },
      (error: unknown) =>
        markLost(`the keepalive query failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  timer = setTimeout(tick, everyMs);
  return {
    lost,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
