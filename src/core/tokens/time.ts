// Human wording for instants and durations: "in 41 min", "3 years ago", "2024-05-01 12:00:00 UTC".

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;
const YEAR = 365.25 * DAY;

export type TimeZoneDisplay = 'utc' | 'local';

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** A positive duration in the largest unit that fits, rounded down: "45 s", "41 min", "5 h", "3 days", "1 year". */
export function formatDuration(milliseconds: number): string {
  const ms = Math.abs(milliseconds);
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h`;
  if (ms < 2 * MONTH) return plural(Math.floor(ms / DAY), 'day');
  // From 360 days on, "1 year" reads better than "12 months" (a one-year token seen a few minutes after issue).
  if (ms < 360 * DAY) return plural(Math.floor(ms / MONTH), 'month');
  return plural(Math.max(1, Math.floor(ms / YEAR)), 'year');
}

/** "in 41 min", "3 years ago", or "now" within a second. */
export function formatRelative(target: Date, now: Date): string {
  const delta = target.getTime() - now.getTime();
  if (Math.abs(delta) < SECOND) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

const pad = (value: number, width = 2): string => String(Math.trunc(value)).padStart(width, '0');

/** "2024-05-01 12:00:00 UTC", or the same in the machine's zone with its offset ("… +02:00"). */
export function formatInstant(instant: Date, timeZone: TimeZoneDisplay): string {
  if (timeZone === 'utc') return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const offsetMinutes = -instant.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.abs(offsetMinutes) / 60)}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const date = `${pad(instant.getFullYear(), 4)}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
  const time = `${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(instant.getSeconds())}`;
  return `${date} ${time} ${offset}`;
}

/** The same text as `Date.prototype.toISOString`, about ten times faster: V8's takes ~1.4 µs, a quarter of the
 * whole bare decode that decoding is benchmarked against, and a report holds four instants. Days to a civil date
 * by Howard Hinnant's algorithm (proleptic Gregorian, as ECMAScript). Years outside 0…9999 fall back to V8. */
export function toIsoString(instant: Date): string {
  const ms = instant.getTime();
  const days = Math.floor(ms / DAY);
  const msOfDay = ms - days * DAY;
  const era = Math.floor((days + 719468) / 146097);
  const dayOfEra = days + 719468 - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return instant.toISOString();
  const clock = `${pad(msOfDay / HOUR)}:${pad((msOfDay % HOUR) / MINUTE)}:${pad((msOfDay % MINUTE) / SECOND)}.${pad(msOfDay % SECOND, 3)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${clock}Z`;
}

/** Seconds since the epoch (a JWT NumericDate) as a Date, or undefined when not a usable number. */
export function fromNumericDate(value: unknown): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const DURATIONS = { MINUTE, HOUR, DAY, YEAR } as const;
