/**
 * What detection remembers about one signature: bucket counts, per-host counts (capped), a few
 * samples (capped), the values every line agreed on, and each numeric slot's maximum so a climb
 * across an integer boundary is caught before any error mentions it.
 */
import { LEVELS, type Level, type SignedRecord } from '../pipeline/record.js';
import { BucketSeries } from './buckets.js';
import type { Telling } from './model.js';
import { crossesIntegerBoundary, TELLING_VALUES } from './telling.js';

/** Hosts past the per-signature cap are counted together under this name. */
export const OTHER_HOSTS = '(other)';

/** Numeric slots watched for a climb per signature; later slots are rarely ids. */
const MAX_WATCHED_SLOTS = 16;

/** Integers this long still fit a double exactly; longer ones are compared as bigint. */
const SAFE_DIGITS = 15;

export interface HostActivity {
  lastAt: number;
  series: BucketSeries;
}

/** A numeric slot that climbed past a type maximum. */
export interface Climb {
  slot: number;
  at: number;
  telling: Telling;
}

export interface SignatureLimits {
  maxHosts: number;
  samples: number;
  /** Smallest type maximum a climb is flagged for. */
  overflowMin: number;
}

export class SignatureState {
  readonly series = new BucketSeries();
  readonly hosts = new Map<string, HostActivity>();
  readonly climbs: Climb[] = [];
  level: Level;
  /** The bucket of the last record taken in: the detector moves a signature to the end of its activity order when this changes. */
  lastBucket: number | undefined;
  /** Stamp of its latest entry in the detector's activity order (older entries are stale). */
  activityStamp = 0;
  firstSeen: number;
  lastSeen: number;
  private readonly fingerprintTelling = new Map<string, Telling>();
  private firstSample: string | undefined;
  /** The latest samples after the first, a ring: `nextSample` is where the next one goes (the oldest once full). */
  private readonly latestSamples: string[] = [];
  private nextSample = 0;
  /** The host of the last record and its entry: a batch from one file is one host's lines in a row. */
  private lastHost: string | undefined;
  private lastHostActivity: HostActivity | undefined;
  /** Per value position: the value every line so far had there, or null once two differed. */
  private common: (string | null)[] | undefined;
  private readonly slots: (SlotTrend | undefined)[] = [];

  constructor(
    readonly id: string,
    readonly template: string,
    readonly isNew: boolean,
    first: SignedRecord,
    private readonly limits: SignatureLimits,
  ) {
    this.level = first.level;
    this.firstSeen = first.at;
    this.lastSeen = first.at;
  }

  /** Counts one record into bucket `bucket`. */
  add(record: SignedRecord, bucket: number): void {
    this.series.add(bucket, record.at);
    if (record.at > this.lastSeen) this.lastSeen = record.at;
    if (record.at < this.firstSeen) this.firstSeen = record.at;
    if (record.level !== this.level && LEVELS.indexOf(record.level) < LEVELS.indexOf(this.level)) this.level = record.level;
    this.addHost(record.host, bucket, record.at);
    // An index loop: most lines share one frozen empty array, on which `for…of` allocates an iterator per record.
    const telling = record.fingerprint.telling;
    for (let i = 0; i < telling.length; i++) this.fingerprintTelling.set(telling[i]!.value, telling[i]!);
    this.addSample(record.message);
    this.foldCommon(record.fingerprint.values);
    this.watchClimbs(record.fingerprint.values, record.at);
  }

  /** Telling values in the template plus those its numeric slots climbed past. */
  get telling(): Telling[] {
    const all = new Map(this.fingerprintTelling);
    for (const climb of this.climbs) if (!all.has(climb.telling.value)) all.set(climb.telling.value, climb.telling);
    return [...all.values()];
  }

  /** The first sample and the latest ones, oldest first, at most `count`. */
  samples(count: number): string[] {
    if (this.firstSample === undefined || count <= 0) return [];
    const ring = this.latestSamples;
    const inOrder = ring.length < this.limits.samples - 1 ? ring : [...ring.slice(this.nextSample), ...ring.slice(0, this.nextSample)];
    const latest = count > 1 ? inOrder.slice(-(count - 1)) : [];
    return [this.firstSample, ...latest];
  }

