import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { maskEmails, maskPhones } from './mask.js';

function capture(logPersonalData = false) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ logPersonalData, destination }), text: () => lines.join('') };
}

describe('masking', () => {
  it.each([
    ['iselin@port-service.no', 'i***@p***.no'],
    ['contact: ola.nordmann@fjord.example.no.', 'contact: o***@f***.no.'],
  ])('masks the email in %j', (raw, masked) => expect(maskEmails(raw)).toBe(masked));

  it.each([
    ['+47 99 58 22 44', '+********44'],
    ['+4799582244', '+********44'],
    ['0047 920 99 720', '00********20'],
    ['ring 920 99 720 i dag', 'ring ******20 i dag'],
  ])('masks the phone in %j', (raw, masked) => expect(maskPhones(raw)).toBe(masked));

  // An org number typed with spaces ("923 609 016") is masked like a phone: over-masking is the safe side.
  it('leaves ids, counts, unspaced org numbers and dates readable', () => {
    for (const text of [
      'associate 10001',
      'HubSpot 10000000001',
      'org 923609016',
      '2026-11-24T10:00:00.000Z',
      // Business NXT's local timestamps.
      '2026-12-02 07:04:28.1170000',
      'changed 2026-12-02 07:04 by ERP-USER',
      '3270 Larvik',
    ]) {
      expect(maskPhones(maskEmails(text))).toBe(text);
    }
  });
});

describe('createLogger', () => {
  it('redacts secrets at any depth and masks personal data in messages and fields', () => {
    const { logger, text } = capture();
    logger.info(
      {
        accessToken: 'pat-na1-secret',
        settings: { clientSecret: 'visma-secret', hashKey: 'k' },
        record: { email: 'kari@port-service.no', phone: '+47 41 23 45 67' },
      },
      'created contact kari@port-service.no (+4741234567)',
    );
    const output = text();
    for (const secret of [
      'pat-na1-secret',
      'visma-secret',
      'kari@port-service.no',
      '41234567',
      '41 23 45 67',
    ])
      expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    expect(output).toContain('k***@p***.no');
  });

  it('logs personal data as it is only when asked, and still never secrets', () => {
    const { logger, text } = capture(true);
    logger.info({ accessToken: 'pat-na1-secret', email: 'kari@port-service.no' }, 'ok');
    expect(text()).toContain('kari@port-service.no');
    expect(text()).not.toContain('pat-na1-secret');
  });
});
