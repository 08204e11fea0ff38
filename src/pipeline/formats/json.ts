/**
 * JSON lines (pino, bunyan, ECS, structlog, GCP), with the fields of fields.ts (and ECS's
 * `host.name`).
 */
import type { ParsedHeader } from '../record.js';
import { HOST_KEYS, LEVEL_KEYS, levelFromField, MESSAGE_KEYS, TIME_KEYS, timeFromField } from './fields.js';
import type { Zone } from './time.js';

/** `line` starts with `{`. Invalid JSON, or JSON that is not an object, is not this format. */
export function parseJsonLine(line: string, localZone: Zone): ParsedHeader | undefined {
  const record = parseJsonObject(line);
  if (record === undefined) return undefined;
  const message = firstString(record, MESSAGE_KEYS);
  return {
    at: timeFromField(first(record, TIME_KEYS), localZone),
    level: levelFromField(first(record, LEVEL_KEYS)),
    message: message ?? line,
    messageStart: message === undefined ? 0 : undefined,
    host: hostOf(first(record, HOST_KEYS)),
  };
}

/** The JSON object `line` holds; undefined for invalid JSON and for JSON that is not an object. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
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

function hostOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value !== 'object' || value === null) return undefined;
  const nested = value as Record<string, unknown>;
  const name = nested['name'] ?? nested['hostname'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}