  /** Values that were the same in every line, keyed by the word before them in the template, else by position. */
  commonValues(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.common === undefined) return out;
    const labels = slotLabels(this.template, this.common.length);
    this.common.forEach((value, i) => {
      if (value !== null) out[labels[i]!] = value;
    });
    return out;
  }

  /** Hosts that logged this signature at or after `since`. */
  hostsSince(since: number): string[] {
    const out: string[] = [];
    for (const [host, activity] of this.hosts) if (activity.lastAt >= since) out.push(host);
    return out;
  }

  private addHost(host: string, bucket: number, at: number): void {
    let activity = this.lastHostActivity;
    if (host !== this.lastHost || activity === undefined) {
      activity = this.hosts.get(host) ?? this.newHostActivity(host, at);
      this.lastHost = host;
      this.lastHostActivity = activity;
    }
    activity.series.add(bucket, at);
    if (at > activity.lastAt) activity.lastAt = at;
  }

  /** A host not seen before gets its own entry while there is room, else shares `(other)`. */
  private newHostActivity(host: string, at: number): HostActivity {
    const key = this.hosts.size < this.limits.maxHosts ? host : OTHER_HOSTS;
    let activity = this.hosts.get(key);
    if (activity === undefined) {
      activity = { lastAt: at, series: new BucketSeries() };
      this.hosts.set(key, activity);
    }
    return activity;
  }

  private addSample(message: string): void {
    if (this.firstSample === undefined) {
      this.firstSample = message;
      return;
    }
    const room = this.limits.samples - 1;
    if (room <= 0) return;
    this.latestSamples[this.nextSample] = message;
    this.nextSample = (this.nextSample + 1) % room;
  }

  private foldCommon(values: readonly string[]): void {
    if (this.common === undefined) {
      this.common = [...values];
      return;
    }
    const common = this.common;
    for (let i = 0; i < common.length; i++) {
      if (common[i] !== null && common[i] !== values[i]) common[i] = null;
    }
  }

  private watchClimbs(values: readonly string[], at: number): void {
    const slots = Math.min(values.length, MAX_WATCHED_SLOTS);
    for (let slot = 0; slot < slots; slot++) {
      const value = values[slot]!;
      const numeric = integerValue(value);
      if (numeric === undefined) continue;
      const trend = this.slots[slot];
      if (trend === undefined) {
        this.slots[slot] = { max: numeric, last: numeric, seen: 1, ups: 0 };
        continue;
      }
      trend.seen++;
      if (isGreater(numeric, trend.last)) trend.ups++;
      trend.last = numeric;
      if (!isGreater(numeric, trend.max)) continue;
      const previous = trend.max;
      trend.max = numeric;
      if (!isClimbing(trend)) continue;
      const telling = crossesIntegerBoundary(previous, value);
      if (telling !== undefined && isOverflowLimit(telling, this.limits.overflowMin) && !this.climbs.some((c) => c.slot === slot && c.telling.name === telling.name)) {
        this.climbs.push({ slot, at, telling });
      }
    }
  }
}

/** A numeric slot's running maximum and how steadily it rises. */
interface SlotTrend {
  max: number | bigint;
  last: number | bigint;
  seen: number;
  ups: number;
}

/** Values before a slot counts as a counter; and the share of rises that makes it one (ids rise, random numbers do not). */
const CLIMB_MIN_VALUES = 3;
const CLIMB_MIN_UP_SHARE = 0.8;

function isClimbing(trend: SlotTrend): boolean {
  return trend.seen >= CLIMB_MIN_VALUES && trend.ups >= CLIMB_MIN_UP_SHARE * (trend.seen - 1);
}

/** Only type maximums at or past `overflowMin` are worth a flag (a slot passing 255 is ordinary). */
function isOverflowLimit(telling: Telling, overflowMin: number): boolean {
  const limit = TELLING_VALUES.find((t) => t.name === telling.name)?.value;
  return limit !== undefined && Number(limit) >= overflowMin;
}

/**
 * `-?` and 1–40 ASCII digits as a number (a bigint past SAFE_DIGITS); a character loop, as this
 * runs per value per line, which also adds up the digits (exact up to SAFE_DIGITS) so a short
 * one needs no second parse.
 */
function integerValue(value: string): number | bigint | undefined {
  const from = value.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const digits = value.length - from;
  if (digits < 1 || digits > 40) return undefined;
  let sum = 0;
  for (let i = from; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    sum = sum * 10 + digit;
  }
  if (digits > SAFE_DIGITS) return BigInt(value);
  return from === 1 ? -sum : sum;
}

function isGreater(a: number | bigint, b: number | bigint): boolean {
  return typeof a === typeof b ? a > b : BigInt(a) > BigInt(b);
}

/**
 * A label per value position: the key a placeholder follows (`table=<*>` → `table`), else the
 * position. Only trusted when the template has exactly one placeholder per value.
 */
function slotLabels(template: string, count: number): string[] {
  const positions = [...template.matchAll(/<[A-Za-z0-9_*]{1,16}>/g)];
  const byIndex = Array.from({ length: count }, (_, i) => String(i));
  if (positions.length !== count) return byIndex;
  const labels = positions.map((match, i) => {
    const before = template.slice(0, match.index);
    const key = /([A-Za-z_][\w.-]{0,40})\s*[=:]\s*['"]?$/.exec(before)?.[1];
    return key ?? String(i);
  });
  return new Set(labels).size === labels.length ? labels : byIndex;
}

/** Drops bucket history before `firstKept` (the ring's start) from the signature and its hosts. */
export function pruneSignature(signature: SignatureState, firstKept: number): void {
  const oldest = signature.series.oldest;
  if (oldest === undefined || oldest >= firstKept) return;
  signature.series.prune(firstKept);
  for (const activity of signature.hosts.values()) activity.series.prune(firstKept);
}
