/**
 * ISO-8601 timestamps: the scanner shared by ISO-prefixed lines, RFC 5424, JSON time strings and
 * Monolog/Laravel's bracketed form, plus the parsers for the two line shapes led by one.
 */
import type { ParsedHeader } from '../record.js';
import { findLevelField, readLevelToken, skipSpaces } from './level.js';
import { isDigit, readDigits, resolveZone, startsWithStamp, UTC, wallClockMs, wallToUtc, type Zone } from './time.js';

/** Where `scanIsoTime` puts the instant it read (reused, so the hot path allocates nothing). */
export interface TimeOut {
  at: number | undefined;
}

/** `YYYY-MM-DDTHH:MM:SS` is 19 characters; its wall-clock ms is cached per distinct second. */
const SECOND_PREFIX_LENGTH = 19;
let cachedSecond = '';
let cachedSecondWallMs: number | undefined;

/**
 * Reads `YYYY-MM-DD[T ]HH:MM:SS[.,fraction][Z|±HH[:MM]]` at `start`. Returns the index after it,
 * or -1 when the text there is not such a time. `out.at` is the instant, or undefined when the
 * shape is right but the date does not exist (31-Feb). Times without an offset are in `zone`.
 */
export function scanIsoTime(text: string, start: number, zone: Zone, out: TimeOut): number {
  if (!hasIsoShape(text, start)) return -1;
  let wall = cachedSecond !== '' && startsWithStamp(text, cachedSecond, start) ? cachedSecondWallMs : readWallSecond(text, start);
  let p = start + SECOND_PREFIX_LENGTH;
  const fractionCode = text.charCodeAt(p);
  if (fractionCode === 46 /* . */ || fractionCode === 44 /* , */) {
    const digitsStart = p + 1;
    p = digitsStart;
    while (isDigit(text.charCodeAt(p))) p++;
    if (p === digitsStart) return -1;
    if (wall !== undefined) wall += fractionMillis(text, digitsStart, p);
  }
  let lineZone = zone;
  const zoneCode = text.charCodeAt(p);
  if (zoneCode === 90 /* Z */ || zoneCode === 122 /* z */) {
    lineZone = UTC;
    p++;
  } else if ((zoneCode === 43 /* + */ || zoneCode === 45 /* - */) && isDigit(text.charCodeAt(p + 1))) {
    const offsetEnd = scanOffsetEnd(text, p);
    const offsetZone = offsetEnd < 0 ? undefined : resolveZone(text.slice(p, offsetEnd));
    if (offsetZone === undefined) return -1;
    lineZone = offsetZone;
    p = offsetEnd;
  }
  out.at = wall === undefined ? undefined : wallToUtc(wall, lineZone);
  return p;
}

function hasIsoShape(text: string, start: number): boolean {
  const separator = text.charCodeAt(start + 10);
  return text.charCodeAt(start + 4) === 45 && text.charCodeAt(start + 7) === 45
    && (separator === 84 /* T */ || separator === 32 || separator === 116 /* t */)
    && text.charCodeAt(start + 13) === 58 && text.charCodeAt(start + 16) === 58;
}

function readWallSecond(text: string, start: number): number | undefined {
  const wall = wallClockMs(
    readDigits(text, start, 4), readDigits(text, start + 5, 2), readDigits(text, start + 8, 2),
    readDigits(text, start + 11, 2), readDigits(text, start + 14, 2), readDigits(text, start + 17, 2),
  );
  cachedSecond = text.slice(start, start + SECOND_PREFIX_LENGTH);
  cachedSecondWallMs = wall;
  return wall;
}

/** The first three fraction digits as milliseconds (`.5` → 500, `.123456789` → 123). */
function fractionMillis(text: string, from: number, to: number): number {
  let millis = 0;
  for (let i = 0; i < 3; i++) millis = millis * 10 + (from + i < to ? text.charCodeAt(from + i) - 48 : 0);
  return millis;
}

/** End of `+HH`, `+HHMM` or `+HH:MM` at `p`, or -1. */
function scanOffsetEnd(text: string, p: number): number {
  if (readDigits(text, p + 1, 2) < 0) return -1;
  if (text.charCodeAt(p + 3) === 58 /* : */) return readDigits(text, p + 4, 2) < 0 ? -1 : p + 6;
  return readDigits(text, p + 3, 2) < 0 ? p + 3 : p + 5;
}

/** A whole string that is an ISO-8601 time (JSON fields); undefined otherwise. */
export function parseIsoString(text: string, zone: Zone): number | undefined {
  const out: TimeOut = { at: undefined };
  const end = scanIsoTime(text, 0, zone, out);
  return end === text.length ? out.at : undefined;
}

const scanned: TimeOut = { at: undefined };

/** `2026-11-24T01:05:25Z ERROR msg`, `2026-11-24 01:05:25,123 [warn] msg`, … */
export function parseIsoLine(line: string, zone: Zone): ParsedHeader | undefined {
  const end = scanIsoTime(line, 0, zone, scanned);
  if (end < 0 || !endsToken(line, end)) return undefined;
  return headerAfterTime(line, skipSpaces(line, end), scanned.at);
}

/** Monolog/Laravel: `[2026-11-24 01:05:25] production.ERROR: msg`, `[2026-11-24T01:05:25.123+00:00] app.WARNING: …`. */
export function parseBracketedIsoLine(line: string, zone: Zone): ParsedHeader | undefined {
  const end = scanIsoTime(line, 1, zone, scanned);
  if (end < 0 || line.charCodeAt(end) !== 93 /* ] */) return undefined;
  return headerAfterTime(line, skipSpaces(line, end + 1), scanned.at);
}

function endsToken(line: string, index: number): boolean {
  const code = line.charCodeAt(index);
  return index >= line.length || code === 32 || code === 9;
}

function headerAfterTime(line: string, messageStart: number, at: number | undefined): ParsedHeader {
  const token = readLevelToken(line, messageStart);
  if (token === undefined) return { at, level: findLevelField(line, messageStart), message: line.slice(messageStart), messageStart, host: undefined };
  return { at, level: token.level, message: line.slice(token.messageStart), messageStart: token.messageStart, host: undefined };
}
