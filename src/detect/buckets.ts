/**
 * Counts in fixed event-time buckets, kept sparse: most signatures are silent most of the time,
 * so only buckets that saw a line are stored, oldest first, and buckets older than the ring are
 * pruned. Each bucket also keeps the time of its earliest line so a burst's onset is known to
 * the millisecond, not to the bucket.
 */

/** Index of the bucket holding event time `at`. */
export function bucketOf(at: number, bucketMs: number): number {
  return Math.floor(at / bucketMs);
}

export class BucketSeries {
  /** Bucket indices, ascending. */
  private readonly indices: number[] = [];
  private readonly counts: number[] = [];
  private readonly firstAts: number[] = [];

  /** Counts one line at event time `at` in bucket `bucket`. Late lines are inserted in place. */
  add(bucket: number, at: number, count = 1): void {
    const last = this.indices.length - 1;
    // Most lines fall in the newest bucket; a late one (a host hours behind, a backfill) is found by bisection.
    const i = last >= 0 && this.indices[last]! <= bucket ? last : this.lastAtOrBefore(bucket);
    if (i >= 0 && this.indices[i] === bucket) {
      this.counts[i]! += count;
      if (at < this.firstAts[i]!) this.firstAts[i] = at;
      return;
    }
    this.indices.splice(i + 1, 0, bucket);
    this.counts.splice(i + 1, 0, count);
    this.firstAts.splice(i + 1, 0, at);
  }

  /** Position of the last stored bucket at or before `bucket`, or -1. */
  private lastAtOrBefore(bucket: number): number {
    let low = 0;
    let high = this.indices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.indices[middle]! <= bucket) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  /** Drops buckets before `firstKept`. */
  prune(firstKept: number): void {
    let drop = 0;
    while (drop < this.indices.length && this.indices[drop]! < firstKept) drop++;
    if (drop === 0) return;
    this.indices.splice(0, drop);
    this.counts.splice(0, drop);
    this.firstAts.splice(0, drop);
  }

  /** Sum of counts in buckets [from, to). */
  sum(from: number, to: number): number {
    let total = 0;
    for (let i = this.indices.length - 1; i >= 0; i--) {
      const index = this.indices[i]!;
      if (index < from) break;
      if (index < to) total += this.counts[i]!;
    }
    return total;
  }

  /** Count in one bucket. */
  at(bucket: number): number {
    return this.sum(bucket, bucket + 1);
  }

  /** Earliest line time in bucket `bucket`, or undefined when it is empty. */
  firstAt(bucket: number): number | undefined {
    for (let i = this.indices.length - 1; i >= 0; i--) {
      const index = this.indices[i]!;
      if (index === bucket) return this.firstAts[i];
      if (index < bucket) return undefined;
    }
    return undefined;
  }

  /** Dense counts for buckets [from, to), oldest first (sparklines, peak search). */
  dense(from: number, to: number): number[] {
    const out = new Array<number>(Math.max(0, to - from)).fill(0);
    for (let i = this.indices.length - 1; i >= 0; i--) {
      const index = this.indices[i]!;
      if (index < from) break;
      if (index < to) out[index - from] = this.counts[i]!;
    }
    return out;
  }

  /**
   * Highest sum of counts over `span` consecutive buckets in [from, to). Any window's stored
   * buckets fit in a window that starts at its first stored bucket, so two pointers over the
   * stored buckets find the peak without a dense copy of the range: this runs for every
   * signature and tested span every second, over a ring of hundreds of mostly empty buckets.
   */
  peakWindowSum(from: number, to: number, span: number): number {
    const { indices, counts } = this;
    let start = 0;
    while (start < indices.length && indices[start]! < from) start++;
    let end = start;
    let running = 0;
    let peak = 0;
    for (let first = start; first < indices.length && indices[first]! < to; first++) {
      const windowEnd = indices[first]! + span;
      while (end < indices.length && indices[end]! < to && indices[end]! < windowEnd) running += counts[end++]!;
      if (running > peak) peak = running;
      running -= counts[first]!;
    }
    return peak;
  }

  /** Non-empty buckets in [from, to), newest first. */
  *nonEmptyDescending(from: number, to: number): Generator<{ bucket: number; count: number; firstAt: number }> {
    for (let i = this.indices.length - 1; i >= 0; i--) {
      const index = this.indices[i]!;
      if (index < from) return;
      if (index < to) yield { bucket: index, count: this.counts[i]!, firstAt: this.firstAts[i]! };
    }
  }

  /** The oldest stored bucket, or undefined when empty. */
  get oldest(): number | undefined {
    return this.indices[0];
  }

  get isEmpty(): boolean {
    return this.indices.length === 0;
  }
}

/** Highest sum over any `span` consecutive buckets in [from, to) — what the series has done before. */
export function peakSum(series: BucketSeries, from: number, to: number, span: number): number {
  if (to <= from || span < 1) return 0;
  return series.peakWindowSum(from, to, span);
}
