/**
 * The known-signature catalog as detection holds it: every id seen, this run or a previous one
 * (loaded as data), with its template, first and last sighting and line count. A signature is
 * new only when it is absent from here (DESIGN "Windows, baselines, scores"). Capped: past the
 * cap the least recently seen are dropped, so a flood of distinct messages cannot grow it.
 */

export interface KnownSignature {
  id: string;
  template: string;
  /** Event time, ms since the epoch. */
  firstSeen: number;
  lastSeen: number;
  count: number;
}

/** Entries kept by default: a catalog file stays around a few MB. */
export const DEFAULT_CATALOG_CAP = 20_000;
/** The map may overshoot the cap by this share before it is trimmed, so trimming (a sort) is rare. */
const TRIM_SLACK = 0.25;

export class KnownSignatures {
  private readonly entries = new Map<string, KnownSignature>();
  /** Whether a previous run left entries: then absence means new from the first second. */
  readonly hasHistory: boolean;

  constructor(loaded: readonly KnownSignature[] = [], private readonly cap: number = DEFAULT_CATALOG_CAP) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`catalog cap must be a positive integer, got ${cap}`);
    for (const entry of loaded) this.entries.set(entry.id, { ...entry });
    this.hasHistory = this.entries.size > 0;
    this.trimTo(cap);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Counts one line of signature `id` seen at `at`. */
  note(id: string, template: string, at: number): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      entry.count++;
      if (at > entry.lastSeen) entry.lastSeen = at;
      if (at < entry.firstSeen) entry.firstSeen = at;
      return;
    }
    this.entries.set(id, { id, template, firstSeen: at, lastSeen: at, count: 1 });
    if (this.entries.size > this.cap * (1 + TRIM_SLACK)) this.trimTo(this.cap);
  }

  /** What to save: at most the cap, most recently seen first (copies). */
  list(): KnownSignature[] {
    return mostRecent([...this.entries.values()], this.cap).map((entry) => ({ ...entry }));
  }

  private trimTo(cap: number): void {
    if (this.entries.size <= cap) return;
    const kept = mostRecent([...this.entries.values()], cap);
    this.entries.clear();
    for (const entry of kept) this.entries.set(entry.id, entry);
  }
}

/**
 * Ties in time go by id, compared by code unit: ids are hex, where that is the order
 * `localeCompare` gives, at a fraction of its cost (a flood of new signatures trims often).
 */
function mostRecent(entries: KnownSignature[], cap: number): KnownSignature[] {
  return entries.sort((a, b) => b.lastSeen - a.lastSeen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, cap);
}
