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
    {
      version: 4,
      statements: [
        // What a cycle still owes: the contacts of customers it linked, stored with the link (docs/DESIGN.md §2).
        `CREATE TABLE owed_contacts (
          crm_company_id TEXT NOT NULL,
          customer_no INTEGER NOT NULL,
          owed_since TEXT NOT NULL,
          PRIMARY KEY (crm_company_id, customer_no)
        )`,
        // What the pass that set a watermark knew (when it asked, what it read in the overlap), as JSON.
        'ALTER TABLE watermarks ADD COLUMN boundary TEXT',
      ],
    },
    {
      // Versions apply in array order, each once (recorded in schema_migrations), so a version inserted before this
      // one later still applies on a store that has this one already: keep versions independent of each other.
      version: 5,
      statements: [
        // What each side held when a conflict was opened, and who changed it when (`crm-sync conflicts list`).
        // Values are stored masked (emails, phone numbers): the state keeps no personal data (docs/DESIGN.md §4).
        'ALTER TABLE conflicts ADD COLUMN crm_value TEXT',
        'ALTER TABLE conflicts ADD COLUMN crm_changed_at TEXT',
        'ALTER TABLE conflicts ADD COLUMN crm_changed_by TEXT',
        'ALTER TABLE conflicts ADD COLUMN erp_value TEXT',
        'ALTER TABLE conflicts ADD COLUMN erp_changed_at TEXT',
        'ALTER TABLE conflicts ADD COLUMN erp_changed_by TEXT',
      ],
    },
    {
      version: 6,
      statements: [
        // The durable inbox of `crm-sync serve` (docs/DESIGN.md §5b): verified webhook events, one row per change
        // (a redelivery has the same key), pending until a targeted sync handled them, then kept a few days so a
        // late redelivery is recognised. Ids and kinds only: webhooks carry no values, the state no personal data.
        `CREATE TABLE inbox (
          dedupe_key TEXT PRIMARY KEY,
          system TEXT NOT NULL,
          entity TEXT,
          record_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          occurred_at TEXT,
          own_echo INTEGER NOT NULL,
          related TEXT NOT NULL,
          received_at TEXT NOT NULL,
          settled_at TEXT
        )`,
        'CREATE INDEX inbox_pending ON inbox (settled_at, received_at)',
      ],
    },
  ];
