import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `90s`, `30m`, `1h`, `1.5h` into ms; `what` names the option in the error. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`${what}: "${text}" is not a duration; use a number with ms, s, m, h or d, e.g. 30m`);
  }
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
