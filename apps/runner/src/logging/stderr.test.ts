import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../output/progress.js';
import { createLogger } from './logger.js';
import { stderrLogger, terminalDestination } from './stderr.js';

/** A stream that records each write, as a terminal (`isTTY`) or not. */
function recording(isTTY: boolean) {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      writes.push(String(chunk));
      callback();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { writes, stream: stream as unknown as NodeJS.WriteStream };
}

const contacts = (read: number, total: number | null = null) =>
  ({ entity: 'contact', side: 'visma-nxt', read, total }) as const;

describe('on a terminal', () => {
  it('prints a log line on a line of its own above the progress line, and draws the progress again below it', () => {
    const { writes, stream } = recording(true);
    const logger = createLogger({ destination: terminalDestination(stream) });
    logger.warn('before any progress');
    const progress = createProgress(stream, () => 0);
    progress.update(contacts(10, 40));
    logger.warn({ associateNo: 10001 }, 'a warning while the bar is drawn');
    progress.done();
    logger.warn('after the progress');

    const [before, bar, during, cleared, after] = writes;
    expect(writes).toHaveLength(5);
    expect(JSON.parse(before ?? '')).toMatchObject({ msg: 'before any progress' });
    expect(bar).toBe('\r\u001b[2Kcontacts · Business NXT: [######------------------] 10/40');
    // Cleared, the log line whole with its newline, then the bar again.
    const redrawn = '\r\u001b[2K';
    expect(during?.startsWith(redrawn)).toBe(true);
    const [logLine, rest] = (during ?? '').slice(redrawn.length).split('\n');
    expect(JSON.parse(logLine ?? '')).toMatchObject({
      msg: 'a warning while the bar is drawn',
      associateNo: 10001,
    });
    expect(rest).toBe('contacts · Business NXT: [######------------------] 10/40');
    expect(cleared).toBe('\r\u001b[2K');
    // Once the progress is done, log lines are written as they are.
    expect(JSON.parse(after ?? '')).toMatchObject({ msg: 'after the progress' });
  });
});

describe('not on a terminal', () => {
  it('logs progress through the given logger as JSON lines, with a progress field and no bar', () => {
    const { writes, stream } = recording(false);
    const logged = recording(false);
    const logger = createLogger({ destination: logged.stream });
    let clock = 0;
    const progress = createProgress(stream, () => clock, logger);
    progress.update(contacts(100));
    progress.update({ entity: 'contact', side: 'links', read: 5, total: null });
    clock = 6000;
    progress.update({ entity: 'contact', side: 'links', read: 8, total: null });
    progress.done();
    expect(writes).toEqual([]);
    expect(logged.writes.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'contacts · Business NXT: 100 read',
        progress: { entity: 'contact', side: 'visma-nxt', read: 100, total: null },
      }),
      expect.objectContaining({
        level: 30,
        msg: 'contacts · links checked: 8 read',
        progress: { entity: 'contact', side: 'links', read: 8, total: null },
      }),
    ]);
  });

  it('logs nothing of the progress when the logger is set above info', () => {
    const logged = recording(false);
    const progress = createProgress(
      recording(false).stream,
      () => 0,
      createLogger({ level: 'warn', destination: logged.stream }),
    );
    progress.update(contacts(3));
    progress.done();
    expect(logged.writes).toEqual([]);
  });

  it('makes a logger created without a destination the one progress on stderr goes through', () => {
    const logger = createLogger({ level: 'silent' });
    expect(stderrLogger()).toBe(logger);
    createLogger({ destination: recording(false).stream });
    expect(stderrLogger()).toBe(logger);
  });
});
