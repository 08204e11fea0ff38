/**
 * nginx error log: `2026/11/24 01:05:25 [error] 123#0: *1 msg, client: …`, in the server's local
 * time. `pid#tid:` and the `*connection` number are header fields, not part of the message.
 */
import type { Level, ParsedHeader } from '../record.js';
import { normalizeLevel, skipSpaces } from './level.js';
import { isDigit, readDigits, startsWithStamp, wallClockMs, wallToUtc, type Zone } from './time.js';

/** `2026/11/24 01:05:25` is 19 characters; the last one seen and its wall-clock ms are cached. */
const STAMP_LENGTH = 19;
let cachedStamp = '';
let cachedWall: number | undefined;

/** `line` starts with four digits and `/`. */
export function parseNginxLine(line: string, localZone: Zone): ParsedHeader | undefined {
  if (line.charCodeAt(7) !== 47 || line.charCodeAt(10) !== 32 || line.charCodeAt(13) !== 58
    || line.charCodeAt(16) !== 58 || line.charCodeAt(19) !== 32) return undefined;
  const wall = cachedStamp !== '' && startsWithStamp(line, cachedStamp, 0) ? cachedWall : readStamp(line);
  const at = wall === undefined ? undefined : wallToUtc(wall, localZone);
  let p = 20;
  let level: Level | undefined;
  if (line.charCodeAt(p) === 91 /* [ */) {
    const close = line.indexOf(']', p);
    if (close > 0 && close - p < 12) {
      level = normalizeLevel(line.slice(p + 1, close));
      p = skipSpaces(line, close + 1);
    }
  }
  const messageStart = skipConnection(line, skipProcess(line, p));
  return { at, level, message: line.slice(messageStart), messageStart, host: undefined };
}

function readStamp(line: string): number | undefined {
  cachedStamp = line.slice(0, STAMP_LENGTH);
  cachedWall = wallClockMs(
    readDigits(line, 0, 4), readDigits(line, 5, 2), readDigits(line, 8, 2),
    readDigits(line, 11, 2), readDigits(line, 14, 2), readDigits(line, 17, 2),
  );
  return cachedWall;
}

/** Skips `123#0: `; returns `p` unchanged when it is not there. */
function skipProcess(line: string, p: number): number {
  let i = p;
  while (isDigit(line.charCodeAt(i))) i++;
  if (i === p || line.charCodeAt(i) !== 35 /* # */) return p;
  i++;
  while (isDigit(line.charCodeAt(i))) i++;
  return line.charCodeAt(i) === 58 /* : */ ? skipSpaces(line, i + 1) : p;
}

/** Skips `*1 `; returns `p` unchanged when it is not there. */
function skipConnection(line: string, p: number): number {
  if (line.charCodeAt(p) !== 42 /* * */) return p;
  let i = p + 1;
  while (isDigit(line.charCodeAt(i))) i++;
  return i > p + 1 && line.charCodeAt(i) === 32 ? skipSpaces(line, i) : p;
}
