import type { Entity, Fingerprint, LinkState } from '@port-service/mapping';

/**
 * Everything the runner remembers between cycles (docs/DESIGN.md §2, §4, §5). Asynchronous so that a PostgreSQL
 * implementation can satisfy it without touching the engine. Holds ids, timestamps and keyed fingerprints, never
 * the personal data itself.
 */
export interface StateStore {
  /** Applies pending schema migrations, in order, each once. */
  migrate(): Promise<void>;

  /**
   * Runs `work` (calls to this store only, no other awaits) as one transaction: all or nothing, and one sync to
   * disk instead of one per call.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;

  /** One cycle at a time per installation: take the lock, or learn who holds it. */
  acquireLock(holder: LockHolder, ttlMs: number): Promise<{ ok: true } | { ok: false; holder: LockHolder }>;
  releaseLock(holderId: string): Promise<void>;

  linksByCrmIds(entity: Entity, crmIds: readonly string[]): Promise<StoredLink[]>;
  linksByAssociateNos(entity: Entity, associateNos: readonly number[]): Promise<StoredLink[]>;
  /** Every link of an entity, page by page (for full cycles and `status`). */
  allLinks(entity: Entity, afterCrmId: string | null, limit: number): Promise<StoredLink[]>;
  /** Records a new link (first match or create); fails if either side is linked already. */
  insertLink(
    entity: Entity,
    link: { crmId: string; associateNo: number; fingerprints: Readonly<Record<string, Fingerprint>> },
  ): Promise<void>;
  /** Merges fingerprints an applied operation settled into what the link had. */
  mergeFingerprints(
    entity: Entity,
    crmId: string,
    fingerprints: Readonly<Record<string, Fingerprint>>,
  ): Promise<void>;
  /** Marks a link orphaned (one side archived or deleted); records it orphaned when there was no link yet. */
  markOrphaned(entity: Entity, link: { crmId: string; associateNo: number }, reason: string): Promise<void>;
  /** An orphaned link whose HubSpot record was restored: active again. */
  reactivateLink(entity: Entity, crmId: string): Promise<void>;
  /** A HubSpot merge: the link moves to the surviving record. */
  moveLink(entity: Entity, fromCrmId: string, toCrmId: string): Promise<void>;

  /** The HubSpot account and Business NXT company this state belongs to, or `null` before the first cycle. */
  binding(): Promise<StateBinding | null>;
  /** Records the binding unless one is recorded already; answers the one that is (compare it: a race may win). */
  bind(binding: StateBinding): Promise<StateBinding>;

  /**
   * Contacts owed to customers linked by a cycle (their contacts are synced next, changed or not). Recorded in
   * the transaction that records the link, so an interrupted cycle leaves the debt behind, not the contacts.
   */
  oweContacts(customer: OwedContacts): Promise<void>;
  owedContacts(): Promise<OwedContacts[]>;
  /** The contacts of these customers were synced: the debt is paid. */
  settleOwedContacts(customers: readonly OwedContacts[]): Promise<void>;

  getWatermark(name: string): Promise<string | null>;
  /** Moves a watermark, with what the pass that set it knew (see `WatermarkContext`). */
  setWatermark(name: string, value: string, context?: WatermarkContext): Promise<void>;
  /** What the pass that set the watermark knew; `null` when it was set without. */
  watermarkContext(name: string): Promise<WatermarkContext | null>;

  /** Before a create: what is about to be created, and how to find it again after a crash. */
  recordIntent(intent: NewIntent): Promise<void>;
  resolveIntent(
    id: string,
    outcome: { status: 'created' | 'abandoned'; resultId: string | null },
  ): Promise<void>;
  pendingIntents(): Promise<Intent[]>;

  openConflict(conflict: NewConflict): Promise<void>;
  conflicts(status: 'open' | 'resolved' | 'all'): Promise<Conflict[]>;
  /** Closes a conflict: a field's by the side taken, a HubSpot merge's by the link chosen (`link`). */
  resolveConflict(id: string, take: ConflictResolution): Promise<Conflict | null>;

  /** Per-record errors: kept until the record syncs, with when they were first and last seen. */
  recordError(error: RecordError): Promise<void>;
  /** Forgets a record's errors (those last seen before `seenBefore` only, when given: stale ones). */
  clearErrors(entity: Entity, system: string, recordId: string, seenBefore?: string): Promise<void>;
  errors(): Promise<Array<RecordError & { firstSeenAt: string; lastSeenAt: string }>>;

