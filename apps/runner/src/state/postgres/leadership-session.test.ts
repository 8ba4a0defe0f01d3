import { afterEach, beforeEach, expect, it } from 'vitest';
import { dropDatabase, freshDatabase } from '../../test-support/postgres-server.js';
import { describeWithPostgres } from '../../test-support/state-backends.js';
import { type LeadershipSession, openLeadershipSession } from './leadership-session.js';

describeWithPostgres('the leadership’s dedicated session', () => {
  let url: string;
  const opened: LeadershipSession[] = [];
  const open = async () => {
    const session = await openLeadershipSession(url, 2_000);
    opened.push(session);
    return session;
  };

  beforeEach(async () => {
    url = await freshDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((session) => session.close()));
    await dropDatabase(url);
  });

  it('holds the advisory lock alone until it closes, with the server’s keepalives shortened', async () => {
    const first = await open();
    const second = await open();
    expect(await first.tryLock()).toBe(true);
    expect(await second.tryLock()).toBe(false);
    const settings = await first.client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
       WHERE name IN ('tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout')
       ORDER BY name`,
    );
    expect(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]))).toEqual({
      tcp_keepalives_count: '3',
      tcp_keepalives_idle: '1',
      tcp_keepalives_interval: '1',
      tcp_user_timeout: '5000',
    });
    await first.ping();
    await first.close();
    expect(await first.lost).toBe('the leadership connection ended');
    expect(await second.tryLock()).toBe(true);
  });
});
