import type Database from 'libsql';

// Statements with an `IN (?, ?, …)` list differ by their length; past this many the cache starts again.
const maxCached = 256;

/**
 * The SQLite stores' statements, prepared once per SQL text: preparing costs about as much as running a
 * one-row statement, and a burst runs the per-record ones (a fingerprint merge, an inbox insert) thousands of times.
 */
export function preparedStatements(db: Database.Database): (sql: string) => Database.Statement {
  const prepared = new Map<string, Database.Statement>();
  return (sql) => {
    let found = prepared.get(sql);
    if (found === undefined) {
      if (prepared.size >= maxCached) prepared.clear();
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
}
