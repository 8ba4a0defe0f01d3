import type { Logger } from 'pino';
import type { StopSignal } from '../engine/report.js';

/**
 * SIGINT and SIGTERM stop a cycle cleanly: the first asks the engine to finish the work in flight, commit it and
 * stop (the report says interrupted, the exit code is 130 / 143); a second one stops the process at once, which
 * is as safe as a crash (intents settle interrupted creates on the next run). Dispose when the command is done.
 */
export function stopOnSignals(logger: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: StopSignal) => {
    if (controller.signal.aborted) {
      logger.warn({ signal: name }, 'second signal: stopping now');
      process.exit(name === 'SIGTERM' ? 143 : 130);
    }
    logger.warn(
      { signal: name },
      `${name}: finishing the work in flight, then stopping (send it again to stop at once)`,
    );
    controller.abort(name);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
