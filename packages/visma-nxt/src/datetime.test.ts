import { describe, expect, it } from 'vitest';
import { createDateTimeCodec } from './datetime.js';
import { toDateTimeFilterValue } from './unconfirmed.js';

const utc = (iso: string) => Date.parse(iso);

describe('Business NXT DateTime in Europe/Oslo', () => {
  const oslo = createDateTimeCodec('Europe/Oslo');

  it('reads and writes winter (+01:00) and summer (+02:00) time', () => {
    expect(oslo.parse('2026-01-15 12:45:33.798')).toBe(utc('2026-01-15T11:45:33.798Z'));
    expect(oslo.parse('2026-07-01 12:00:00')).toBe(utc('2026-07-01T10:00:00Z'));
    expect(oslo.format(utc('2026-01-15T11:45:33.798Z'))).toBe('2026-01-15 12:45:33.7980000');
    expect(oslo.format(utc('2026-07-01T10:00:00Z'))).toBe('2026-07-01 12:00:00.0000000');
  });

  it('reads the documented forms: no fraction, up to 7 fraction digits (cut to ms), a T separator', () => {
    expect(oslo.parse('2024-10-01 12:45:33')).toBe(utc('2024-10-01T10:45:33Z'));
    expect(oslo.parse('2024-10-01 12:45:33.7981234')).toBe(utc('2024-10-01T10:45:33.798Z'));
    expect(oslo.parse('2024-10-01T12:45:33.798')).toBe(utc('2024-10-01T10:45:33.798Z'));
    // A value that does carry a zone is that instant.
    expect(oslo.parse('2024-10-01T10:45:33.798Z')).toBe(utc('2024-10-01T10:45:33.798Z'));
    expect(oslo.parse('2024-10-01T12:45:33+02:00')).toBe(utc('2024-10-01T10:45:33Z'));
    expect(oslo.parse('not a date')).toBeNull();
    expect(oslo.parse(null)).toBeNull();
  });

  it('round-trips every quarter hour across both changes of 2026', () => {
    for (const [from, to] of [
      ['2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z'],
      ['2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z'],
    ] as const) {
      for (let ms = utc(from); ms <= utc(to); ms += 15 * 60_000) {
        const wall = oslo.format(ms);
        const back = oslo.parse(wall);
        // In the repeated hour both instants write the same wall time; it reads back as the earlier.
        expect(back === ms || back === ms - 3_600_000, `${new Date(ms).toISOString()} → ${wall}`).toBe(true);
      }
    }
  });

  it('spring (2026-03-29): 02:00–03:00 does not exist and is moved forward by the hour', () => {
    expect(oslo.format(utc('2026-03-29T00:59:59Z'))).toBe('2026-03-29 01:59:59.0000000');
    expect(oslo.format(utc('2026-03-29T01:00:00Z'))).toBe('2026-03-29 03:00:00.0000000');
    expect(oslo.parse('2026-03-29 02:30:00')).toBe(utc('2026-03-29T01:30:00Z')); // = 03:30 summer time
    expect(oslo.parse('2026-03-29 03:00:00')).toBe(utc('2026-03-29T01:00:00Z'));
    expect(oslo.parse('2026-03-29 01:59:00')).toBe(utc('2026-03-29T00:59:00Z'));
    // No fold there: a lower bound is the instant's own wall time.
    expect(oslo.lowerBound(utc('2026-03-29T00:58:00Z'))).toBe('2026-03-29 01:58:00.0000000');
  });

  it('autumn (2026-10-25): 02:00–03:00 happens twice; a wall time in it reads as the EARLIER instant', () => {
    expect(oslo.format(utc('2026-10-25T00:30:00Z'))).toBe('2026-10-25 02:30:00.0000000');
    expect(oslo.format(utc('2026-10-25T01:30:00Z'))).toBe('2026-10-25 02:30:00.0000000');
    expect(oslo.parse('2026-10-25 02:30:00')).toBe(utc('2026-10-25T00:30:00Z'));
    expect(oslo.parse('2026-10-25 02:00:00')).toBe(utc('2026-10-25T00:00:00Z'));
    expect(oslo.parse('2026-10-25 01:59:59')).toBe(utc('2026-10-24T23:59:59Z'));
    expect(oslo.parse('2026-10-25 03:00:00')).toBe(utc('2026-10-25T02:00:00Z'));
  });

  it('a lower bound in the first pass of the repeated hour is that hour start, so later rows still match', () => {
    // First 02:38 (summer time): rows stamped from the second 02:00 on come later and must match `_gte`.
    expect(oslo.lowerBound(utc('2026-10-25T00:38:00Z'))).toBe('2026-10-25 02:00:00.0000000');
    // Just before it, the instant's own wall time is lower still.
    expect(oslo.lowerBound(utc('2026-10-24T23:50:00Z'))).toBe('2026-10-25 01:50:00.0000000');
    // In the second pass, wall times only go up again.
    expect(oslo.lowerBound(utc('2026-10-25T01:38:00Z'))).toBe('2026-10-25 02:38:00.0000000');
    expect(toDateTimeFilterValue(utc('2026-10-25T00:38:00Z'))).toBe('2026-10-25 02:00:00.0000000');
  });
});

describe('a zone other than the default: America/New_York', () => {
  const newYork = createDateTimeCodec('America/New_York');

  it('reads and writes its own offsets and changes (2026-03-08 and 2026-11-01)', () => {
    expect(newYork.parse('2026-01-15 09:00:00')).toBe(utc('2026-01-15T14:00:00Z'));
    expect(newYork.parse('2026-07-01 09:00:00')).toBe(utc('2026-07-01T13:00:00Z'));
    expect(newYork.format(utc('2026-07-01T13:00:00Z'))).toBe('2026-07-01 09:00:00.0000000');
    // The gap: 02:30 does not exist; moved forward to 03:30 EDT.
    expect(newYork.parse('2026-03-08 02:30:00')).toBe(utc('2026-03-08T07:30:00Z'));
    // The fold: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST); the earlier.
    expect(newYork.parse('2026-11-01 01:30:00')).toBe(utc('2026-11-01T05:30:00Z'));
    expect(newYork.lowerBound(utc('2026-11-01T05:40:00Z'))).toBe('2026-11-01 01:00:00.0000000');
    expect(toDateTimeFilterValue(utc('2026-07-01T13:00:00Z'), 'America/New_York')).toBe(
      '2026-07-01 09:00:00.0000000',
    );
  });

  it('refuses a name that is no IANA zone', () => {
    expect(() => createDateTimeCodec('Mars/Olympus')).toThrow(RangeError);
  });
});
