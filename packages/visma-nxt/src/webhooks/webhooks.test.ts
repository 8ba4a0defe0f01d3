import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTableChange } from './table-change.js';
import { verifyWebhook } from './verify.js';

describe('webhooks', () => {
  const body =
    '{"tableIdentifier":"Associate","customerNo":0,"companyNo":9112233,"primaryKeys":[{"AssociateNo":"1001"}],"event":"UPDATE","timestamp":"2026-11-24T10:12:55.7720784Z"}';
  const sign = (secret: string, text = body) => createHmac('sha256', secret).update(text).digest('base64');

  it('accepts a body signed with any current secret (rotation), case-insensitively by header', () => {
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('new-key') }, ['old-key', 'new-key'])).toBe(true);
    expect(verifyWebhook(body, { 'X-VWD-Signature-V1': sign('old-key') }, ['old-key', 'new-key'])).toBe(true);
    expect(
      verifyWebhook(Buffer.from(body), new Headers({ 'x-vwd-signature-v1': sign('old-key') }), ['old-key']),
    ).toBe(true);
  });

  it('rejects tampered bodies, wrong secrets and missing signatures', () => {
    expect(verifyWebhook(body.replace('1001', '1002'), { 'x-vwd-signature-v1': sign('key') }, ['key'])).toBe(
      false,
    );
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('other') }, ['key'])).toBe(false);
    expect(verifyWebhook(body, {}, ['key'])).toBe(false);
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': 'not base64 at all!!' }, ['key'])).toBe(false);
    expect(verifyWebhook(body, { 'x-vwd-signature-v1': sign('') }, [''])).toBe(false);
  });

  it('refuses a stale payload when freshness is asked for (its signed timestamp), and an unsigned one first', () => {
    const created = Date.parse('2026-11-24T10:12:55.772Z');
    const headers = { 'x-vwd-signature-v1': sign('key') };
    expect(verifyWebhook(body, headers, ['key'], { maxAgeMs: 300_000, now: created + 60_000 })).toBe(true);
    expect(verifyWebhook(body, headers, ['key'], { maxAgeMs: 300_000, now: created + 600_000 })).toBe(false);
    expect(
      verifyWebhook(body, { 'x-vwd-signature-v1': sign('other') }, ['key'], {
        maxAgeMs: 300_000,
        now: created,
      }),
    ).toBe(false);
    const undated = '{"event":"UPDATE"}';
    expect(
      verifyWebhook(undated, { 'x-vwd-signature-v1': sign('key', undated) }, ['key'], { maxAgeMs: 300_000 }),
    ).toBe(false);
  });

  it('parses TableChange payloads with PascalCase or camelCase keys', () => {
    // Sample from public code (https://github.com/omelhus/business-nxt-webhooks), and the camelCase the docs describe
    // (https://docs.vismasoftware.no/businessnxtapi/webhooks).
    expect(parseTableChange(JSON.parse(body))._unsafeUnwrap()).toEqual({
      tableIdentifier: 'Associate',
      companyNo: 9112233,
      customerNo: 0,
      event: 'UPDATE',
      primaryKeys: [{ associateNo: '1001' }],
      timestamp: '2026-11-24T10:12:55.7720784Z',
      changedColumns: null,
    });
    const camel = {
      tableIdentifier: 'Associate',
      companyNo: 9112233,
      primaryKeys: [{ associateNo: 1001 }],
      event: 'DELETE',
    };
    expect(parseTableChange(camel)._unsafeUnwrap().primaryKeys).toEqual([{ associateNo: 1001 }]);
    expect(parseTableChange({ event: 'TRUNCATE' })._unsafeUnwrapErr()).toMatchObject({ kind: 'validation' });
  });
});
