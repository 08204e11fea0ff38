/**
 * The field names and value encodings structured logs share, whether written as JSON or as
 * logfmt: time from `ts`/`time`/`timestamp`/`@timestamp` (ISO string or epoch seconds/ms), level
 * from `level`/`severity`/`lvl`/`log.level` (word or pino number), message from `msg`/`message`,
 * host from `host`/`hostname`.
 */
import type { Level } from '../record.js';
import { parseIsoString } from './iso.js';
import { levelFromNumber, normalizeLevel } from './level.js';
import type { Zone } from './time.js';

export const TIME_KEYS: readonly string[] = ['ts', 'time', 'timestamp', '@timestamp'];
export const LEVEL_KEYS: readonly string[] = ['level', 'severity', 'lvl', 'log.level'];
export const MESSAGE_KEYS: readonly string[] = ['msg', 'message'];
export const HOST_KEYS: readonly string[] = ['host', 'hostname'];

/** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
/** The largest instant a JavaScript Date holds, in ms. */
const MAX_INSTANT = 8.64e15;

/** A time field's value (a number, or a string of an ISO time or epoch digits) in ms, or undefined. */
export function timeFromField(value: unknown, localZone: Zone): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (typeof value !== 'string') return undefined;
  if (/^\d{1,16}(?:\.\d+)?$/.test(value)) return epochMs(Number(value));
  return parseIsoString(value, localZone);
}

function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const ms = value < SECONDS_BELOW ? value * 1000 : value;
  return ms <= MAX_INSTANT ? Math.round(ms) : undefined;
}

/** A level field's value (a word, or a pino number), or undefined. */
export function levelFromField(value: unknown): Level | undefined {
  if (typeof value === 'string') return normalizeLevel(value);
  if (typeof value === 'number') return levelFromNumber(value);
  return undefined;
}