  /**
   * Stores verified webhook events in the inbox (docs/DESIGN.md §5b). An event whose key is stored already, pending
   * or settled, is not stored again (senders redeliver). Answers how many were new.
   */
  enqueueEvents(events: readonly InboxEvent[], receivedAt: string): Promise<number>;
  /** Pending events, oldest first. */
  pendingEvents(limit: number): Promise<StoredInboxEvent[]>;
  /** Events a targeted sync handled: no longer pending, kept to recognise redeliveries until pruned. */
  settleEvents(keys: readonly string[], settledAt: string): Promise<void>;
  /** How many events are pending. */
  inboxDepth(): Promise<number>;
  /** Forgets events settled before this instant; answers how many. */
  pruneEvents(settledBefore: string): Promise<number>;

  startRun(run: { id: string; startedAt: string; mode: string }): Promise<void>;
  finishRun(run: {
    id: string;
    finishedAt: string;
    exitCode: number;
    counts: Readonly<Record<string, number>>;
    apiCalls: Readonly<Record<string, number>>;
  }): Promise<void>;
  runs(limit: number): Promise<Run[]>;

  /** The operator console's accounts (`crm-sync users`). False when the name is taken already. */
  addConsoleUser(user: NewConsoleUser): Promise<boolean>;
  /** One account with its password hash, for signing in; `null` when there is none by that name. */
  consoleUserCredentials(name: string): Promise<ConsoleUserCredentials | null>;
  /** Every account, by name, without password hashes. */
  consoleUsers(): Promise<ConsoleUser[]>;
  /** Replaces an account's password hash and ends its sessions; false when there is no such account. */
  setConsolePassword(name: string, passwordHash: string, changedAt: string): Promise<boolean>;
  /**
   * Gives an account another role (`crm-sync users role`) and ends its sessions in the same transaction, as
   * `setConsolePassword` does: a session keeps the role it was signed in with, so none may outlive the change.
   * `changedAt` is when the change was made (ISO 8601), for a store that keeps it beside the account; the SQLite
   * store's accounts table has no column for it (the audit entry the command records keeps the time). With
   * `keepAnOperator`, a change that would leave no operator account is refused in the same transaction, so two
   * changes at once cannot both pass the check.
   */
  setConsoleUserRole(
    name: string,
    role: ConsoleRole,
    changedAt: string,
    options?: AccountChangeOptions,
  ): Promise<AccountChange>;
  /** Removes an account and ends its sessions; `keepAnOperator` as for `setConsoleUserRole`. */
  removeConsoleUser(name: string, options?: AccountChangeOptions): Promise<AccountChange>;
  recordConsoleSignIn(name: string, at: string): Promise<void>;

  /** Console sessions, keyed by the SHA-256 of the cookie's id (the id itself is never stored). */
  createConsoleSession(session: ConsoleSession): Promise<void>;
  consoleSession(idHash: string): Promise<ConsoleSession | null>;
  touchConsoleSession(idHash: string, lastSeenAt: string): Promise<void>;
  endConsoleSession(idHash: string): Promise<void>;
  /** Forgets sessions past their absolute expiry, or last seen before `idleBefore`; answers how many. */
  pruneConsoleSessions(now: string, idleBefore: string): Promise<number>;

  /** Failed sign-ins for the rate limit, per subject (a hashed user name or client address). */
  recordLoginFailure(subject: string, at: string): Promise<void>;
  /** When the subject's failures after `after` (exclusive) happened, oldest first. */
  loginFailuresAfter(subject: string, after: string): Promise<string[]>;
  clearLoginFailures(subject: string): Promise<void>;
  /** Forgets failures before this instant (outside every window); answers how many. */
  pruneLoginFailures(before: string): Promise<number>;

  /** The audit log: every action, who did it when, with the state before and after. */
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Entries matching the filter, newest first. */
  auditLog(filter: AuditFilter): Promise<StoredAuditEntry[]>;

