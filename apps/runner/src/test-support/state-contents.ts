import type { Entity } from '@port-service/mapping';
import type { StateStore } from '../state/state-store.js';

/** What `fillState` recorded that the store can only be asked about by name. */
export interface StateNames {
  readonly watermarks: readonly string[];
  readonly users: readonly string[];
  readonly sessions: readonly string[];
  readonly loginSubjects: readonly string[];
}

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

/** Something in every part of a state, through the store's own methods (a state a few cycles and a console made). */
export async function fillState(store: StateStore): Promise<StateNames> {
  await store.bind({ hubspotPortalId: 4242, vismaCompanyNo: 9112233, boundAt: at(0) });
  await store.insertLink('customer', {
    crmId: '101',
    associateNo: 7,
    fingerprints: { name: 'n1', phone: 'p1' },
  });
  await store.insertLink('customer', { crmId: '102', associateNo: 8, fingerprints: {} });
  await store.mergeFingerprints('customer', '102', { email: 'e2' });
  await store.insertLink('contact', { crmId: '501', associateNo: 70, fingerprints: { firstname: 'f' } });
  await store.markOrphaned('customer', { crmId: '102', associateNo: 8 }, 'archived in HubSpot');
  await store.markOrphaned('contact', { crmId: '502', associateNo: 71 }, 'deleted in Business NXT');
  await store.oweContacts({ crmId: '101', associateNo: 7 });
  await store.setWatermark('hubspot:companies', at(1), { probedAt: at(2), seen: { '101': at(1) } });
  await store.setWatermark('visma-nxt:associates', '2026-12-01 10:03:00.123');
  await store.recordIntent({
    id: 'intent-1',
    entity: 'customer',
    target: 'visma-nxt',
    sourceId: '103',
    correlationKey: 'org:987654321',
    createdAt: at(3),
  });
  await store.recordIntent({
    id: 'intent-2',
    entity: 'contact',
    target: 'hubspot',
    sourceId: '72',
    correlationKey: 'email:someone@example.com',
    createdAt: at(4),
  });
  await store.resolveIntent('intent-1', { status: 'created', resultId: '9' });
  await fillFindings(store);
  await fillInbox(store);
  await fillOperators(store);
  return fillConsole(store);
}

async function fillFindings(store: StateStore): Promise<void> {
  const side = { value: 'Æbleø AS', changedAt: at(5), changedBy: 'CRM_UI 12 someone' };
  await store.openConflict({
    id: 'conflict-1',
    entity: 'customer',
    crmId: '101',
    associateNo: 7,
    field: 'name',
    reason: 'both changed',
    baseFingerprint: 'n0',
    createdAt: at(5),
    hubspot: side,
    businessNxt: { value: 'Æbleø A/S', changedAt: '2026-12-01 10:05:00.000', changedBy: null },
  });
  await store.openConflict({
    id: 'conflict-2',
    entity: 'contact',
    crmId: '501',
    associateNo: 70,
    field: 'email',
    reason: 'both changed',
    baseFingerprint: null,
    createdAt: at(6),
  });
  await store.resolveConflict('conflict-2', 'erp');
  await store.recordError({
    entity: 'customer',
    system: 'hubspot',
    recordId: '104',
    field: 'orgNo',
    rule: 'org-number',
    message: 'customer 104: orgNo "12" is not 9 digits',
    seenAt: at(7),
    related: 'visma-nxt 9',
    fixIn: 'hubspot',
  });
  await store.recordError({
    entity: 'contact',
    system: 'visma-nxt',
    recordId: '73',
    field: 'email',
    rule: 'shared-email',
    message: 'contact 73: email is shared',
    seenAt: at(8),
  });
}

async function fillInbox(store: StateStore): Promise<void> {
  const event = (key: string, recordId: string, entity: Entity | null) => ({
    system: entity === null ? ('visma-nxt' as const) : ('hubspot' as const),
    dedupeKey: key,
    entity,
    recordId,
    kind: 'changed' as const,
    occurredAt: entity === null ? null : at(9),
    ownEcho: key === 'echo',
    related: entity === null ? [] : [{ entity, recordId: '999' }],
  });
  await store.enqueueEvents([event('a', '101', 'customer'), event('echo', '102', 'customer')], at(10));
  await store.enqueueEvents([event('b', '7', null)], at(11));
  await store.settleEvents(['echo'], at(12));
}

