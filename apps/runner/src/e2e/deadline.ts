import type { ChildProcess } from 'node:child_process';

/**
 * Time limits for the steps of a test, so a step that never finishes fails by itself, naming what it waited for,
 * long before the test's own timeout: a condition polled with a deadline instead of a bare loop, and a CLI run
 * that is killed if it outlives its budget. The budgets are for a machine several times slower than a developer's.
 */

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until it holds; throws naming `what` when `withinMs` has passed first. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  withinMs: number,
  everyMs = 2,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${withinMs / 1000} s waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * `promise` (a CLI run being awaited), or an error naming `what` once `withinMs` has passed; `child`, if given, is
 * then killed so it does not outlive the test.
 */
export async function within<T>(
  promise: Promise<T>,
  what: string,
  withinMs: number,
  child?: ChildProcess,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child?.kill('SIGKILL');
      reject(new Error(`${what} did not finish within ${withinMs / 1000} s`));
    }, withinMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
