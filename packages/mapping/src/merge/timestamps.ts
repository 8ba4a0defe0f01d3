const dateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/u;

/**
 * Reads timestamps as epoch milliseconds. HubSpot's are ISO 8601 in UTC. Business NXT's `changedTimestamp` may
 * come without a zone; such values are read in `erpTimeZone` (an IANA name, default Europe/Oslo), with the
 * zone's offset at that instant (summer time included).
 */
export function createTimestampReader(erpTimeZone = 'Europe/Oslo') {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: erpTimeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const zoneOffset = (epochMs: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(epochMs)) parts[part.type] = Number(part.value);
    const wall = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
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
    const firstGuess = wall - zoneOffset(wall);
    return wall - zoneOffset(firstGuess);
  };
}