async function fillOperators(store: StateStore): Promise<void> {
  await store.excludeRecord({
    entity: 'customer',
    system: 'hubspot',
    recordId: '105',
    reason: 'test company',
    excludedBy: 'cli:ops',
    excludedAt: at(13),
  });
  await store.excludeRecord({
    entity: 'contact',
    system: 'visma-nxt',
    recordId: '74',
    reason: null,
    excludedBy: 'anna',
    excludedAt: at(14),
  });
  await store.separatePair({
    entity: 'customer',
    crmId: '106',
    associateNo: 10,
    separatedBy: 'anna',
    separatedAt: at(15),
  });
  await store.startRun({ id: 'run-1', startedAt: at(16), mode: 'full' });
  await store.finishRun({
    id: 'run-1',
    finishedAt: at(17),
    exitCode: 3,
    counts: { 'customer.linked': 2, 'contact.failed': 1 },
    apiCalls: { hubspot: 12, 'visma-nxt': 4 },
  });
  await store.startRun({ id: 'run-2', startedAt: at(18), mode: 'incremental' });
}

async function fillConsole(store: StateStore): Promise<StateNames> {
  const hash = 'scrypt$16384$8$1$c2FsdA$aGFzaA';
  await store.addConsoleUser({ name: 'anna', role: 'operator', passwordHash: hash, createdAt: at(19) });
  await store.addConsoleUser({ name: 'bo', role: 'viewer', passwordHash: hash, createdAt: at(20) });
  await store.recordConsoleSignIn('anna', at(21));
  await store.createConsoleSession({
    idHash: 'a'.repeat(64),
    userName: 'anna',
    role: 'operator',
    csrfToken: 'token',
    createdAt: at(21),
    lastSeenAt: at(22),
    expiresAt: at(59),
  });
  await store.recordLoginFailure('subject-1', at(23));
  await store.recordLoginFailure('subject-1', at(24));
  await store.recordAudit({
    at: at(25),
    actor: 'anna',
    action: 'conflict.resolve',
    target: 'conflict-2',
    before: { status: 'open' },
    after: { status: 'resolved', take: 'erp', note: 'Ærø' },
  });
  await store.recordAudit({
    at: at(26),
    actor: 'cli:ops',
    action: 'user.add',
    target: 'bo',
    before: null,
    after: null,
  });
  return {
    watermarks: ['hubspot:companies', 'visma-nxt:associates'],
    users: ['anna', 'bo'],
    sessions: ['a'.repeat(64)],
    loginSubjects: ['subject-1'],
  };
}

/** Everything a store answers about a state, through its methods: equal for two stores means the same state. */
export async function readState(store: StateStore, names: StateNames) {
  const links = async (entity: Entity) => store.allLinks(entity, null, 100_000);
  return {
    binding: await store.binding(),
    links: { customer: await links('customer'), contact: await links('contact') },
    owedContacts: await store.owedContacts(),
    watermarks: await Promise.all(
      names.watermarks.map(async (name) => [
        name,
        await store.getWatermark(name),
        await store.watermarkContext(name),
      ]),
    ),
    pendingIntents: await store.pendingIntents(),
    conflicts: await store.conflicts('all'),
    errors: await store.errors(),
    pendingEvents: await store.pendingEvents(100_000),
    inboxDepth: await store.inboxDepth(),
    runs: await store.runs(100_000),
    users: await Promise.all(names.users.map((name) => store.consoleUserCredentials(name))),
    consoleUsers: await store.consoleUsers(),
    sessions: await Promise.all(names.sessions.map((idHash) => store.consoleSession(idHash))),
    loginFailures: await Promise.all(
      names.loginSubjects.map((subject) => store.loginFailuresAfter(subject, '')),
    ),
    audit: await store.auditLog({ limit: 100_000 }),
    exclusions: await store.exclusions(),
    separatedPairs: [await store.separatedPairs('customer'), await store.separatedPairs('contact')],
  };
}
