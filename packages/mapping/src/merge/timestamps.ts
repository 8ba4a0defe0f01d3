const dateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/u;

/**
 * Reads timestamps as epoch milliseconds. HubSpot's are ISO 8601 in UTC. Business NXT's `changedTimestamp` may
 * come without a zone; such values are read in `erpTimeZone` (an IANA name, default Europe/Oslo), with the
 * zone's offset at that instant (summer time included); a time in the hour that occurs twice in October is its
 * first occurrence.
 */
export function createTimestampReader(erpTimeZone = 'Europe/Oslo') {
  // Built on first use: most plans never compare timestamps, and a formatter is costly to make.
  let format: Intl.DateTimeFormat | undefined;
  const formatter = (): Intl.DateTimeFormat => {
    format ??= new Intl.DateTimeFormat('en-US', {
      timeZone: erpTimeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    return format;
  };
  // Offsets change at most on the hour (summer time), so one lookup per hour serves every timestamp in it.
  const offsetByHour = new Map<number, number>();
  const zoneOffset = (epochMs: number): number => {
    const hour = Math.floor(epochMs / 3_600_000);
    const known = offsetByHour.get(hour);
    if (known !== undefined) return known;
    const parts: Record<string, number> = {};
    for (const part of formatter().formatToParts(hour * 3_600_000)) parts[part.type] = Number(part.value);
    const wall = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    const offset = wall - hour * 3_600_000;
    offsetByHour.set(hour, offset);
    return offset;
  };
  return (value: string | null | undefined): number | null => {
    if (value === null || value === undefined) return null;
    const match = dateTime.exec(value.trim());
    if (match === null) return null;
    const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
    if (zone !== undefined) {
      const parsed = Date.parse(value.trim().replace(' ', 'T'));
      return Number.isNaN(parsed) ? null : parsed;
    }
    const wall = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      Number(fraction.padEnd(3, '0').slice(0, 3)),
    );
    // The instants whose local time is this wall time, from the offsets around it: two in the hour that repeats
    // when summer time ends, of which the earlier is taken (as the Business NXT client reads it); none in the hour
    // skipped when it begins, where the offset before the gap is applied.
    const candidates = [wall - 3 * 3_600_000, wall, wall + 3 * 3_600_000]
      .map((near) => wall - zoneOffset(near))
      .filter((instant) => instant + zoneOffset(instant) === wall);
    if (candidates.length > 0) return Math.min(...candidates);
    return wall - zoneOffset(wall - 3 * 3_600_000);
  };
}
