import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it.each([
    [' Ola.Nordmann@Example.NO ', 'ola.nordmann@example.no'],
    ['post@port-service.no', 'post@port-service.no'],
    ['iselin+crm@port-service.no', 'iselin+crm@port-service.no'],
    ['kari@bø.no', 'kari@bø.no'],
  ])('normalizes %j to %s', (raw, expected) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['ola'],
    ['ola@'],
    ['@example.no'],
    ['ola@example'],
    ['ola nordmann@example.no'],
    ['ola..nordmann@example.no'],
    ['.ola@example.no'],
    ['ola@-example.no'],
    ['ola@example.no>'],
    ['<script>@example.no'],
    [`${'a'.repeat(65)}@example.no`],
  ])('rejects %j', (raw) => {
    const result = normalizeEmail(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rule).toMatch(/^email-/);
  });

  it('rejects addresses over 254 characters', () => {
    const result = normalizeEmail(`${'a'.repeat(60)}@${'b'.repeat(200)}.no`);
    expect(result).toMatchObject({ ok: false, rule: 'email-length' });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress()), (raw) => {
        const once = normalizeEmail(raw);
        if (once.ok && once.value !== null) expect(normalizeEmail(once.value)).toEqual(once);
      }),
    );
  });
});
