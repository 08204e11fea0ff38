/**
 * Every number detection decides with, in one place: each a named field with its unit and why
 * it has that value. The config file's `thresholds` object overrides any of them.
 */

export interface Thresholds {
  /** Bucket width, ms. 10 s: fine enough to see a burst start, coarse enough to keep the ring small. */
  bucketMs: number;
  /** Bucket history kept per signature, ms. 1 h: a 30 min baseline plus a full deploy window and room for an hourly cron. */
  ringMs: number;
  /** Deploy window, ms. 10 min: bursts starting this long after a deploy are blamed on it. */
  windowMs: number;
  /** Baseline span, ms. 30 min before the deploy (or before the tested span when no deploy is near). */
  baselineMs: number;
  /** Roll-forward countdown, ms. 10 min to ship a fix before the verdict becomes revert. */
  countdownMs: number;
  /** Minimum lines before a burst may ask for action, so a single line never escalates. */
  minCount: number;
  /** Poisson tail probability below which a count is a burst. 1e-6: many signatures are tested every second, so one in a million keeps clean runs clean. */
  burstP: number;
  /** Tail probability below which a signature is merely "rising" (watch); strict enough that ordinary noise rarely reaches it. */
  watchP: number;
  /** Tail probability over the last `quietMs` that keeps a running burst alive. Lenient: ending is cheap to get wrong by a few seconds. */
  continueP: number;
  /** One-bucket tail probability that marks a bucket as part of a burst when searching back for its onset. */
  elevatedP: number;
  /** A burst needs at least this many times its expected count: guards against slow drifts in busy signatures. */
  minRatio: number;
  /** An existing (not new) signature needs this many times its expected count to ask for action. */
  actionRatio: number;
  /** A count must exceed this many times the highest same-length count in the signature's history (a cron burst repeats; it is not news). */
  peakTolerance: number;
  /** Prior pseudo-count for the baseline rate (Jeffreys' 0.5): a never-seen signature gets a small positive rate, not zero. */
  priorCount: number;
  /** Silence after which a burst has ended, ms; also the gap allowed between a burst's lines. */
  quietMs: number;
  /** Bursts whose onsets are this close form one incident, ms. */
  togetherMs: number;
  /** Share of active hosts that makes a burst widespread (revert if the deploy's, stop if nobody's). */
  widespreadShare: number;
  /** A burst needs this many hosts to be widespread: on a one-host site every error is "everywhere". */
  widespreadMinHosts: number;
  /** Lines per minute that make a deploy's burst "fast" (revert without waiting). */
  fastPerMinute: number;
  /** Whole error rate this many times baseline means the site is badly broken. */
  stopRateRatio: number;
  /** ...and at least this many lines in the last minute, so a quiet site's 1 → 10 lines is not a stop. */
  stopRateMinPerMinute: number;
  /** Telling values at least this large (absolute) mean an overflow when they burst (INT16 and up; 127/255 are too common in ordinary text). */
  overflowMin: number;
  /** A signature is only "new" when it first appears this long after observation began, ms (before that we cannot know). */
  newAfterMs: number;
  /** Observed history needed before a burst may ask for more than watch, ms. */
  minHistoryMs: number;
  /** A deploy this soon after a burst's last line still counts as what resolved it, ms (markers are often sent once the push is done). */
  resolveGraceMs: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  bucketMs: 10_000,
  ringMs: 3_600_000,
  windowMs: 600_000,
  baselineMs: 1_800_000,
  countdownMs: 600_000,
  minCount: 3,
  burstP: 1e-6,
  watchP: 1e-5,
  continueP: 1e-3,
  elevatedP: 1e-3,
  minRatio: 2,
  actionRatio: 3,
  peakTolerance: 1.5,
  priorCount: 0.5,
  quietMs: 90_000,
  togetherMs: 30_000,
  widespreadShare: 0.5,
  widespreadMinHosts: 2,
  fastPerMinute: 120,
  stopRateRatio: 10,
  stopRateMinPerMinute: 60,
  overflowMin: 32_767,
  newAfterMs: 1_800_000,
  minHistoryMs: 300_000,
  resolveGraceMs: 60_000,
});

/** Bounds on maps keyed by input (DESIGN "Bounded memory"). */
export interface DetectorCaps {
  /** Signatures tracked; beyond it the least recently active one not bursting is evicted (counted). */
  maxSignatures: number;
  /** Hosts tracked per signature; the rest are counted under `(other)`. */
  maxHostsPerSignature: number;
  /** Sample messages per signature: the first one and the latest few. */
  samplesPerSignature: number;
  /** Hosts tracked overall; beyond it the longest silent host is forgotten. */
  maxHosts: number;
}

export const DEFAULT_CAPS: Readonly<DetectorCaps> = Object.freeze({
  maxSignatures: 5_000,
  maxHostsPerSignature: 256,
  samplesPerSignature: 5,
  maxHosts: 4_096,
});

/** Defaults overlaid with the caller's values; rejects values that would break the arithmetic. */
export function resolveThresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  const merged: Thresholds = { ...DEFAULT_THRESHOLDS, ...definedOnly(overrides) };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`threshold ${key} must be a finite number ≥ 0, got ${value}`);
  }
  if (merged.bucketMs < 1) throw new RangeError('threshold bucketMs must be at least 1 ms');
  if (merged.ringMs < merged.baselineMs + merged.windowMs) {
    throw new RangeError('threshold ringMs must cover baselineMs + windowMs');
  }
  return merged;
}

export function resolveCaps(overrides: Partial<DetectorCaps> = {}): DetectorCaps {
  const merged: DetectorCaps = { ...DEFAULT_CAPS, ...definedOnly(overrides) };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`cap ${key} must be a positive integer, got ${value}`);
  }
  return merged;
}

function definedOnly<T extends object>(values: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
