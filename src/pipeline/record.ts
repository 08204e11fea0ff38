import type { Fingerprint } from '../detect/model.js';

/** Normalized severity, most severe first. */
export type Level = 'fatal' | 'error' | 'warning' | 'notice' | 'info' | 'debug';
export const LEVELS: readonly Level[] = ['fatal', 'error', 'warning', 'notice', 'info', 'debug'];

/** What header parsing finds in one record's first line. */
export interface ParsedHeader {
  /** Event time in ms since the epoch, or undefined when the line carries none. */
  at: number | undefined;
  level: Level | undefined;
  /** The message after the header (the whole line for unknown formats). */
  message: string;
  /**
   * Where the message starts in the line when it is the rest of the line (`line.slice(messageStart)`):
   * then the fingerprint reads the line in place. Undefined when the message is made (a JSON field).
   */
  messageStart: number | undefined;
  /** Host named inside the line (syslog HOSTNAME, JSON `host`), if any. */
  host: string | undefined;
}

/** One log record: a line plus its continuation lines (stack traces), with its header parsed. */
export interface LogRecord {
  /** Event time, ms since the epoch. */
  at: number;
  /** False when the line had no parseable time and arrival time was used instead. */
  timeFromLine: boolean;
  /** Normalized level; lines without one count as `error` (we tail error logs). */
  level: Level;
  host: string;
  source: string;
  /** First-line message plus continuation lines, joined by `\n`. */
  message: string;
}

/** A record with its signature: what detection consumes. */
export interface SignedRecord extends LogRecord {
  fingerprint: Fingerprint;
}
