/**
 * Versioned schema changes, applied in order, each once. Portable SQL only (TEXT, INTEGER, JSON as TEXT, no
 * SQLite-only features) so the same statements serve a PostgreSQL store.
 */
export const migrations: ReadonlyArray<{ readonly version: number; readonly statements: readonly string[] }> =
  [
    {
      version: 1,
      statements: [
        `CREATE TABLE links (
        entity TEXT NOT NULL,
        crm_id TEXT NOT NULL,
        associate_no INTEGER NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        fingerprints TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entity, crm_id)
      )`,
        'CREATE UNIQUE INDEX links_by_associate ON links (entity, associate_no)',
        'CREATE TABLE watermarks (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)',
        `CREATE TABLE intents (
        id TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        target TEXT NOT NULL,
        source_id TEXT NOT NULL,
        correlation_key TEXT NOT NULL,
        status TEXT NOT NULL,
        result_id TEXT,
        created_at TEXT NOT NULL,
        resolved_at TEXT
      )`,
        `CREATE TABLE conflicts (
        id TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        crm_id TEXT NOT NULL,
        associate_no INTEGER NOT NULL,
        field TEXT NOT NULL,
        reason TEXT NOT NULL,
        base_fingerprint TEXT,
        status TEXT NOT NULL,
        resolution TEXT,
        created_at TEXT NOT NULL,
        resolved_at TEXT
      )`,
        `CREATE TABLE record_errors (
        entity TEXT NOT NULL,
        system TEXT NOT NULL,
        record_id TEXT NOT NULL,
        field TEXT NOT NULL,
        rule TEXT NOT NULL,
        message TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        PRIMARY KEY (entity, system, record_id, field, rule)
      )`,
        `CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        mode TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        exit_code INTEGER,
        counts TEXT NOT NULL,
        api_calls TEXT NOT NULL
      )`,
        'CREATE TABLE locks (name TEXT PRIMARY KEY, holder_id TEXT NOT NULL, holder TEXT NOT NULL, expires_at TEXT NOT NULL)',
      ],
    },
    {
      version: 2,
      statements: [
        // The HubSpot account and Business NXT company the state belongs to, one row each, recorded once.
        'CREATE TABLE bindings (name TEXT PRIMARY KEY, value TEXT NOT NULL, bound_at TEXT NOT NULL)',
      ],
    },
    {
      version: 3,
      statements: [
        // Held records name the other record(s) involved and the system where a person should fix the cause.
        'ALTER TABLE record_errors ADD COLUMN related TEXT',
        'ALTER TABLE record_errors ADD COLUMN fix_in TEXT',
      ],
    },
  ];
