import { describe, expect, it } from 'vitest';
import { createTimestampReader } from './timestamps.js';

describe('createTimestampReader', () => {
  const read = createTimestampReader('Europe/Oslo');

  it.each([
    // Oslo is UTC+1 in winter and UTC+2 in summer.
    ['2026-11-24T12:00:00', '2026-11-24T11:00:00.000Z'],
    ['2026-11-24 12:34:56.1234567', '2026-11-24T11:34:56.123Z'],
    ['2026-07-01T12:00:00', '2026-07-01T10:00:00.000Z'],
    ['2026-07-01T23:59:59.999', '2026-07-01T21:59:59.999Z'],
    ['2026-11-24T12:00:00Z', '2026-11-24T12:00:00.000Z'],
    ['2026-11-24T12:00:00.5+02:00', '2026-11-24T10:00:00.500Z'],
  ])('reads %s as %s', (value, iso) => {
    expect(read(value)).toBe(Date.parse(iso));
  });

  it('reads every minute of a day the same as a direct conversion would', () => {
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const hh = String(Math.floor(minute / 60)).padStart(2, '0');
      const mm = String(minute % 60).padStart(2, '0');
      expect(read(`2026-01-15T${hh}:${mm}:00`)).toBe(Date.parse(`2026-01-15T${hh}:${mm}:00+01:00`));
      expect(read(`2026-06-15T${hh}:${mm}:00`)).toBe(Date.parse(`2026-06-15T${hh}:${mm}:00+02:00`));
    }
  });

  it('gives null for missing or unreadable values', () => {
    expect(read(null)).toBeNull();
    expect(read(undefined)).toBeNull();
    expect(read('yesterday')).toBeNull();
    expect(read('2026-13-45T99:00:00Z')).toBeNull();
  });
});

describe('Business NXT times around the changes of summer time in Europe/Oslo', () => {
  const read = createTimestampReader('Europe/Oslo');
  it('reads a time in the hour that occurs twice (25 October 2026) as its first occurrence', () => {
    expect(read('2026-10-25 02:30:00')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(read('2026-10-25 01:59:59')).toBe(Date.parse('2026-10-24T23:59:59Z'));
    expect(read('2026-10-25 03:00:00')).toBe(Date.parse('2026-10-25T02:00:00Z'));
  });
  it('reads the hour skipped in spring (29 March 2026) with the winter offset, and the times around it exactly', () => {
    expect(read('2026-03-29 01:59:00')).toBe(Date.parse('2026-03-29T00:59:00Z'));
    expect(read('2026-03-29 02:30:00')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(read('2026-03-29 03:00:00')).toBe(Date.parse('2026-03-29T01:00:00Z'));
  });
});
