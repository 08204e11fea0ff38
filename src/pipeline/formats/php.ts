/**
 * PHP's error log: `[23-Nov-2026 14:03:11 UTC] PHP Fatal error:  Uncaught …`. The zone is what
 * PHP's `date.timezone` names (`UTC`, `Europe/Berlin`, `+01:00`); php-fpm's own log has none.
 */
import type { Level, ParsedHeader } from '../record.js';
import { normalizeLevel, readPhpLabel, skipSpaces } from './level.js';
import { readDigits, readMonthName, resolveZone, startsWithStamp, wallClockMs, wallToUtc, type Zone } from './time.js';

const LONGEST_ZONE = 64;

/** The last `[date zone]` prefix and its instant: lines written in the same second parse once. */
let cachedPrefix = '';
let cachedZone: Zone | undefined;
let cachedAt: number | undefined;

/** `line` starts with `[` and a digit. */
export function parsePhpLine(line: string, localZone: Zone): ParsedHeader | undefined {
  let at: number | undefined;
  let afterPrefix: number;
  if (cachedPrefix !== '' && cachedZone === localZone && startsWithStamp(line, cachedPrefix, 0)) {
    at = cachedAt;
    afterPrefix = cachedPrefix.length;
  } else {
    const close = scanStamp(line, localZone);
    if (close < 0) return undefined;
    at = stampAt;
    afterPrefix = close + 1;
    cachedPrefix = line.slice(0, afterPrefix);
    cachedZone = localZone;
    cachedAt = at;
  }
  const messageStart = skipSpaces(line, afterPrefix);
  const php = readPhpLabel(line, messageStart);
  if (php !== undefined) return { at, level: php.level, message: line.slice(php.messageStart), messageStart: php.messageStart, host: undefined };
  const fpm = readFpmLabel(line, messageStart);
  if (fpm !== undefined) return { at, level: fpm.level, message: line.slice(fpm.messageStart), messageStart: fpm.messageStart, host: undefined };
  return { at, level: undefined, message: line.slice(messageStart), messageStart, host: undefined };
}

/** Instant read by the last `scanStamp` (undefined: a date that does not exist, or an unknown zone). */
let stampAt: number | undefined;

/** Reads `[dd-Mon-yyyy hh:mm:ss[.ffffff][ zone]]`; returns the index of `]`, or -1 when the shape is wrong. */
function scanStamp(line: string, localZone: Zone): number {
  if (line.charCodeAt(3) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(12) !== 32
    || line.charCodeAt(15) !== 58 || line.charCodeAt(18) !== 58) return -1;
  const month = readMonthName(line, 4);
  if (month < 0) return -1;
  let p = 21;
  let millis = 0;
  if (line.charCodeAt(p) === 46 /* . */) {
    const digits = ++p;
    while (p - digits < 9 && readDigits(line, p, 1) >= 0) p++;
    millis = readDigits(line, digits, Math.min(3, p - digits)) * 10 ** Math.max(0, 3 - (p - digits));
  }
  let zone: Zone | undefined = localZone;
  let close = p;
  if (line.charCodeAt(p) === 32) {
    close = line.indexOf(']', p + 1);
    if (close < 0 || close - p > LONGEST_ZONE) return -1;
    zone = resolveZone(line.slice(p + 1, close));
  }
  if (line.charCodeAt(close) !== 93 /* ] */) return -1;
  const wall = wallClockMs(
    readDigits(line, 8, 4), month, readDigits(line, 1, 2),
    readDigits(line, 13, 2), readDigits(line, 16, 2), readDigits(line, 19, 2), millis,
  );
  stampAt = wall === undefined || zone === undefined ? undefined : wallToUtc(wall, zone);
  return close;
}

/** php-fpm's own lines: `[24-Nov-2026 01:05:25] WARNING: [pool www] child 12 exited …` (an upper-case level and a colon). */
function readFpmLabel(line: string, start: number): { level: Level; messageStart: number } | undefined {
  let end = start;
  while (end - start < 8 && line.charCodeAt(end) >= 65 && line.charCodeAt(end) <= 90) end++;
  if (end === start || line.charCodeAt(end) !== 58 /* : */) return undefined;
  const level = normalizeLevel(line.slice(start, end));
  return level === undefined ? undefined : { level, messageStart: skipSpaces(line, end + 1) };
}
