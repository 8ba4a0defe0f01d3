import { describe, expect, it } from 'vitest';
import type { LeadershipSession } from '../../state/postgres/leadership-session.js';
import { watchSession } from './session-watch.js';

/** A session whose pings answer as `answers` says, one by one; `end` ends its connection. */
function fakeSession(answers: Array<'ok' | Error>) {
  let end: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    end = resolve;
  });
  let pings = 0;
  const session = {
    lost,
    async ping() {
      const answer = answers[pings] ?? 'ok';
      pings += 1;
      if (answer !== 'ok') throw answer;
    },
  } as unknown as LeadershipSession;
  return { session, end, pings: () => pings };
}

describe('the leader’s keepalive', () => {
  it('reports the first keepalive that fails, with its reason, and pings no more', async () => {
    const fake = fakeSession(['ok', 'ok', new Error('Query read timeout')]);
    const watch = watchSession(fake.session, 1);
    expect(await watch.lost).toBe('the keepalive query failed: Query read timeout');
    expect(fake.pings()).toBe(3);
    watch.stop();
  });

  it('reports the session’s own end at once', async () => {
    const fake = fakeSession([]);
    const watch = watchSession(fake.session, 60_000);
    fake.end('the leadership connection failed: terminating connection due to administrator command');
    expect(await watch.lost).toBe(
      'the leadership connection failed: terminating connection due to administrator command',
    );
    watch.stop();
    expect(fake.pings()).toBe(0);
  });
});
