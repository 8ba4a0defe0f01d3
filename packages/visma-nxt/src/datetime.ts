/**
 * Business NXT `DateTime` values (`createdTimestamp`, `changedTimestamp`) are T-SQL `datetime2` values written
 * `yyyy-MM-dd HH:mm:ss[.nnnnnnn]` in the server's local time, with no time zone
 * (https://docs.vismasoftware.no/businessnxtapi/apireference/schema/datetime/). This module converts between such
 * wall-clock values in a given IANA zone and instants (epoch milliseconds), daylight saving included, with
 * `Intl.DateTimeFormat` only.
 */

const wallPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/u;

const hour = 3_600_000;
const day = 24 * hour;
// Further than any daylight-saving change moves the clocks (1 hour in Europe/Oslo; at most 2 hours anywhere).
const foldWindow = 3 * hour;

export interface DateTimeCodec {
  /** The IANA zone the server's wall-clock values are read and written in. */
  readonly timeZone: string;
  /**
   * A value as Business NXT writes it (wall time in `timeZone`; a value with `Z` or an offset is read as that
   * instant) as epoch milliseconds, or `null` when it is not a date-time. Fractions below a millisecond are cut.
   * A wall time that occurs twice (the hour the clocks go back) is read as the EARLIER instant, so a watermark
   * made from it is a lower bound: a change can be read twice (the fingerprints suppress the echo), never missed.
   * A wall time that never occurs (the hour the clocks go forward) is moved forward by the gap, as a clock does.
   */
  parse(value: string | null | undefined): number | null;
  /** An instant as the server writes it: `yyyy-MM-dd HH:mm:ss.fffffff`, wall time in `timeZone`. */
  format(epochMs: number): string;
  /**
   * The filter value for "changed at or after this instant" (`_gte`): the server compares wall times, so in the
   * first pass of an hour that repeats, the bound is the repeated hour's start: a row stamped after the clocks
   * went back carries an earlier wall time than the instant's own, and must still match.
   */
  lowerBound(epochMs: number): string;
}

/** Throws a `RangeError` when `timeZone` is not an IANA zone this runtime knows. */
export function createDateTimeCodec(timeZone: string): DateTimeCodec {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    era: 'short',
  });
  const offsets = new Map<number, number>();
  /** The zone's offset from UTC at an instant, in ms (whole seconds: zones have no finer offsets since 1972). */
  const offsetAt = (epochMs: number): number => {
    const second = Math.floor(epochMs / 1000) * 1000;
    const known = offsets.get(second);
    if (known !== undefined) return known;
    const parts: Record<string, string> = {};
    for (const part of formatter.formatToParts(second)) parts[part.type] = part.value;
    const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1);
    const wall = new Date(0);
    wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
    wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
    const offset = wall.getTime() - second;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(second, offset);
    return offset;
  };
  const writeWall = (wallMs: number): string =>
    `${new Date(wallMs).toISOString().slice(0, 23).replace('T', ' ')}0000`;

  return {
    timeZone,
    parse(value) {
      if (value === null || value === undefined) return null;
      const match = wallPattern.exec(value.trim());
      if (match === null) return null;
      const [, year, month, dayOfMonth, hours, minutes, seconds = '0', fraction = '', zone] = match;
      const wall = new Date(0);
      wall.setUTCFullYear(Number(year), Number(month) - 1, Number(dayOfMonth));
      wall.setUTCHours(
        Number(hours),
        Number(minutes),
        Number(seconds),
        Number(fraction.padEnd(3, '0').slice(0, 3)),
      );
      const w = wall.getTime();
      if (Number.isNaN(w)) return null;
      if (zone !== undefined) {
        if (zone === 'Z') return w;
        const sign = zone.startsWith('-') ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        return w - sign * (Number(digits.slice(0, 2)) * hour + Number(digits.slice(2)) * 60_000);
      }
      // The offsets a day either side: at most one change lies between them.
      const before = offsetAt(w - day);
      const after = offsetAt(w + day);
      const instants = [...new Set([before, after])]
        .map((offset) => w - offset)
        .filter((instant) => instant + offsetAt(instant) === w)
        .sort((a, b) => a - b);
      // Twice (clocks went back): the earlier. Never (clocks went forward): read with the offset before the
      // change, which lands the gap's length later.
      return instants[0] ?? w - before;
    },
    format(epochMs) {
      return writeWall(epochMs + offsetAt(epochMs));
    },
    lowerBound(epochMs) {
      const own = epochMs + offsetAt(epochMs);
      const later = offsetAt(epochMs + foldWindow);
      if (later >= offsetAt(epochMs)) return writeWall(own);
      // The clocks go back within the window: find the change, the first instant with the later offset.
      let low = epochMs;
      let high = epochMs + foldWindow;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(middle) === later) high = middle;
        else low = middle;
      }
      return writeWall(Math.min(own, high + later));
    },
  };
}
