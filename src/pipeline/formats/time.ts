/**
 * Calendar arithmetic and time zones for header timestamps. Plain integer maths instead of
 * `Date.parse` (which accepts garbage and differs between engines): a date that does not exist
 * gives `undefined`, never NaN.
 */

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1] ?? 0;
}

/**
 * Wall-clock fields read as if they were UTC → ms since the epoch; `undefined` when the date or
 * time does not exist (31-Feb, 25:00). Fields are the raw numbers a scanner read; -1 means
 * "not digits" and fails the range checks.
 */
export function wallClockMs(
  year: number, month: number, day: number, hour: number, minute: number, second: number, millis = 0,
): number | undefined {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || millis < 0) return undefined;
  // A leap second (":60") reads as the minute's last millisecond, so order is kept.
  const wholeSecond = second === 60 ? 59 : second;
  const fraction = second === 60 ? 999 : millis;
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + wholeSecond * 1000 + fraction;
}

/** The UTC calendar year of an instant (used to infer a missing year). */
export function utcYear(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** `count` ASCII digits at `start` as a number, or -1 when any of them is not a digit. */
export function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Month abbreviation (`Jan`…`Dec`, as syslog, Apache and PHP write them) at `start` → 1..12,
 * or -1. Keyed by the three char codes so the hot path allocates nothing.
 */
export function readMonthName(text: string, start: number): number {
  const key = (text.charCodeAt(start) << 16) | (text.charCodeAt(start + 1) << 8) | text.charCodeAt(start + 2);
  return MONTHS.get(key) ?? -1;
}

const MONTHS = new Map<number, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
    (name, index) => [(name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), index + 1],
  ),
);

/** A time zone: a fixed offset, or an IANA zone whose offset is looked up with Intl. */
export type Zone =
  | { readonly kind: 'fixed'; readonly offsetMs: number }
  | { readonly kind: 'named'; readonly formatter: Intl.DateTimeFormat; readonly offsets: Map<number, number> };

export const UTC: Zone = { kind: 'fixed', offsetMs: 0 };

/**
 * Zone abbreviations PHP and servers write. They mean a fixed offset (CEST is always +2), so they
 * are looked up before Intl, which would read `CET` as a zone with daylight saving.
 */
const ABBREVIATION_HOURS: Record<string, number> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0, WEST: 1, BST: 1, CET: 1, CEST: 2, MET: 1, MEST: 2, EET: 2, EEST: 3,
  MSK: 3, EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7, AKST: -9, AKDT: -8,
  HST: -10, JST: 9, KST: 9, AEST: 10, AEDT: 11, ACST: 9.5, ACDT: 10.5, AWST: 8, NZST: 12, NZDT: 13,
};

/** Zones by the spelling found in logs; bounded because the spelling comes from the input. */
const ZONE_CACHE_MAX = 256;
const zoneCache = new Map<string, Zone | null>();

/**
 * A zone from its spelling in a log line: `UTC`, `Z`, `+01:00`, `-0500`, `+05`, `UTC+2`, an
 * abbreviation (`CEST`) or an IANA name (`Europe/Berlin`). `undefined` when unknown.
 */
export function resolveZone(spelling: string): Zone | undefined {
  const cached = zoneCache.get(spelling);
  if (cached !== undefined) return cached ?? undefined;
  const zone = fixedZone(spelling) ?? namedZone(spelling);
  if (zoneCache.size >= ZONE_CACHE_MAX) zoneCache.clear();
  zoneCache.set(spelling, zone ?? null);
  return zone;
}

function fixedZone(spelling: string): Zone | undefined {
  const hours = ABBREVIATION_HOURS[spelling];
  if (hours !== undefined) return { kind: 'fixed', offsetMs: hours * MS_PER_HOUR };
  const offset = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/.exec(spelling);
  if (offset === null) return undefined;
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  if (minutes > 18 * 60) return undefined;
  return { kind: 'fixed', offsetMs: (offset[1] === '-' ? -minutes : minutes) * MS_PER_MINUTE };
}

function namedZone(spelling: string): Zone | undefined {
  if (spelling.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(spelling)) return undefined;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: spelling, timeZoneName: 'longOffset' });
    return { kind: 'named', formatter, offsets: new Map() };
  } catch {
    return undefined; // RangeError: not a zone Intl knows
  }
}

/**
 * Offsets are cached per zone and quarter hour: every real transition falls on a quarter hour
 * in UTC (Newfoundland's are at :30), so the offset is constant inside one bucket.
 */
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const OFFSETS_PER_ZONE_MAX = 4096;

/** The zone's offset from UTC (ms, east positive) at a UTC instant. */
export function offsetAt(zone: Zone, utcMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMs;
  const bucket = Math.floor(utcMs / OFFSET_BUCKET_MS);
  const cached = zone.offsets.get(bucket);
  if (cached !== undefined) return cached;
  const offset = intlOffset(zone.formatter, bucket * OFFSET_BUCKET_MS);
  if (zone.offsets.size >= OFFSETS_PER_ZONE_MAX) zone.offsets.clear();
  zone.offsets.set(bucket, offset);
  return offset;
}

/** Reads Intl's `GMT+01:00` (or `GMT`, or historical `GMT+00:53:28`) for one instant. */
function intlOffset(formatter: Intl.DateTimeFormat, utcMs: number): number {
  if (!Number.isFinite(utcMs) || Math.abs(utcMs) > 8.64e15) return 0;
  const name = formatter.formatToParts(utcMs).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(name);
  if (match === null) return 0;
  const ms = Number(match[2]) * MS_PER_HOUR + Number(match[3] ?? 0) * MS_PER_MINUTE + Number(match[4] ?? 0) * 1000;
  return match[1] === '-' ? -ms : ms;
}

/**
 * A wall-clock time in `zone` (as ms read as if UTC) → the UTC instant. Ambiguous times (the
 * repeated hour in autumn) take the later instant; times skipped in spring are read with the
 * offset before the change, as clocks that missed the jump would write them.
 */
export function wallToUtc(wallMs: number, zone: Zone): number {
  if (zone.kind === 'fixed') return wallMs - zone.offsetMs;
  const guess = offsetAt(zone, wallMs);
  const first = wallMs - guess;
  const atFirst = offsetAt(zone, first);
  if (atFirst === guess) return first;
  const second = wallMs - atFirst;
  if (offsetAt(zone, second) === atFirst) return second;
  return wallMs - Math.min(guess, atFirst);
}

/**
 * `text.startsWith(prefix, at)`, for the cached stamp prefixes (19–30 characters) the formats
 * compare every line with: `lastIndexOf` from `at` compares the characters in one block, about
 * twice as fast as `startsWith` at these lengths here (V8 11.3), and looks no further back than `at`.
 */
export function startsWithStamp(text: string, prefix: string, at: number): boolean {
  // Clamped as startsWith clamps its position (only an empty prefix could tell).
  const from = Math.min(at, text.length);
  return text.lastIndexOf(prefix, from) === from;
}
