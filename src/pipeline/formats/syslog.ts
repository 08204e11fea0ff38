/**
 * Syslog lines as files and relays store them. RFC 3164, with or without `<PRI>`:
 * `<34>Nov 24 01:05:25 web-3 php-fpm[123]: msg` (no year, no zone: local time, year inferred
 * from the arrival time). RFC 5424: `<34>1 2026-11-24T01:05:25.003Z web-3 app 123 ID47 [sd…] msg`.
 */
import type { Level, ParsedHeader } from '../record.js';
import { scanIsoTime, type TimeOut } from './iso.js';
import { levelFromSyslogPriority, levelFromWords, skipSpaces } from './level.js';
import { readDigits, readMonthName, utcYear, wallClockMs, wallToUtc, type Zone } from './time.js';

const MS_PER_DAY = 86_400_000;
const MAX_PRIORITY = 191; // facility 23 × 8 + severity 7

/** `line` starts with `<`. */
export function parsePriorityLine(line: string, referenceTime: number, localZone: Zone): ParsedHeader | undefined {
  const close = line.indexOf('>');
  if (close < 2 || close > 4) return undefined;
  const priority = readDigits(line, 1, close - 1);
  if (priority < 0 || priority > MAX_PRIORITY) return undefined;
  const level = levelFromSyslogPriority(priority);
  const p = close + 1;
  if (line.charCodeAt(p) === 49 /* 1 */ && line.charCodeAt(p + 1) === 32) return parse5424(line, p + 2, level, localZone);
  return parse3164(line, p, level, referenceTime, localZone)
    ?? { at: undefined, level, message: line.slice(p), messageStart: p, host: undefined };
}

/** `line` starts with an upper-case letter: RFC 3164 without PRI, when a month name leads. */
export function parseBsdLine(line: string, referenceTime: number, localZone: Zone): ParsedHeader | undefined {
  return parse3164(line, 0, undefined, referenceTime, localZone);
}

/** `Mmm dd hh:mm:ss HOST TAG: msg` at `start`; `level` undefined means "read it from the words". */
function parse3164(
  line: string, start: number, level: Level | undefined, referenceTime: number, localZone: Zone,
): ParsedHeader | undefined {
  const month = readMonthName(line, start);
  if (month < 0 || line.charCodeAt(start + 3) !== 32 || line.charCodeAt(start + 6) !== 32
    || line.charCodeAt(start + 9) !== 58 || line.charCodeAt(start + 12) !== 58 || line.charCodeAt(start + 15) !== 32) return undefined;
  const day = line.charCodeAt(start + 4) === 32 ? readDigits(line, start + 5, 1) : readDigits(line, start + 4, 2);
  const at = inferYear(
    month, day, readDigits(line, start + 7, 2), readDigits(line, start + 10, 2), readDigits(line, start + 13, 2),
    referenceTime, localZone,
  );
  const { host, messageStart } = hostAndTag(line, skipSpaces(line, start + 16));
  const message = line.slice(messageStart);
  return { at, level: level ?? levelFromWords(message), message, messageStart, host };
}

/**
 * The instant of a year-less time: of last year, this year and next year (by the reference's UTC
 * year), the one nearest the reference and not more than a day after it (a clock a little fast,
 * but not a line from the future). Undefined when no candidate exists (29-Feb, 31-Apr).
 */
function inferYear(
  month: number, day: number, hour: number, minute: number, second: number, referenceTime: number, zone: Zone,
): number | undefined {
  const referenceYear = utcYear(referenceTime);
  let best: number | undefined;
  for (let year = referenceYear - 1; year <= referenceYear + 1; year++) {
    const wall = wallClockMs(year, month, day, hour, minute, second);
    if (wall === undefined) continue;
    const at = wallToUtc(wall, zone);
    if (at > referenceTime + MS_PER_DAY) continue;
    if (best === undefined || Math.abs(at - referenceTime) < Math.abs(best - referenceTime)) best = at;
  }
  return best;
}

/**
 * After the time: `HOST TAG: msg`, or `TAG: msg` when the sender left the host out (the first
 * token then ends in `:` or holds `[pid]`). The tag is not part of the message.
 */
function hostAndTag(line: string, start: number): { host: string | undefined; messageStart: number } {
  const firstEnd = tokenEnd(line, start);
  if (isTag(line, start, firstEnd)) return { host: undefined, messageStart: skipSpaces(line, firstEnd) };
  const host = firstEnd > start ? line.slice(start, firstEnd) : undefined;
  const tagStart = skipSpaces(line, firstEnd);
  const tagEnd = tokenEnd(line, tagStart);
  const hasTag = tagEnd > tagStart && line.charCodeAt(tagEnd - 1) === 58 /* : */;
  return { host, messageStart: hasTag ? skipSpaces(line, tagEnd) : tagStart };
}

function tokenEnd(line: string, start: number): number {
  const space = line.indexOf(' ', start);
  return space < 0 ? line.length : space;
}

function isTag(line: string, start: number, end: number): boolean {
  if (end <= start) return false;
  if (line.charCodeAt(end - 1) === 58 /* : */) return true;
  const bracket = line.indexOf('[', start);
  return bracket >= 0 && bracket < end;
}

const NIL = 45; // '-', RFC 5424's NILVALUE
const scanned: TimeOut = { at: undefined };

/** `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]` at `start`. */
function parse5424(line: string, start: number, level: Level, localZone: Zone): ParsedHeader {
  let at: number | undefined;
  let p = start;
  if (line.charCodeAt(p) === NIL && line.charCodeAt(p + 1) === 32) {
    p += 2;
  } else {
    const end = scanIsoTime(line, p, localZone, scanned);
    if (end < 0 || line.charCodeAt(end) !== 32) return { at: undefined, level, message: line.slice(start), messageStart: start, host: undefined };
    at = scanned.at;
    p = end + 1;
  }
  const hostEnd = tokenEnd(line, p);
  const host = hostEnd === p + 1 && line.charCodeAt(p) === NIL ? undefined : line.slice(p, hostEnd) || undefined;
  p = hostEnd;
  for (let field = 0; field < 3 && p < line.length; field++) p = tokenEnd(line, p + 1); // APP-NAME PROCID MSGID
  p = skipStructuredData(line, p + 1);
  if (line.charCodeAt(p) === 32) p++;
  if (line.charCodeAt(p) === 0xfeff) p++; // MSG may start with a BOM to say it is UTF-8
  return { at, level, message: line.slice(p), messageStart: p, host };
}

/** Skips `-` or one or more `[id key="value"…]` elements; `\]` and `\"` inside values are escaped. */
function skipStructuredData(line: string, start: number): number {
  if (line.charCodeAt(start) === NIL) return start + 1;
  let p = start;
  while (line.charCodeAt(p) === 91 /* [ */) {
    let inQuotes = false;
    p++;
    for (; p < line.length; p++) {
      const code = line.charCodeAt(p);
      if (code === 92 /* \ */ && inQuotes) p++;
      else if (code === 34 /* " */) inQuotes = !inQuotes;
      else if (code === 93 /* ] */ && !inQuotes) break;
    }
    p++;
  }
  return Math.min(p, line.length);
}
