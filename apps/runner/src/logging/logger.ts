import { type DestinationStream, type Logger, pino } from 'pino';
import { maskPersonalData } from './mask.js';
import { stderrDestination, useAsStderrLogger } from './stderr.js';

export interface LoggerOptions {
  /** `debug`, `info` (default), `warn`, `error`. */
  readonly level?: string | undefined;
  /** Log emails and phone numbers as they are (`--log-personal-data`); masked by default. */
  readonly logPersonalData?: boolean | undefined;
  /**
   * Where the JSON lines go. Default: stderr, so stdout stays for the report; one destination shared with the
   * progress of a cycle (see `stderr.ts`), and this logger becomes the one progress is logged through.
   */
  readonly destination?: DestinationStream | undefined;
}

// Keys whose values are secrets wherever they appear: replaced, never logged.
const secretKeys = [
  'accessToken',
  'access_token',
  'clientSecret',
  'client_secret',
  'hashKey',
  'authorization',
  'token',
  'password',
  'secret',
];

/**
 * Structured JSON logs (pino): secrets redacted by key at any depth, and personal data (emails, phone numbers)
 * masked in every logged value unless `logPersonalData` is set.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: null,
      redact: {
        paths: [
          ...secretKeys,
          ...secretKeys.map((key) => `*.${key}`),
          ...secretKeys.map((key) => `*.*.${key}`),
        ],
        censor: '[redacted]',
      },
      formatters: options.logPersonalData
        ? {}
        : { log: (object) => maskPersonalData(object) as Record<string, unknown> },
      hooks: options.logPersonalData
        ? {}
        : {
            logMethod(args, method) {
              method.apply(
                this,
                args.map((argument) =>
                  typeof argument === 'string' ? (maskPersonalData(argument) as string) : argument,
                ) as Parameters<typeof method>,
              );
            },
          },
    },
    options.destination ?? stderrDestination(),
  );
  if (options.destination === undefined) useAsStderrLogger(logger);
  return logger;
}