  /**
   * Leaves a record (and its linked counterpart) out of every cycle and targeted sync until it is included again
   * (`crm-sync exclude`); false when it is excluded already.
   */
  excludeRecord(exclusion: Exclusion): Promise<boolean>;
  /** Ends a record's exclusion (`crm-sync include`); answers the exclusion ended, `null` when there was none. */
  includeRecord(entity: Entity, system: Exclusion['system'], recordId: string): Promise<Exclusion | null>;
  /** Excluded records (of one entity, when given), oldest first. */
  exclusions(entity?: Entity): Promise<Exclusion[]>;
  /**
   * Two records a person said are not the same (`crm-sync candidates separate`): never candidates of each other
   * again. False when the pair is recorded already.
   */
  separatePair(pair: SeparatedPair): Promise<boolean>;
  /** The separated pairs of an entity, oldest first. */
  separatedPairs(entity: Entity): Promise<SeparatedPair[]>;

  close(): Promise<void>;
}

export interface LockHolder {
  readonly id: string;
  /** For the message a second runner prints: host and process. */
  readonly description: string;
}

/** Which HubSpot account and Business NXT company a state's links, watermarks and fingerprints are about. */
export interface StateBinding {
  readonly hubspotPortalId: number;
  readonly vismaCompanyNo: number;
  /** When it was recorded (ISO 8601). */
  readonly boundAt: string;
}

export interface StoredLink extends LinkState {
  readonly status: 'active' | 'orphaned';
  readonly statusReason: string | null;
  readonly updatedAt: string;
}

/** What the pass that set a watermark knew, for the next one. */
export interface WatermarkContext {
  /** When (the runner's clock) the system was asked for the watermark: the next one adds the time since. */
  readonly probedAt: string;
  /** The records the pass read within the overlap below the watermark (id → change stamp). */
  readonly seen: Readonly<Record<string, string>>;
}

/** A customer whose contacts a cycle still has to sync: its HubSpot company and Business NXT customer number. */
export interface OwedContacts {
  readonly crmId: string;
  readonly associateNo: number;
}

export interface NewIntent {
  readonly id: string;
  readonly entity: Entity;
  /** Where the record is being created. */
  readonly target: 'hubspot' | 'visma-nxt';
  /** The record it is created from (HubSpot id or associate number). */
  readonly sourceId: string;
  /** What identifies the new record if the process dies before it learns the id (e.g. an org number or email). */
  readonly correlationKey: string;
  readonly createdAt: string;
}

export interface Intent extends NewIntent {
  readonly status: 'pending' | 'created' | 'abandoned';
  readonly resultId: string | null;
}

/**
 * One side of a conflict as it was when the conflict was opened. `null` where it is not known: not recorded (a
 * conflict opened before crm-sync recorded it), or not kept by the system (Business NXT records no user per change).
 */
export interface ConflictSide {
  /** The value, emails and phone numbers masked (the state keeps no personal data); `''` when empty. */
  readonly value: string | null;
  /** When that value was set (ISO 8601, or Business NXT's `changedTimestamp` as it wrote it). */
  readonly changedAt: string | null;
  /** Who set it: HubSpot's source type, source id and user, when its property history says. */
  readonly changedBy: string | null;
}

export type ConflictResolution = 'crm' | 'erp' | 'link';

export interface NewConflict {
  readonly id: string;
  readonly entity: Entity;
  readonly crmId: string;
  readonly associateNo: number;
  readonly field: string;
  readonly reason: string;
  readonly baseFingerprint: Fingerprint | null;
  readonly createdAt: string;
  readonly hubspot?: ConflictSide | undefined;
  readonly businessNxt?: ConflictSide | undefined;
}

export interface Conflict extends NewConflict {
  readonly status: 'open' | 'resolved';
  readonly resolution: ConflictResolution | null;
  readonly hubspot: ConflictSide;
  readonly businessNxt: ConflictSide;
}

export interface RecordError {
  readonly entity: Entity;
  readonly system: string;
  readonly recordId: string;
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  readonly seenAt: string;
  /** The other record(s) involved, as `system id` (a candidate, the record holding the same email, …). */
  readonly related?: string | null | undefined;
  /** Where a person should fix the cause: `hubspot`, `visma-nxt`, or `either`. */
  readonly fixIn?: 'hubspot' | 'visma-nxt' | 'either' | null | undefined;
}

/**
 * One change a verified webhook delivery announced, as the inbox stores it. Webhooks only say what changed, never
 * how: the targeted sync reads the record again, so an event carries ids and kinds, no personal data.
 */
