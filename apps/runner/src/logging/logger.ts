import { type DestinationStream, destination, type Logger, pino } from 'pino';
import { maskPersonalData } from './mask.js';

export interface LoggerOptions {
  /** `debug`, `info` (default), `warn`, `error`. */
  readonly level?: string | undefined;
  /** Log emails and phone numbers as they are (`--log-personal-data`); masked by default. */
  readonly logPersonalData?: boolean | undefined;
  /** Where the JSON lines go; default stderr, so stdout stays for the report. */
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
  return pino(
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
    options.destination ?? destination(2),
  );
}
