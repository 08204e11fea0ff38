/**
 * logfmt lines (logrus and slog text handlers, go-kit, Heroku): `time=… level=error msg="…"
 * err=EOF`, every token a `key=value` pair, a value bare or in double quotes with backslash
 * escapes. Fields as in fields.ts. The message is `msg` followed by the pairs that are not the
 * time, level, message or host, as written (`upstream failed err=EOF`): the error a line reports
 * is often in such a pair.
 */
import type { ParsedHeader } from '../record.js';
import { HOST_KEYS, LEVEL_KEYS, levelFromField, MESSAGE_KEYS, TIME_KEYS, timeFromField } from './fields.js';
import type { Zone } from './time.js';

interface Pair {
  key: string;
  value: string;
  /** The pair as written in the line. */
  raw: string;
}

const HEADER_KEYS: ReadonlySet<string> = new Set([...TIME_KEYS, ...LEVEL_KEYS, ...MESSAGE_KEYS, ...HOST_KEYS]);

/** A logfmt line that names a time, level or message; undefined for anything else (free text with an `=` in it). */
export function parseLogfmtLine(line: string, zone: Zone): ParsedHeader | undefined {
  const pairs = readPairs(line);
  if (pairs === undefined || !pairs.some((pair) => HEADER_KEYS.has(pair.key) && !HOST_KEYS.includes(pair.key))) return undefined;
  const field = (keys: readonly string[]) => pairs.find((pair) => keys.includes(pair.key))?.value;
  const message = field(MESSAGE_KEYS);
  const rest = pairs.filter((pair) => !HEADER_KEYS.has(pair.key)).map((pair) => pair.raw).join(' ');
  const host = field(HOST_KEYS);
  return {
    at: timeFromField(field(TIME_KEYS), zone),
    level: levelFromField(field(LEVEL_KEYS)),
    message: message === undefined ? rest : rest === '' ? message : `${message} ${rest}`,
    messageStart: undefined,
    host: host === '' ? undefined : host,
  };
}

/** Every space-separated token as a pair, or undefined when one is not `key=value`. */
function readPairs(line: string): Pair[] | undefined {
  const pairs: Pair[] = [];
  let p = 0;
  while (p < line.length) {
    while (line.charCodeAt(p) === 32) p++;
    if (p >= line.length) break;
    const start = p;
    while (p < line.length && isKeyCode(line.charCodeAt(p))) p++;
    if (p === start || line.charCodeAt(p) !== 61 /* = */) return undefined;
    const key = line.slice(start, p);
    const value = readValue(line, p + 1);
    if (value === undefined) return undefined;
    pairs.push({ key, value: value.text, raw: line.slice(start, value.end) });
    p = value.end;
  }
  return pairs.length > 0 ? pairs : undefined;
}

function readValue(line: string, from: number): { text: string; end: number } | undefined {
  if (line.charCodeAt(from) !== 34 /* " */) {
    let end = line.indexOf(' ', from);
    if (end < 0) end = line.length;
    return { text: line.slice(from, end), end };
  }
  let text = '';
  for (let p = from + 1; p < line.length; p++) {
    const code = line.charCodeAt(p);
    if (code === 34) return isPairEnd(line, p + 1) ? { text, end: p + 1 } : undefined;
    if (code === 92 /* \ */ && p + 1 < line.length) {
      p++;
      text += unescaped(line[p]!);
    } else {
      text += line[p];
    }
  }
  return undefined; // unterminated quote
}

function isPairEnd(line: string, p: number): boolean {
  return p >= line.length || line.charCodeAt(p) === 32;
}

function unescaped(char: string): string {
  if (char === 'n') return '\n';
  if (char === 't') return '\t';
  return char;
}

/** Key characters: letters, digits and `_ . - / @`. */
function isKeyCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)
    || code === 95 || code === 46 || code === 45 || code === 47 || code === 64;
}
