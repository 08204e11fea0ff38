/**
 * Pure text formatting for the TUI: durations, ages, counts, ratios, deploys. Every time shown is
 * a difference on the pipeline's event clock (snapshot.at), never wall time, so replays read right.
 */
import type { Deploy } from '../detect/model.js';
import { displayText } from './display-text.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `45s`, `3m 12s`, `2h 5m`, `3d 4h`: two units at most, because more is noise at a glance. */
export function formatDuration(ms: number): string {
  const clamped = Math.max(0, Math.floor(ms));
  if (clamped < MINUTE) return `${Math.floor(clamped / SECOND)}s`;
  if (clamped < HOUR) return twoUnits(clamped, MINUTE, 'm', SECOND, 's');
  if (clamped < DAY) return twoUnits(clamped, HOUR, 'h', MINUTE, 'm');
  return twoUnits(clamped, DAY, 'd', HOUR, 'h');
}

function twoUnits(ms: number, big: number, bigUnit: string, small: number, smallUnit: string): string {
  const whole = Math.floor(ms / big);
  const rest = Math.floor((ms % big) / small);
  return rest === 0 ? `${whole}${bigUnit}` : `${whole}${bigUnit} ${rest}${smallUnit}`;
}

/** One unit only (`45s`, `3m`, `2h`, `4d`), for narrow table columns. */
export function formatAgeShort(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < MINUTE) return `${Math.floor(clamped / SECOND)}s`;
  if (clamped < HOUR) return `${Math.floor(clamped / MINUTE)}m`;
  if (clamped < DAY) return `${Math.floor(clamped / HOUR)}h`;
  return `${Math.floor(clamped / DAY)}d`;
}

/** Integers as they are up to 9999, then `12k`, `1.2M`: a table column stays narrow. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  const rounded = Math.round(n);
  if (Math.abs(rounded) < 10_000) return String(rounded);
  return withSuffix(rounded);
}

function withSuffix(n: number): string {
  const units: Array<[number, string]> = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, suffix] of units) {
    if (Math.abs(n) >= size) {
      const scaled = n / size;
      return `${Math.abs(scaled) < 10 ? scaled.toFixed(1) : Math.round(scaled)}${suffix}`;
    }
  }
  return String(n);
}

/** Expected counts are often fractional (0.4 lines per window): one decimal below 10. */
export function formatBaseline(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n === 0) return '0';
  if (Math.abs(n) < 10) return n.toFixed(1);
  return formatCount(n);
}

/** `×0.5`, `×3.2`, `×12`, `×1.2k`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '×∞';
  if (ratio < 10) return `×${ratio.toFixed(1)}`;
  return `×${formatCount(ratio)}`;
}

/** Lines per second: one decimal while small so a trickle does not read as zero. */
export function formatRate(perSecond: number): string {
  if (perSecond > 0 && perSecond < 10) return perSecond.toFixed(1);
  return formatCount(perSecond);
}

/** `#3 website abc123 by sam`; deploy fields arrive over the network, so they are escaped. */
export function formatDeploy(deploy: Deploy): string {
  const parts = [`#${deploy.id}`, displayText(deploy.app)];
  if (deploy.version !== undefined) parts.push(displayText(deploy.version));
  if (deploy.by !== undefined) parts.push(`by ${displayText(deploy.by)}`);
  return parts.join(' ');
}

/** The most recent deploy by event time (ids follow arrival, which may differ in replays). */
export function lastDeploy(deploys: readonly Deploy[]): Deploy | undefined {
  let latest: Deploy | undefined;
  for (const deploy of deploys) {
    if (latest === undefined || deploy.at >= latest.at) latest = deploy;
  }
  return latest;
}
