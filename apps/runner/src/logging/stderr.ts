import { type DestinationStream, destination, type Logger } from 'pino';

/**
 * stderr carries the JSON log lines. On a terminal it also carries the progress line of a long cycle. Both go
 * through this module, so a log line is never glued to a progress line:
 *
 * - Not a terminal (a file, a pipe, journald, CI): every logger of the process shares one pino destination on
 *   fd 2. Progress is logged through the process's stderr logger as JSON lines too (see `createProgress`), so the
 *   stream holds JSON lines only.
 * - A terminal: log lines are written synchronously through `process.stderr`. If a progress line is drawn, it is
 *   cleared first and drawn again after the log line.
 */

interface DrawnLine {
  readonly stream: NodeJS.WritableStream;
  readonly text: string;
}

const clearLine = '\r\u001b[2K';
let drawn: DrawnLine | null = null;

/** The one line a terminal shows in place (the progress bar): drawn, redrawn and cleared through here. */
export const terminalLine = {
  draw(stream: NodeJS.WritableStream, text: string): void {
    stream.write(`${clearLine}${text}`);
    drawn = { stream, text };
  },
  clear(stream: NodeJS.WritableStream): void {
    if (drawn?.stream !== stream) return;
    stream.write(clearLine);
    drawn = null;
  },
};

/** A log destination for a terminal: each log line on a line of its own, the progress line drawn again below it. */
export function terminalDestination(stream: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      if (drawn?.stream === stream) stream.write(`${clearLine}${line}${drawn.text}`);
      else stream.write(line);
    },
  };
}

let shared: DestinationStream | undefined;

/** Where the process's log lines go when no destination is given: stderr, shared by every logger. */
export function stderrDestination(): DestinationStream {
  shared ??= process.stderr.isTTY === true ? terminalDestination(process.stderr) : destination(2);
  return shared;
}

let current: Logger | undefined;

/** Records the logger that writes to stderr (`createLogger` without a destination), for progress to log through. */
export function useAsStderrLogger(logger: Logger): void {
  current = logger;
}

/** The newest logger that writes to stderr, if one was created. */
export function stderrLogger(): Logger | undefined {
  return current;
}
