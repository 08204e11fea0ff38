/**
 * What "normal" is for a signature at a given moment: the stretch before the deploy whose window
 * we are in (default 30 min), or, with no deploy near, the rolling stretch just before the span
 * being tested. Only observed time counts: in a run started at the end of the files the baseline
 * is short, the prior dominates the rate, and nothing looks surprising yet — that is the warm-up.
 */
import { bucketOf, type BucketSeries } from './buckets.js';
import type { Deploy } from './model.js';
import { baselineRate } from './score.js';

export interface Baseline {
  /** Event time the baseline stretch starts (after clipping to observation) and ends, ms. */
  from: number;
  to: number;
  /** Lines in the stretch. */
  count: number;
  /** Expected lines per ms, with the prior. */
  rate: number;
}

export interface BaselineSettings {
  bucketMs: number;
  baselineMs: number;
  priorCount: number;
}

/** The latest deploy whose window holds event time `at` (the deploy at `at` itself included). */
export function deployInReach(deploys: readonly Deploy[], at: number, windowMs: number): Deploy | null {
  for (let i = deploys.length - 1; i >= 0; i--) {
    const deploy = deploys[i]!;
    if (deploy.at <= at) return at < deploy.at + windowMs ? deploy : null;
  }
  return null;
}

/**
 * Baseline ending at `end` (a deploy's time, or the start of the tested span), `baselineMs` long,
 * clipped to bucket boundaries and to the time observation began.
 */
export function measureBaseline(series: BucketSeries, end: number, observedFrom: number, settings: BaselineSettings): Baseline {
  const toBucket = bucketOf(end, settings.bucketMs);
  const fromBucket = Math.max(bucketOf(end - settings.baselineMs, settings.bucketMs), bucketOf(observedFrom, settings.bucketMs));
  const to = toBucket * settings.bucketMs;
  const from = Math.max(fromBucket * settings.bucketMs, Math.min(observedFrom, to));
  const count = toBucket > fromBucket ? series.sum(fromBucket, toBucket) : 0;
  // Shorter than one bucket (observation began just before `end`) counts as one bucket long with
  // the prior: the rate stays finite, so expected counts never turn into NaN.
  return { from, to, count, rate: baselineRate(count, Math.max(to - from, settings.bucketMs), settings.priorCount) };
}
