/**
 * Versioned schema changes, applied in order, each once, to either backend: every version lists its SQLite and its
 * PostgreSQL statements side by side, so a version cannot exist on one backend only. The SQLite statements are the
 * ones SQLite states were always migrated with (never edit them: existing states would differ from new ones).
 * PostgreSQL differences, on purpose: every TEXT column compares bytewise (`COLLATE "C"`, SQLite's BINARY: ids,
 * ISO timestamps and keys order the same on both), and SQLite's 64-bit INTEGER is BIGINT.
 * `migrations.test.ts` compares the schemas both produce.
 */
export interface Migration {
  readonly version: number;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}

/** The table recording applied versions, per backend (created before the first migration runs). */
export const schemaMigrationsTable = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  postgres:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT COLLATE "C" NOT NULL)',
} as const;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sqlite: [
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
    postgres: [
      `CREATE TABLE links (
          entity TEXT COLLATE "C" NOT NULL,
          crm_id TEXT COLLATE "C" NOT NULL,
          associate_no BIGINT NOT NULL,
          status TEXT COLLATE "C" NOT NULL,
          status_reason TEXT COLLATE "C",
          fingerprints TEXT COLLATE "C" NOT NULL,
          updated_at TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (entity, crm_id)
        )`,
      'CREATE UNIQUE INDEX links_by_associate ON links (entity, associate_no)',
      'CREATE TABLE watermarks (name TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL)',
      `CREATE TABLE intents (
          id TEXT COLLATE "C" PRIMARY KEY,
          entity TEXT COLLATE "C" NOT NULL,
          target TEXT COLLATE "C" NOT NULL,
          source_id TEXT COLLATE "C" NOT NULL,
          correlation_key TEXT COLLATE "C" NOT NULL,
          status TEXT COLLATE "C" NOT NULL,
          result_id TEXT COLLATE "C",
          created_at TEXT COLLATE "C" NOT NULL,
          resolved_at TEXT COLLATE "C"
        )`,
      `CREATE TABLE conflicts (
          id TEXT COLLATE "C" PRIMARY KEY,
          entity TEXT COLLATE "C" NOT NULL,
          crm_id TEXT COLLATE "C" NOT NULL,
          associate_no BIGINT NOT NULL,
          field TEXT COLLATE "C" NOT NULL,
          reason TEXT COLLATE "C" NOT NULL,
          base_fingerprint TEXT COLLATE "C",
          status TEXT COLLATE "C" NOT NULL,
          resolution TEXT COLLATE "C",
          created_at TEXT COLLATE "C" NOT NULL,
          resolved_at TEXT COLLATE "C"
        )`,
      `CREATE TABLE record_errors (
          entity TEXT COLLATE "C" NOT NULL,
          system TEXT COLLATE "C" NOT NULL,
          record_id TEXT COLLATE "C" NOT NULL,
          field TEXT COLLATE "C" NOT NULL,
          rule TEXT COLLATE "C" NOT NULL,
          message TEXT COLLATE "C" NOT NULL,
          first_seen_at TEXT COLLATE "C" NOT NULL,
          last_seen_at TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (entity, system, record_id, field, rule)
        )`,
      `CREATE TABLE runs (
          id TEXT COLLATE "C" PRIMARY KEY,
          mode TEXT COLLATE "C" NOT NULL,
          started_at TEXT COLLATE "C" NOT NULL,
          finished_at TEXT COLLATE "C",
          exit_code BIGINT,
          counts TEXT COLLATE "C" NOT NULL,
          api_calls TEXT COLLATE "C" NOT NULL
        )`,
      `CREATE TABLE locks (
          name TEXT COLLATE "C" PRIMARY KEY,
          holder_id TEXT COLLATE "C" NOT NULL,
          holder TEXT COLLATE "C" NOT NULL,
          expires_at TEXT COLLATE "C" NOT NULL
        )`,
    ],
  },
  {
    version: 2,
    sqlite: [
      // The HubSpot account and Business NXT company the state belongs to, one row each, recorded once.
      'CREATE TABLE bindings (name TEXT PRIMARY KEY, value TEXT NOT NULL, bound_at TEXT NOT NULL)',
    ],
    postgres: [
      'CREATE TABLE bindings (name TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL, bound_at TEXT COLLATE "C" NOT NULL)',
    ],
  },
  {
    version: 3,
    sqlite: [
      // Held records name the other record(s) involved and the system where a person should fix the cause.
      'ALTER TABLE record_errors ADD COLUMN related TEXT',
      'ALTER TABLE record_errors ADD COLUMN fix_in TEXT',
    ],
    postgres: [
      'ALTER TABLE record_errors ADD COLUMN related TEXT COLLATE "C"',
      'ALTER TABLE record_errors ADD COLUMN fix_in TEXT COLLATE "C"',
    ],
  },
  {
    version: 4,
    sqlite: [
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
    postgres: [
      `CREATE TABLE owed_contacts (
          crm_company_id TEXT COLLATE "C" NOT NULL,
          customer_no BIGINT NOT NULL,
          owed_since TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (crm_company_id, customer_no)
        )`,
      'ALTER TABLE watermarks ADD COLUMN boundary TEXT COLLATE "C"',
    ],
  },
  {
    // Versions apply in array order, each once (recorded in schema_migrations), so a version inserted before this
    // one later still applies on a store that has this one already: keep versions independent of each other.
    version: 5,
    sqlite: [
      // What each side held when a conflict was opened, and who changed it when (`crm-sync conflicts list`).
      // Values are stored masked (emails, phone numbers): the state keeps no personal data (docs/DESIGN.md §4).
      'ALTER TABLE conflicts ADD COLUMN crm_value TEXT',
      'ALTER TABLE conflicts ADD COLUMN crm_changed_at TEXT',
      'ALTER TABLE conflicts ADD COLUMN crm_changed_by TEXT',
      'ALTER TABLE conflicts ADD COLUMN erp_value TEXT',
      'ALTER TABLE conflicts ADD COLUMN erp_changed_at TEXT',
      'ALTER TABLE conflicts ADD COLUMN erp_changed_by TEXT',
    ],
    postgres: [
      'ALTER TABLE conflicts ADD COLUMN crm_value TEXT COLLATE "C"',
      'ALTER TABLE conflicts ADD COLUMN crm_changed_at TEXT COLLATE "C"',
      'ALTER TABLE conflicts ADD COLUMN crm_changed_by TEXT COLLATE "C"',
      'ALTER TABLE conflicts ADD COLUMN erp_value TEXT COLLATE "C"',
      'ALTER TABLE conflicts ADD COLUMN erp_changed_at TEXT COLLATE "C"',
      'ALTER TABLE conflicts ADD COLUMN erp_changed_by TEXT COLLATE "C"',
    ],
  },
  {
    version: 6,
    sqlite: [
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
    postgres: [
      `CREATE TABLE inbox (
          dedupe_key TEXT COLLATE "C" PRIMARY KEY,
          system TEXT COLLATE "C" NOT NULL,
          entity TEXT COLLATE "C",
          record_id TEXT COLLATE "C" NOT NULL,
          kind TEXT COLLATE "C" NOT NULL,
          occurred_at TEXT COLLATE "C",
          own_echo BIGINT NOT NULL,
          related TEXT COLLATE "C" NOT NULL,
          received_at TEXT COLLATE "C" NOT NULL,
          settled_at TEXT COLLATE "C"
        )`,
      'CREATE INDEX inbox_pending ON inbox (settled_at, received_at)',
    ],
  },
  {
    version: 7,
    sqlite: [
      // The operator console's local accounts (`crm-sync users`): a scrypt hash per user, never the password.
      `CREATE TABLE console_users (
          name TEXT PRIMARY KEY,
          role TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          created_at TEXT NOT NULL,
          password_changed_at TEXT NOT NULL,
          last_sign_in_at TEXT
        )`,
      // Signed-in sessions, keyed by the SHA-256 of the cookie's random id (the id itself is never stored).
      `CREATE TABLE console_sessions (
          id_hash TEXT PRIMARY KEY,
          user_name TEXT NOT NULL,
          role TEXT NOT NULL,
          csrf_token TEXT NOT NULL,
          created_at TEXT NOT NULL,
          last_seen_at TEXT NOT NULL,
          expires_at TEXT NOT NULL
        )`,
      'CREATE INDEX console_sessions_by_user ON console_sessions (user_name)',
      // Failed sign-ins per subject (a hashed user name or client address), for the rate limit; kept minutes.
      'CREATE TABLE login_failures (subject TEXT NOT NULL, failed_at TEXT NOT NULL)',
      'CREATE INDEX login_failures_by_subject ON login_failures (subject, failed_at)',
      // Who did what when in the console or with `crm-sync users`, with the state before and after (JSON).
      `CREATE TABLE audit (
          id TEXT PRIMARY KEY,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT,
          before_state TEXT,
          after_state TEXT
        )`,
      'CREATE INDEX audit_by_time ON audit (at)',
    ],
    postgres: [
      `CREATE TABLE console_users (
          name TEXT COLLATE "C" PRIMARY KEY,
          role TEXT COLLATE "C" NOT NULL,
          password_hash TEXT COLLATE "C" NOT NULL,
          created_at TEXT COLLATE "C" NOT NULL,
          password_changed_at TEXT COLLATE "C" NOT NULL,
          last_sign_in_at TEXT COLLATE "C"
        )`,
      `CREATE TABLE console_sessions (
          id_hash TEXT COLLATE "C" PRIMARY KEY,
          user_name TEXT COLLATE "C" NOT NULL,
          role TEXT COLLATE "C" NOT NULL,
          csrf_token TEXT COLLATE "C" NOT NULL,
          created_at TEXT COLLATE "C" NOT NULL,
          last_seen_at TEXT COLLATE "C" NOT NULL,
          expires_at TEXT COLLATE "C" NOT NULL
        )`,
      'CREATE INDEX console_sessions_by_user ON console_sessions (user_name)',
      'CREATE TABLE login_failures (subject TEXT COLLATE "C" NOT NULL, failed_at TEXT COLLATE "C" NOT NULL)',
      'CREATE INDEX login_failures_by_subject ON login_failures (subject, failed_at)',
      `CREATE TABLE audit (
          id TEXT COLLATE "C" PRIMARY KEY,
          at TEXT COLLATE "C" NOT NULL,
          actor TEXT COLLATE "C" NOT NULL,
          action TEXT COLLATE "C" NOT NULL,
          target TEXT COLLATE "C",
          before_state TEXT COLLATE "C",
          after_state TEXT COLLATE "C"
        )`,
      'CREATE INDEX audit_by_time ON audit (at)',
    ],
  },
  {
    version: 8,
    sqlite: [
      // Records an operator left out of the sync (`crm-sync exclude`) until included again, with who, when, why.
      `CREATE TABLE exclusions (
          entity TEXT NOT NULL,
          system TEXT NOT NULL,
          record_id TEXT NOT NULL,
          reason TEXT,
          excluded_by TEXT NOT NULL,
          excluded_at TEXT NOT NULL,
          PRIMARY KEY (entity, system, record_id)
        )`,
      // Candidate pairs an operator said are two different records (`crm-sync candidates separate`).
      `CREATE TABLE separated_pairs (
          entity TEXT NOT NULL,
          crm_id TEXT NOT NULL,
          associate_no INTEGER NOT NULL,
          separated_by TEXT NOT NULL,
          separated_at TEXT NOT NULL,
          PRIMARY KEY (entity, crm_id, associate_no)
        )`,
    ],
    postgres: [
      `CREATE TABLE exclusions (
          entity TEXT COLLATE "C" NOT NULL,
          system TEXT COLLATE "C" NOT NULL,
          record_id TEXT COLLATE "C" NOT NULL,
          reason TEXT COLLATE "C",
          excluded_by TEXT COLLATE "C" NOT NULL,
          excluded_at TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (entity, system, record_id)
        )`,
      `CREATE TABLE separated_pairs (
          entity TEXT COLLATE "C" NOT NULL,
          crm_id TEXT COLLATE "C" NOT NULL,
          associate_no BIGINT NOT NULL,
          separated_by TEXT COLLATE "C" NOT NULL,
          separated_at TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (entity, crm_id, associate_no)
        )`,
    ],
  },
  {
    version: 9,
    sqlite: [
      // Which instance leads a PostgreSQL installation (docs/DESIGN.md): the generation goes up at every claim, and
      // a leader's writes are fenced with the generation it claimed. Unused by a SQLite state, which one process
      // owns; created there too so both backends keep one schema.
      'CREATE TABLE leadership (name TEXT PRIMARY KEY, generation INTEGER NOT NULL, holder_id TEXT, acquired_at TEXT)',
    ],
    postgres: [
      'CREATE TABLE leadership (name TEXT COLLATE "C" PRIMARY KEY, generation BIGINT NOT NULL, holder_id TEXT COLLATE "C", acquired_at TEXT COLLATE "C")',
    ],
  },
  {
    version: 10,
    sqlite: [
      // Facts about the state itself, one row each: the check value of the fingerprint key it was made with
      // (hash-key-check.ts), so a state opened with another key refuses instead of finding every record changed.
      'CREATE TABLE state_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL, recorded_at TEXT NOT NULL)',
    ],
    postgres: [
      'CREATE TABLE state_meta (name TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL, recorded_at TEXT COLLATE "C" NOT NULL)',
    ],
  },
];
