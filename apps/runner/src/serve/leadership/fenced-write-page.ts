import type { ErrorHandler } from 'hono';
import type { Logger } from 'pino';
import type { ConsoleEnv } from '../../console/console-env.js';
import { refusalPage } from '../../console/layout.js';
import { FencedError } from '../../state/postgres/fencing.js';

/**
 * The service's answer to a request that threw. A write the state refused (on the standby, a console action: it
 * runs the engine, which writes the state) is a 503 page saying so and naming the leader, whose console does it;
 * anything else is Hono's default answer (an HTTPException's own response, else 500), logged
 * (https://hono.dev/docs/api/hono#error-handling).
 */
export function serviceErrorHandler(logger: Pick<Logger, 'error'>): ErrorHandler<ConsoleEnv> {
  return (error, context) => {
    if (error instanceof FencedError)
      return context.html(
        refusalPage('Not on this instance', `${error.message}.`, context.get('signedIn') ?? null),
        503,
      );
    if ('getResponse' in error) return error.getResponse();
    logger.error({ err: error, path: context.req.path }, 'a request failed');
    return context.text('Internal Server Error', 500);
  };
}
