/**
 * Ruby's Logger, Rails' default: `E, [2026-11-24T14:03:11.123456 #1234] ERROR -- progname: message`
 * (the severity's initial, the time without a zone, the pid, the severity padded to five, an
 * optional program name). A backtrace logged with the exception follows on lines of its own.
 */
import type { ParsedHeader } from '../record.js';
import { scanIsoTime, type TimeOut } from './iso.js';
import { normalizeLevel, skipSpaces } from './level.js';
import { isDigit, UTC, type Zone } from './time.js';

const time: TimeOut = { at: undefined };

/** Whether `line` begins like a Ruby Logger line (`E, [`): multi-line joining's header test. */
export function startsRubyLogger(line: string): boolean {
  const first = line.charCodeAt(0);
  return first >= 65 && first <= 90 && line.startsWith(', [', 1) && isDigit(line.charCodeAt(4));
}

/** A Ruby Logger line, or undefined for anything else. */
export function parseRubyLoggerLine(line: string, zone: Zone): ParsedHeader | undefined {
  const fields = readFields(line, zone);
  if (fields === undefined) return undefined;
  const { labelStart, labelEnd, messageStart } = fields;
  return { at: time.at, level: normalizeLevel(line.slice(labelStart, labelEnd)), message: line.slice(messageStart), messageStart, host: undefined };
}

/**
 * Rails' tagged logging writes a backtrace one Logger line per frame (`F, […] FATAL -- : [req-id]
 * app/models/listing.rb:12:in 'title'`), with empty ones around it: such a line continues the
 * record before it, as PHP's date-stamped trace lines do. After the tags: a frame (`path:line`,
 * perhaps `:in …`) or nothing. Indented lines are not taken: Rails indents a request's details
 * (`  User Load …`), and an error among them must not vanish into the request's record.
 */
export function isRubyTraceLine(line: string): boolean {
  const fields = readFields(line, UTC);
  if (fields === undefined) return false;
  let p = fields.tagsStart;
  while (line.charCodeAt(p) === 91 /* [ */) {
    const close = line.indexOf('] ', p);
    if (close < 0) break;
    p = close + 2;
  }
  const rest = line.slice(p);
  return rest.trim() === '' || FRAME.test(rest);
}

/** `app/models/listing.rb:12` or `…:12:in 'title'` (backticks before Ruby 3.4). */
const FRAME = /^[\w./@-]+:\d+(?::in [`'].*)?$/;

interface Fields {
  labelStart: number;
  labelEnd: number;
  /** Where the message starts, its leading spaces skipped (the parser's message). */
  messageStart: number;
  /** Where the message starts with its spaces (Rails' tags first). */
  tagsStart: number;
}

function readFields(line: string, zone: Zone): Fields | undefined {
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
  // Logger's format puts one space after the colon; what follows is the message as written.
  const tagsStart = line.charCodeAt(separator + 1) === 32 ? separator + 2 : separator + 1;
  return { labelStart, labelEnd, messageStart: skipSpaces(line, separator + 1), tagsStart };
}