export interface InboxEvent {
  readonly system: 'hubspot' | 'visma-nxt';
  /**
   * Redeliveries of the same change map to the same key, so storing an event twice stores it once. HubSpot does not
   * promise unique `eventId`s or single delivery: its key is built from the event's content (subscription type,
   * object, property, occurredAt), not from `eventId` alone.
   */
  readonly dedupeKey: string;
  /**
   * `customer` (a HubSpot company) or `contact`; `null` for a Business NXT `Associate` row, which can be a customer
   * or a contact person: the targeted sync finds out when it reads the row.
   */
  readonly entity: Entity | null;
  /** The HubSpot record id, or the Business NXT associate number, as a string. */
  readonly recordId: string;
  readonly kind: 'created' | 'changed' | 'deleted' | 'restored' | 'merged' | 'association';
  /** When the change happened, by the sender's clock (ISO 8601), for the latency metric; `null` when not given. */
  readonly occurredAt: string | null;
  /** Caused by the sync's own write (HubSpot's `changeSource`/`sourceId` name our app): stored, counted, not synced. */
  readonly ownEcho: boolean;
  /** Other records the change touches: the ids a merge absorbed, the other end of an association. */
  readonly related: ReadonlyArray<{ readonly entity: Entity; readonly recordId: string }>;
}

export interface StoredInboxEvent extends InboxEvent {
  readonly receivedAt: string;
}

export interface Run {
  readonly id: string;
  readonly mode: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly exitCode: number | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly apiCalls: Readonly<Record<string, number>>;
}

/** What a console account may do: `viewer` sees everything (personal data masked), `operator` also acts. */
export type ConsoleRole = 'viewer' | 'operator';

/** How a role change or a removal ended: done, no account by that name, or refused as the last operator's. */
export type AccountChange = 'changed' | 'no-such-user' | 'last-operator';

export interface AccountChangeOptions {
  /** Refuse the change when it would leave no operator account. */
  readonly keepAnOperator?: boolean | undefined;
}

export interface NewConsoleUser {
  /** Lowercase; see `console/auth/user-names.ts` for the rule. */
  readonly name: string;
  readonly role: ConsoleRole;
  /** `scrypt$N$r$p$salt$hash` (console/auth/password-hashing.ts), never the password. */
  readonly passwordHash: string;
  readonly createdAt: string;
}

export interface ConsoleUser {
  readonly name: string;
  readonly role: ConsoleRole;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
  readonly lastSignInAt: string | null;
}

export interface ConsoleUserCredentials extends ConsoleUser {
  readonly passwordHash: string;
}

export interface ConsoleSession {
  /** SHA-256 (hex) of the random id the cookie carries. */
  readonly idHash: string;
  readonly userName: string;
  readonly role: ConsoleRole;
  /** The token every form of this session carries (a random value, useless without the session cookie). */
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** The absolute expiry: the session ends then however active it is. */
  readonly expiresAt: string;
}

export interface AuditEntry {
  readonly at: string;
  /** Who: a console user's name, or `cli:<operating-system user>` for `crm-sync users`. */
  readonly actor: string;
  /** What, as `noun.verb`: `user.add`, `session.sign-in`, `conflict.resolve`, … */
  readonly action: string;
  /** What it acted on (a user name, a conflict id, …); `null` when nothing in particular. */
  readonly target: string | null;
  /**
   * The state before and after, JSON-serialisable; `null` when there was none. Personal data masked as the state
   * keeps it elsewhere (docs/DESIGN.md §4), never a password, hash or session id.
   */
  readonly before: unknown;
  readonly after: unknown;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: string;
}

export interface AuditFilter {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly target?: string | undefined;
  /** Inclusive lower bound of `at`. */
  readonly since?: string | undefined;
  /** Exclusive upper bound of `at`. */
  readonly until?: string | undefined;
  readonly limit: number;
}

/** A record a person left out of the sync, with who did it, when and why. */
export interface Exclusion {
  readonly entity: Entity;
  readonly system: 'hubspot' | 'visma-nxt';
  /** The HubSpot id, or the Business NXT associate number as a string. */
  readonly recordId: string;
  readonly reason: string | null;
  /** A console user's name, or `cli:<operating-system user>`. */
  readonly excludedBy: string;
  readonly excludedAt: string;
}

/** A HubSpot record and a Business NXT row a person said are two different customers or contacts. */
export interface SeparatedPair {
  readonly entity: Entity;
  readonly crmId: string;
  readonly associateNo: number;
  readonly separatedBy: string;
  readonly separatedAt: string;
}
