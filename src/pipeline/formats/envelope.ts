/**
 * Envelopes: log files and streams that wrap every line an application wrote with the time (and
 * more) of whatever collected it. Docker's json-file driver (`{"log":"…\n","stream":"stderr",
 * "time":"…"}`, under /var/lib/docker/containers), the CRI format Kubernetes nodes keep under
 * /var/log/pods (`2026-11-24T14:03:11.123456789Z stderr F …`), and systemd's journal as
 * `journalctl -o json` writes it (`MESSAGE`, `__REALTIME_TIMESTAMP` in µs, `PRIORITY`,
 * `_HOSTNAME`). The line the application wrote is inside, so multi-line joining and header parsing
 * read that (a PHP stack trace is one envelope per frame), and what the line does not say itself
 * (its time, its level, its host) comes from the envelope.
 *
 * A line too long for a container runtime is split into parts (Docker: a `log` without its `\n`;
 * CRI: the `P` tag); each part is a line here, and the parts after the first continue its record.
 */
import type { Level } from '../record.js';
import { parseIsoString } from './iso.js';
import { parseJsonObject } from './json.js';
import { levelFromSyslogPriority } from './level.js';
import { isDigit, UTC } from './time.js';

export interface Envelope {
  /** What the application wrote, without the line end. */
  text: string;
  /** The collector's time for it, ms since the epoch. */
  at: number | undefined;
  /** The journal's PRIORITY, where there is one. */
  level?: Level;
  /** The journal's `_HOSTNAME`, where there is one. */
  host?: string;
  /** A part of a line too long for the runtime: the next line is its rest. */
  partial: boolean;
}

const DOCKER_PREFIX = '{"log":';
/** `journalctl -o json` starts every entry with its cursor; the time field is what makes it an entry. */
const JOURNAL_TIME_FIELD = '"__REALTIME_TIMESTAMP":';
const CRI_STREAMS = ['stdout ', 'stderr '];
/** `2026-11-24T14:03:11Z` is the shortest time CRI writes; a space must follow it. */
const MIN_CRI_TIME_LENGTH = 20;

/** The line inside an envelope, or undefined when `line` is not one. */
export function readEnvelope(line: string): Envelope | undefined {
  const first = line.charCodeAt(0);
  if (first === 123 /* { */) {
    if (line.startsWith(DOCKER_PREFIX)) return readDockerLine(line);
    return line.includes(JOURNAL_TIME_FIELD) ? readJournalEntry(line) : undefined;
  }
  return isDigit(first) ? readCriLine(line) : undefined;
}

/** What multi-line joining and header parsing read of a line: the inside of an envelope, else the line. */
export function envelopeText(line: string): string {
  return readEnvelope(line)?.text ?? line;
}

function readDockerLine(line: string): Envelope | undefined {
  const entry = parseJsonObject(line);
  if (entry === undefined || typeof entry['log'] !== 'string') return undefined;
  const time = entry['time'];
  const log = entry['log'];
  return { text: withoutLineEnd(log), at: typeof time === 'string' ? parseIsoString(time, UTC) : undefined, partial: !log.endsWith('\n') };
}

function readJournalEntry(line: string): Envelope | undefined {
  const entry = parseJsonObject(line);
  if (entry === undefined || entry['MESSAGE'] === undefined || typeof entry['__REALTIME_TIMESTAMP'] !== 'string') return undefined;
  const micros = Number(entry['__REALTIME_TIMESTAMP']);
  const priority = entry['PRIORITY'];
  const host = entry['_HOSTNAME'];
  return {
    text: withoutLineEnd(journalText(entry['MESSAGE'])),
    at: Number.isFinite(micros) && micros >= 0 ? Math.floor(micros / 1000) : undefined,
    partial: false,
    ...(typeof priority === 'string' && /^[0-7]$/.test(priority) ? { level: levelFromSyslogPriority(Number(priority)) } : {}),
    ...(typeof host === 'string' && host !== '' ? { host } : {}),
  };
}

/** The journal writes a message that is not valid UTF-8 as an array of its bytes. */
function journalText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) return Buffer.from(value as number[]).toString('utf8');
  return JSON.stringify(value);
}

/** `<RFC 3339 time> <stdout|stderr> <tags> <text>`; the tags are `F` (a full line) or `P` (a part), perhaps more after `:`. */
function readCriLine(line: string): Envelope | undefined {
  const timeEnd = line.indexOf(' ');
  if (timeEnd < MIN_CRI_TIME_LENGTH || line.charCodeAt(10) !== 84 /* T */) return undefined;
  const stream = timeEnd + 1;
  if (!CRI_STREAMS.some((name) => line.startsWith(name, stream))) return undefined;
  const tags = stream + CRI_STREAMS[0]!.length;
  const space = line.indexOf(' ', tags);
  const tagsEnd = space < 0 ? line.length : space;
  const tag = line.charCodeAt(tags);
  if ((tag !== 70 /* F */ && tag !== 80 /* P */) || (tagsEnd !== tags + 1 && line.charCodeAt(tags + 1) !== 58 /* : */)) return undefined;
  const at = parseIsoString(line.slice(0, timeEnd), UTC);
  if (at === undefined) return undefined;
  return { text: line.slice(tagsEnd + 1), at, partial: tag === 80 };
}

function withoutLineEnd(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end === text.length ? text : text.slice(0, end);
}
