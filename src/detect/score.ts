/**
 * How surprising a count is given a baseline rate: the Poisson upper tail P(X ≥ k), computed in
 * log space so a brand-new error's 1e-40 does not underflow to 0 and every burst stays
 * comparable. The baseline rate carries a prior pseudo-count, so a signature never seen before
 * has a small positive rate instead of zero (a zero rate would make any single line infinitely
 * surprising, and a short baseline would look as certain as a long one).
 */
import { gammaln } from 'simple-statistics';

/** Surprise reported when the tail is below what a double can hold (only with a zero mean). */
const MAX_SURPRISE = 300;

/** Baseline rate per ms from `count` lines over `spanMs`, with `priorCount` pseudo-lines. */
export function baselineRate(count: number, spanMs: number, priorCount: number): number {
  if (spanMs <= 0) return Number.POSITIVE_INFINITY;
  return (count + priorCount) / spanMs;
}

function logPoissonPmf(k: number, mean: number): number {
  return k * Math.log(mean) - mean - gammaln(k + 1);
}

/** Natural log of P(X ≥ k) for X ~ Poisson(mean). */
export function logPoissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 0;
  if (mean <= 0) return Number.NEGATIVE_INFINITY;
  if (!Number.isFinite(mean)) return 0;
  if (k <= mean) {
    // The tail is at least ~1/2 here: 1 − CDF loses nothing that matters. The CDF is summed down
    // from its top term, P(X ≤ k−1) = pmf(k−1) · Σ_j Π_{i<j} (k−1−i)/mean, with ratios below 1:
    // one gammaln and a short loop, however busy the signature (summing k pmfs cost k gammalns).
    const top = k - 1;
    let term = 1;
    let sum = 1;
    for (let i = 0; i < top; i++) {
      term *= (top - i) / mean;
      sum += term;
      if (term < sum * 1e-16) break;
    }
    const cdf = Math.exp(logPoissonPmf(top, mean)) * sum;
    return Math.log(Math.max(1 - cdf, Number.MIN_VALUE));
  }
  // P(X ≥ k) = pmf(k) · Σ_j Π_{i=1..j} mean/(k+i); the ratios shrink, so the sum converges fast.
  let term = 1;
  let sum = 1;
  for (let i = 1; i < 100_000; i++) {
    term *= mean / (k + i);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return logPoissonPmf(k, mean) + Math.log(sum);
}

/** P(X ≥ k) for X ~ Poisson(mean). */
export function poissonUpperTail(k: number, mean: number): number {
  return Math.exp(logPoissonUpperTail(k, mean));
}

/** −log10 P(X ≥ k): 6 means one in a million. Finite and ≥ 0 always (JSON-safe). */
export function poissonSurprise(k: number, mean: number): number {
  const log = logPoissonUpperTail(k, mean);
  if (log === Number.NEGATIVE_INFINITY) return MAX_SURPRISE;
  return Math.min(MAX_SURPRISE, Math.max(0, -log / Math.LN10));
}

/** −log10 of a probability threshold, the unit `poissonSurprise` is compared in. */
export function surpriseOf(probability: number): number {
  return -Math.log10(probability);
}
