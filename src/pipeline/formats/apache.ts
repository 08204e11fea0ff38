/**
 * Apache httpd error log. 2.4: `[Tue Nov 24 01:05:25.123456 2026] [php:error] [pid 123:tid 456]
 * [client 10.0.0.1:5678] msg`; 2.2: `[Tue Nov 24 01:05:25 2026] [error] [client 1.2.3.4] msg`.
 * Times are the server's local time, so they are read in the caller's local zone.
 */
import type { Level, ParsedHeader } from '../record.js';
import { normalizeLevel, skipSpaces } from './level.js';
import { isDigit, readDigits, readMonthName, wallClockMs, wallToUtc, type Zone } from './time.js';

/** `line` starts with `[` and a letter. */
export function parseApacheLine(line: string, localZone: Zone): ParsedHeader | undefined {
  if (line.charCodeAt(4) !== 32 || line.charCodeAt(8) !== 32 || line.charCodeAt(11) !== 32
    || line.charCodeAt(14) !== 58 || line.charCodeAt(17) !== 58) return undefined;
  const month = readMonthName(line, 5);
  if (month < 0) return undefined;
  // The day may be space-padded (`Nov  4`).
  const day = line.charCodeAt(9) === 32 ? readDigits(line, 10, 1) : readDigits(line, 9, 2);
  let p = 20;
  let millis = 0;
  if (line.charCodeAt(p) === 46 /* . */) {
    const digits = ++p;
    while (isDigit(line.charCodeAt(p))) p++;
    const count = Math.min(3, p - digits);
    millis = readDigits(line, digits, count) * 10 ** (3 - count);
  }
  if (line.charCodeAt(p) !== 32 || line.charCodeAt(p + 5) !== 93 /* ] */) return undefined;
  const wall = wallClockMs(
    readDigits(line, p + 1, 4), month, day,
    readDigits(line, 12, 2), readDigits(line, 15, 2), readDigits(line, 18, 2), millis,
  );
  const at = wall === undefined ? undefined : wallToUtc(wall, localZone);
  return fieldsAfterStamp(line, skipSpaces(line, p + 6), at);
}

/** `[module:level]` then the `[pid …]`, `[client …]`, `[remote …]` fields, which are not the message. */
function fieldsAfterStamp(line: string, start: number, at: number | undefined): ParsedHeader {
  let level: Level | undefined;
  let p = start;
  if (line.charCodeAt(p) === 91 /* [ */) {
    const close = line.indexOf(']', p);
    if (close > 0 && close - p < 40) {
      const colon = line.lastIndexOf(':', close);
      level = normalizeLevel(line.slice(colon > p ? colon + 1 : p + 1, close));
      if (level !== undefined) p = skipSpaces(line, close + 1);
    }
  }
  while (startsContextField(line, p)) {
    const close = line.indexOf(']', p);
    if (close < 0) break;
    p = skipSpaces(line, close + 1);
  }
  return { at, level, message: line.slice(p), messageStart: p, host: undefined };
}

const CONTEXT_FIELDS = ['[pid ', '[client ', '[remote '];

function startsContextField(line: string, p: number): boolean {
  return line.charCodeAt(p) === 91 && CONTEXT_FIELDS.some((field) => line.startsWith(field, p));
}
