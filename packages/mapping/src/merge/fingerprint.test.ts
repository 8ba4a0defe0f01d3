import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFingerprinter } from './fingerprint.js';

describe('createFingerprinter', () => {
  const fingerprint = createFingerprinter('installation-secret-0123');

  it('is SHA3-256 over the derived key, the field and the value, truncated to 128 bits', () => {
    const derived = createHmac('sha256', 'installation-secret-0123')
      .update('crm-sync fingerprint key v1')
      .digest('hex');
    const expected = createHash('sha3-256')
      .update(`${derived}phone\u0001+4799582244`)
      .digest('base64url')
      .slice(0, 22);
    expect(fingerprint('phone', '+4799582244')).toBe(expected);
    expect(expected).toHaveLength(22);
  });

  it('is deterministic and separates fields, values, empty and secrets', () => {
    expect(fingerprint('phone', '+4799582244')).toBe(fingerprint('phone', '+4799582244'));
    expect(fingerprint('phone', '+4799582244')).not.toBe(fingerprint('mobile', '+4799582244'));
    expect(fingerprint('phone', '+4799582244')).not.toBe(fingerprint('phone', '+4799582245'));
    expect(fingerprint('phone', null)).not.toBe(fingerprint('phone', ''));
    expect(createFingerprinter('another-secret-0123')('phone', '+4799582244')).not.toBe(
      fingerprint('phone', '+4799582244'),
    );
  });

  it('contains nothing of the value', () => {
    expect(fingerprint('email', 'iselin@port-service.no')).not.toMatch(/iselin|port/);
  });

  it('refuses a short secret', () => {
    expect(() => createFingerprinter('short')).toThrow(/at least 16/);
  });
});
