/**
 * When a signature is significantly above its baseline, when that began, and whether it is still
 * going. Counts are tested over a few trailing spans that include the current partial bucket
 * (a burst is seen within seconds, not when a bucket closes) and over the time since the deploy
 * (a slow new error adds up). A span passes only when it is improbable under the baseline rate,
 * a multiple of it, and above anything the signature did in its history — a cron job's burst
 * that happened before is not news.
 */
import { bucketOf, peakSum, type BucketSeries } from './buckets.js';
import type { Baseline } from './baseline.js';
import type { Deploy } from './model.js';
import { poissonSurprise, surpriseOf } from './score.js';
import type { Thresholds } from './thresholds.js';

/** Trailing spans tested, in buckets (with the default 10 s buckets: ~10 s, ~30 s, ~2 min). */
export const TRAILING_SPANS: readonly number[] = [1, 3, 12];

/** Shortest span a count is judged over, ms: a line at exactly a bucket edge must not divide by zero. */
const MIN_SPAN_MS = 1_000;

/** The span that made a count surprising. */
export interface RiseEvidence {
  fromBucket: number;
  spanMs: number;
  count: number;
  expected: number;
  /** −log10 of the Poisson tail. */
  surprise: number;
}

export interface RiseQuery {
  series: BucketSeries;
  baseline: Baseline;
  now: number;
  /** The deploy whose window `now` is in, if any: its span is tested too. */
  deploy: Deploy | null;
  thresholds: Thresholds;
}

/** A tested span's count against its expectation, before its surprise is worked out. */
type SpanCount = Omit<RiseEvidence, 'surprise'>;

/**
 * The spans a rise is tested over, counted once: detection asks every second, for every active
 * signature, for the strongest rise at two minimum counts (a burst, then a watch), and the
 * counts and history peaks behind both answers are the same. A span's surprise (a log-gamma)
 * is worked out only for a span past the count guards: at an ordinary second none is.
 */
export class RiseSpans {
  private readonly spans: { counted: SpanCount; evidence: RiseEvidence | undefined; peak: number | undefined }[] = [];
  private readonly nowBucket: number;
  private readonly historyFrom: number;
  private readonly historyTo: number;

  constructor(private readonly query: RiseQuery) {
    const { series, baseline, now, thresholds } = query;
    this.nowBucket = bucketOf(now, thresholds.bucketMs);
    this.historyTo = bucketOf(baseline.to, thresholds.bucketMs);
    this.historyFrom = this.historyTo - Math.floor(thresholds.ringMs / thresholds.bucketMs);
    const starts = TRAILING_SPANS.map((span) => this.nowBucket - span + 1);
    if (query.deploy !== null) starts.push(bucketOf(query.deploy.at, thresholds.bucketMs));
    for (const fromBucket of new Set(starts)) {
      this.spans.push({ counted: countSpan(series, fromBucket, this.nowBucket, now, baseline.rate, thresholds.bucketMs), evidence: undefined, peak: undefined });
    }
  }

  /** The most surprising span with at least `minCount` lines passing every guard, or null. */
  strongest(minCount: number): RiseEvidence | null {
    const { series, thresholds } = this.query;
    let best: RiseEvidence | null = null;
    for (const span of this.spans) {
      const { count, expected, fromBucket } = span.counted;
      if (count < minCount || count < thresholds.minRatio * expected) continue;
      const evidence = (span.evidence ??= { ...span.counted, surprise: poissonSurprise(count, expected) });
      if (best !== null && evidence.surprise <= best.surprise) continue;
      span.peak ??= peakSum(series, Math.max(this.historyFrom, 0), this.historyTo, this.nowBucket - fromBucket + 1);
      if (count <= thresholds.peakTolerance * span.peak) continue;
      best = evidence;
    }
    return best;
  }
}

function countSpan(series: BucketSeries, fromBucket: number, nowBucket: number, now: number, rate: number, bucketMs: number): SpanCount {
  const spanMs = Math.max(MIN_SPAN_MS, now - fromBucket * bucketMs);
  return { fromBucket, spanMs, count: series.sum(fromBucket, nowBucket + 1), expected: rate * spanMs };
}

/**
 * When the burst behind `evidence` began: the first line of the earliest elevated bucket, found
 * by walking back from the tested span over elevated buckets no more than `quietMs` apart (a
 * burst's lines may be sparse; a gap longer than that is a different story).
 */
export function findOnset(series: BucketSeries, evidence: RiseEvidence, now: number, rate: number, thresholds: Thresholds, earliest: number): number {
  const { bucketMs, quietMs, elevatedP } = thresholds;
  const nowBucket = bucketOf(now, bucketMs);
  const elevatedAbove = surpriseOf(elevatedP);
  const isElevated = (count: number): boolean => poissonSurprise(count, rate * bucketMs) >= elevatedAbove;
  // In the tested span: the earliest elevated bucket, else (a slow rise) the earliest with a line.
  let onset: { bucket: number; firstAt: number } | undefined;
  let earliestInSpan: { bucket: number; firstAt: number } | undefined;
  for (const bucket of series.nonEmptyDescending(evidence.fromBucket, nowBucket + 1)) {
    earliestInSpan = bucket;
    if (isElevated(bucket.count)) onset = bucket;
  }
  onset ??= earliestInSpan;
  if (onset === undefined) return now;
  // Before it: elevated buckets no more than `quietMs` apart still belong to the same burst.
  for (const bucket of series.nonEmptyDescending(bucketOf(earliest, bucketMs), onset.bucket)) {
    if ((onset.bucket - bucket.bucket - 1) * bucketMs > quietMs) break;
    if (isElevated(bucket.count)) onset = bucket;
  }
  return Math.max(onset.firstAt, earliest);
}

/** Whether a running burst still stands out over the last `quietMs` against its frozen baseline. */
export function stillGoing(series: BucketSeries, now: number, rate: number, thresholds: Thresholds): boolean {
  const nowBucket = bucketOf(now, thresholds.bucketMs);
  const fromBucket = bucketOf(now - thresholds.quietMs, thresholds.bucketMs) + 1;
  const { count, expected } = countSpan(series, fromBucket, nowBucket, now, rate, thresholds.bucketMs);
  return count > expected && poissonSurprise(count, expected) >= surpriseOf(thresholds.continueP);
}

/** A signature's run of significantly-above-baseline activity. */
export interface Burst {
  signatureId: string;
  /** Event time of its first line, ms. */
  onset: number;
  /** Event time it was recognised, ms. */
  detectedAt: number;
  /** Baseline rate per ms frozen at detection, so the burst does not become its own baseline. */
  rate: number;
  /** The span that made it a burst. */
  evidence: RiseEvidence;
  /** Event time of its last line once it has ended, else null. */
  end: number | null;
  /** When a roll-forward on it turns into revert, once a roll-forward was given. */
  countdownEndsAt: number | null;
}
