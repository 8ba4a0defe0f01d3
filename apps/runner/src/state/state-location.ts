/**
 * What `CRM_SYNC_STATE` names: a SQLite file, or a PostgreSQL database by URL
 * (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING-URIS). A URL may carry a password, so
 * every message names the location through `describeStateLocation`, never the raw text.
 */
export type StateLocationKind = 'sqlite' | 'postgres';

const postgresScheme = /^postgres(?:ql)?:\/\//iu;
const masked = '***';

export function stateLocationKind(location: string): StateLocationKind {
  return postgresScheme.test(location.trim()) ? 'postgres' : 'sqlite';
}

/**
 * The location as messages may show it: a path unchanged; a URL with the password in its user part and in a
 * `password=` parameter replaced by `***` (`postgres://sync:***@db.example.com/crm_sync`).
 */
export function describeStateLocation(location: string): string {
  if (stateLocationKind(location) === 'sqlite') return location;
  try {
    const url = new URL(location.trim());
    if (url.password !== '') url.password = masked;
    if (url.searchParams.has('password')) url.searchParams.set('password', masked);
    return url.toString();
  } catch {
    // Not a URL the WHATWG parser reads: mask everything between the user name and the host, and parameters.
    return location
      .trim()
      .replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/iu, `$1:${masked}@`)
      .replace(/([?&]password=)[^&]*/iu, `$1${masked}`);
  }
}

/** The server and database a PostgreSQL URL names, for messages: `db.example.com:5432, database crm_sync`. */
export function describePostgresTarget(location: string): string {
  try {
    const url = new URL(location.trim());
    const host = url.searchParams.get('host') ?? (url.hostname || 'localhost');
    const port = url.port || url.searchParams.get('port') || '5432';
    const database = decodeURIComponent(url.pathname.replace(/^\//u, '')) || '(the user name)';
    return `host ${host}:${port}, database ${database}`;
  } catch {
    return 'a URL that cannot be read';
  }
}

/** The secrets a PostgreSQL URL carries, to scrub them from a driver's error messages. */
export function stateLocationSecrets(location: string): string[] {
  if (stateLocationKind(location) === 'sqlite') return [];
  try {
    const url = new URL(location.trim());
    return [url.password, decodeURIComponent(url.password), url.searchParams.get('password') ?? ''].filter(
      (secret) => secret.length > 0,
    );
  } catch {
    return [];
  }
}

/** `text` (a driver's message) with every secret of `location` replaced by `***`. */
export function withoutSecrets(text: string, location: string): string {
  let masked = text;
  for (const secret of stateLocationSecrets(location)) masked = masked.split(secret).join('***');
  return masked;
}
