/**
 * JSON lines (pino, bunyan, ECS, structlog, GCP): time from `ts`/`time`/`timestamp`/`@timestamp`
 * (ISO string or epoch seconds/ms), level from `level`/`severity`/`lvl`/`log.level` (word or
 * pino number), message from `msg`/`message`, host from `host`/`hostname` (or ECS `host.name`).
 */
import type { Level, ParsedHeader } from '../record.js';
import { parseIsoString } from './iso.js';
import { levelFromNumber, normalizeLevel } from './level.js';
import type { Zone } from './time.js';

const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'log.level'];
const MESSAGE_KEYS = ['msg', 'message'];
const HOST_KEYS = ['host', 'hostname'];

/** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
/** The largest instant a JavaScript Date holds, in ms. */
const MAX_INSTANT = 8.64e15;

/** `line` starts with `{`. Invalid JSON, or JSON that is not an object, is not this format. */
export function parseJsonLine(line: string, localZone: Zone): ParsedHeader | undefined {
  const record = parseObject(line);
  if (record === undefined) return undefined;
  const message = firstString(record, MESSAGE_KEYS);
  return {
    at: timeOf(first(record, TIME_KEYS), localZone),
    level: levelOf(first(record, LEVEL_KEYS)),
    message: message ?? line,
    messageStart: message === undefined ? 0 : undefined,
    host: hostOf(first(record, HOST_KEYS)),
  };
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined; // not JSON: the caller falls back to the unknown format
  }
}

function first(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return record[key];
  return undefined;
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const value = first(record, keys);
  return typeof value === 'string' ? value : undefined;
}

function timeOf(value: unknown, localZone: Zone): number | undefined {
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

function levelOf(value: unknown): Level | undefined {
  if (typeof value === 'string') return normalizeLevel(value);
  if (typeof value === 'number') return levelFromNumber(value);
  return undefined;
}

function hostOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value !== 'object' || value === null) return undefined;
  const nested = value as Record<string, unknown>;
  const name = nested['name'] ?? nested['hostname'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}
