/**
 * UTC offsets of IANA time zones, fast enough to ask for every snapshot of a million: one
 * formatter per zone, offsets cached per UTC hour.
 */

const HOUR = 3_600_000;

/** Formatters by time zone, shared across plans: creating one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= 256) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * UTC offsets of a time zone, cached per UTC hour: formatting a date costs microseconds, and a
 * series of snapshots shares few hours. An hour with a transition inside is never cached.
 */
export function createOffsetCache(timeZone: string): (time: number) => number {
  const format = formatterFor(timeZone);
  const exact = (time: number): number => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(time)) p[part.type] = Number(part.value);
    const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return local - (time - (((time % 1000) + 1000) % 1000));
  };
  const cache = new Map<number, number>();
  // Consecutive snapshots of a series often share an hour: remember the last one.
  let lastHour = Number.NaN;
  let lastOffset = 0;
  return (time) => {
    const hour = Math.floor(time / HOUR);
    if (hour === lastHour) return lastOffset;
    let offset = cache.get(hour);
    if (offset === undefined) {
      const start = exact(hour * HOUR);
      if (exact(hour * HOUR + HOUR - 1) !== start) return exact(time);
      cache.set(hour, start);
      offset = start;
    }
    lastHour = hour;
    lastOffset = offset;
    return offset;
  };
}
