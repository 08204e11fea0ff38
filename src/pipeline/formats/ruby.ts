/**
 * Ruby's Logger, Rails' default: `E, [2026-11-24T14:03:11.123456 #1234] ERROR -- progname: message`
 * (the severity's initial, the time without a zone, the pid, the severity padded to five, an
 * optional program name). A backtrace logged with the exception follows on lines of its own.
 */
import type { ParsedHeader } from '../record.js';
import { scanIsoTime, type TimeOut } from './iso.js';
import { normalizeLevel, skipSpaces } from './level.js';
import { isDigit, type Zone } from './time.js';

const time: TimeOut = { at: undefined };

/** Whether `line` begins like a Ruby Logger line (`E, [`): multi-line joining's header test. */
export function startsRubyLogger(line: string): boolean {
  const first = line.charCodeAt(0);
  return first >= 65 && first <= 90 && line.startsWith(', [', 1) && isDigit(line.charCodeAt(4));
}

/** A Ruby Logger line, or undefined for anything else. */
export function parseRubyLoggerLine(line: string, zone: Zone): ParsedHeader | undefined {
  if (!startsRubyLogger(line)) return undefined;
  const timeEnd = scanIsoTime(line, 4, zone, time);
  if (timeEnd < 0 || !line.startsWith(' #', timeEnd)) return undefined;
  let p = timeEnd + 2;
  while (isDigit(line.charCodeAt(p))) p++;
  if (line.charCodeAt(p) !== 93 /* ] */) return undefined;
  const labelStart = skipSpaces(line, p + 1);
  const labelEnd = line.indexOf(' -- ', labelStart);
  if (labelEnd < 0) return undefined;
  const separator = line.indexOf(':', labelEnd + 4);
  if (separator < 0) return undefined;
  const messageStart = skipSpaces(line, separator + 1);
  return { at: time.at, level: normalizeLevel(line.slice(labelStart, labelEnd)), message: line.slice(messageStart), messageStart, host: undefined };
}
