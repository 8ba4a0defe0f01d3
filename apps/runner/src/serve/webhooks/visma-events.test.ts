import { describe, expect, it } from 'vitest';
import { vismaInboxEvents } from './visma-events.js';

// The TableChange shape of https://docs.vismasoftware.no/businessnxtapi/webhooks, keys in PascalCase as public
// receivers get them (https://github.com/omelhus/business-nxt-webhooks).
const change = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    tableIdentifier: 'Associate',
    customerNo: 0,
    companyNo: 9112233,
    primaryKeys: [{ AssociateNo: 1001 }],
    event: 'UPDATE',
    timestamp: '2026-11-24T10:12:55.7720784Z',
    ...overrides,
  });
const receivedAt = Date.parse('2026-12-01T10:00:00.000Z');

describe('Business NXT TableChange to inbox events', () => {
  it('turns an Associate change of the bound company into an event per row', () => {
    expect(vismaInboxEvents(change(), 9112233, receivedAt)._unsafeUnwrap()).toEqual({
      outcome: 'accepted',
      events: [
        {
          system: 'visma-nxt',
          dedupeKey: 'visma-nxt:9112233:Associate:1001:UPDATE:2026-11-24T10:12:55.7720784Z',
          entity: null,
          recordId: '1001',
          kind: 'changed',
          occurredAt: '2026-11-24T10:12:55.772Z',
          ownEcho: false,
          related: [],
        },
      ],
    });
    const inserted = vismaInboxEvents(
      change({ event: 'INSERT', primaryKeys: [{ associateNo: '1002' }, { AssociateNo: 1003 }] }),
      9112233,
      receivedAt,
    )._unsafeUnwrap();
    expect(
      inserted.outcome === 'accepted' && inserted.events.map((event) => [event.recordId, event.kind]),
    ).toEqual([
      ['1002', 'created'],
      ['1003', 'created'],
    ]);
    const deleted = vismaInboxEvents(change({ event: 'DELETE' }), 9112233, receivedAt)._unsafeUnwrap();
    expect(deleted.outcome === 'accepted' && deleted.events[0]?.kind).toBe('deleted');
  });

  it('refuses another company than the bound one, and takes any before one is bound', () => {
    expect(vismaInboxEvents(change({ companyNo: 5550001 }), 9112233, receivedAt)._unsafeUnwrapErr()).toEqual({
      outcome: 'wrong-company',
      reason:
        'the TableChange for Associate is for company 5550001, but this service is bound to company 9112233',
    });
    expect(vismaInboxEvents(change({ companyNo: 5550001 }), null, receivedAt)._unsafeUnwrap()).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('ignores other tables, whatever their company', () => {
    expect(
      vismaInboxEvents(
        change({ tableIdentifier: 'Product', companyNo: 0, primaryKeys: [{ ProductNo: '1001' }] }),
        9112233,
        receivedAt,
      )._unsafeUnwrap(),
    ).toEqual({ outcome: 'ignored', table: 'Product' });
  });

  it('keys a notification without a timestamp by when it arrived, so a later change is not taken for a redelivery', () => {
    const first = vismaInboxEvents(change({ timestamp: undefined }), 9112233, receivedAt)._unsafeUnwrap();
    const later = vismaInboxEvents(change({ timestamp: undefined }), 9112233, receivedAt + 1)._unsafeUnwrap();
    const key = (delivery: typeof first) =>
      delivery.outcome === 'accepted' ? delivery.events[0]?.dedupeKey : null;
    expect(key(first)).not.toBe(key(later));
    expect(first.outcome === 'accepted' && first.events[0]?.occurredAt).toBeNull();
  });

  it('refuses malformed notifications, naming the field', () => {
    const malformed = (body: string) => vismaInboxEvents(body, 9112233, receivedAt)._unsafeUnwrapErr();
    expect(malformed('{"tableIdentifier":')).toMatchObject({
      outcome: 'malformed',
      reason: expect.stringMatching(/not JSON/u),
    });
    expect(malformed(change({ event: 'TRUNCATE' }))).toMatchObject({
      outcome: 'malformed',
      reason: expect.stringMatching(/event/u),
    });
    expect(malformed(change({ primaryKeys: [{ CustomerNo: 5 }] }))).toMatchObject({
      outcome: 'malformed',
      reason: expect.stringMatching(/primaryKeys\[0\] has no associateNo/u),
    });
    expect(malformed(change({ primaryKeys: [] }))).toMatchObject({ reason: expect.stringMatching(/empty/u) });
  });
});
