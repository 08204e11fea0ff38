/**
 * Header parsing: a record's first line → event time, level, message and host, for the common
 * error-log formats. This is the hot path, so the format is chosen by the first characters and
 * each format is read by an index-based scanner (see `formats/`), not by a chain of regexes.
 * Never throws: anything it cannot read is the unknown format, the whole line as the message.
 */
import type { ParsedHeader } from './record.js';
import { parseApacheLine } from './formats/apache.js';
import { parseBracketedIsoLine, parseIsoLine } from './formats/iso.js';
import { readEnvelope } from './formats/envelope.js';
import { parseJsonLine } from './formats/json.js';
import { parseLogfmtLine } from './formats/logfmt.js';
import { levelAtStart, readPhpLabel } from './formats/level.js';
import { parseNginxLine } from './formats/nginx.js';
import { parsePhpLine } from './formats/php.js';
import { parseRubyLoggerLine } from './formats/ruby.js';
import { parseBsdLine, parsePriorityLine } from './formats/syslog.js';
import { isDigit, resolveZone, UTC, type Zone } from './formats/time.js';

/**
 * `referenceTime` (ms) is when the line arrived; it only decides the year of syslog 3164 times,
 * which have none. `localZone` is the zone of times written without one (nginx, Apache, syslog
 * 3164, php-fpm, ISO times without an offset): an IANA name or offset, UTC by default so the
 * same input reads the same on every machine. An unknown zone name counts as UTC (check
 * configured names with `isTimeZone`).
 */
export function parseHeader(line: string, referenceTime: number, localZone = 'UTC'): ParsedHeader {
  const zone = localZone === 'UTC' ? UTC : resolveZone(localZone) ?? UTC;
  return parseKnownFormat(line, referenceTime, zone) ?? unknownFormat(line);
}

/**
 * The event time of a line, if it has one (the follower's `--since` search, a replay's order): as
 * a record starting with it gets it, the time inside an envelope first, else the envelope's.
 */
export function lineTime(line: string, referenceTime: number = Date.now(), localZone = 'UTC'): number | undefined {
  const envelope = readEnvelope(line);
  return parseHeader(envelope?.text ?? line, referenceTime, localZone).at ?? envelope?.at;
}

/** What a zone must look like, for messages about one that `isTimeZone` refuses. */
export const TIME_ZONE_HINT = 'expected an IANA time zone (Europe/Berlin) or an offset (+01:00)';

/** Whether `name` is a zone `parseHeader` understands (for validating a configured local zone). */
export function isTimeZone(name: string): boolean {
  return resolveZone(name) !== undefined;
}

/** `ERROR`, `warn`, `CRIT`, `trace3`, … → the normalized Level, or undefined. */
export { normalizeLevel } from './formats/level.js';

function parseKnownFormat(line: string, referenceTime: number, zone: Zone): ParsedHeader | undefined {
  const first = line.charCodeAt(0);
  if (first === 91 /* [ */) return parseBracketed(line, zone);
  if (isDigit(first)) return parseDigitLed(line, zone);
  if (first === 123 /* { */) return parseJsonLine(line, zone);
  if (first === 60 /* < */) return parsePriorityLine(line, referenceTime, zone);
  if (first === 80 /* P */ && line.startsWith('PHP ')) return parsePhpStderrLine(line);
  if (first >= 65 && first <= 90 /* A-Z */) return line.charCodeAt(1) === 44 /* , */ ? parseRubyLoggerLine(line, zone) : parseBsdLine(line, referenceTime, zone);
  if ((first >= 97 && first <= 122) || first === 64 /* a-z, @: a logfmt key */) return parseLogfmtLine(line, zone);
  return undefined;
}

/** PHP CLI on stderr: `PHP Fatal error:  …` with no date. */
function parsePhpStderrLine(line: string): ParsedHeader | undefined {
  const php = readPhpLabel(line, 0);
  return php === undefined ? undefined : { at: undefined, level: php.level, message: line.slice(php.messageStart), messageStart: php.messageStart, host: undefined };
}

/** `[23-Nov-2026 …]` PHP, `[2026-11-24 …]` Monolog/Laravel, `[Tue Nov 24 …]` Apache. */
function parseBracketed(line: string, zone: Zone): ParsedHeader | undefined {
  const second = line.charCodeAt(1);
  if (isDigit(second)) {
    return line.charCodeAt(5) === 45 /* - */ ? parseBracketedIsoLine(line, zone) : parsePhpLine(line, zone);
  }
  return parseApacheLine(line, zone);
}

/** `2026/11/24 …` nginx, `2026-11-24…` ISO-8601. */
function parseDigitLed(line: string, zone: Zone): ParsedHeader | undefined {
  const separator = line.charCodeAt(4);
  if (separator === 47 /* / */) return parseNginxLine(line, zone);
  if (separator === 45 /* - */) return parseIsoLine(line, zone);
  return undefined;
}

/** The whole line is the message; a level it states at its start (`ERROR: …`, `panic: …`) is read, and left in it. */
function unknownFormat(line: string): ParsedHeader {
  return { at: undefined, level: levelAtStart(line), message: line, messageStart: 0, host: undefined };
}
