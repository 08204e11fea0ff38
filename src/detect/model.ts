/**
 * The shapes that detection produces and every sink consumes (NDJSON, WebSocket, TUI, report).
 * Typed once here; the wire events in src/pipeline/events.ts reuse them.
 */
import type { Level } from '../pipeline/record.js';

/** A value kept literal in a template because an engineer recognises it (2147483647). */
export interface Telling {
  /** The literal as it appeared, e.g. `2147483647` or `-32768`. */
  value: string;
  /** Short name, e.g. `INT32_MAX`. */
  name: string;
  /** One-line meaning, e.g. `INT32_MAX: signed 32-bit overflow`. */
  meaning: string;
}

/** Result of the pure fingerprint function. Same message, same result, in any process. */
export interface Fingerprint {
  /** Stable short id of the signature (cluster), e.g. `a1b2c3d4`. */
  id: string;
  /** Template with variable parts masked (`<NUM>`, `<IP>`, …) and telling values literal. */
  template: string;
  /** Telling values found in this message. */
  telling: Telling[];
  /** The masked values of this message, in template order (for "every line: id=…"). */
  values: string[];
}

/** A deploy marker. Ids count up from 1 in the order deploys reach the run. */
export interface Deploy {
  id: number;
  /** Event time, ms since the epoch. */
  at: number;
  app: string;
  version?: string;
  by?: string;
}

export type VerdictLevel = 'ok' | 'watch' | 'roll-forward' | 'revert' | 'stop';
export const VERDICT_LEVELS: readonly VerdictLevel[] = ['ok', 'watch', 'roll-forward', 'revert', 'stop'];

/** One signature's part in a verdict: the evidence a human checks. */
export interface VerdictSignature {
  id: string;
  template: string;
  level: Level;
  /** Count in the window being judged. */
  count: number;
  /** Expected count for the same span from the baseline. */
  baseline: number;
  /** Hosts that reported it in the window / hosts active in the window. */
  hosts: number;
  hostsTotal: number;
  new: boolean;
  telling: Telling[];
  /** Values that are the same in every line of the burst, e.g. {"table":"listings"} or {"2":"2147483647"}. */
  common: Record<string, string>;
  /** Two or three sample messages. */
  samples: string[];
}

export interface Verdict {
  /** Event time the verdict was reached, ms since the epoch. */
  at: number;
  level: VerdictLevel;
  /** One sentence a human can act on. */
  reason: string;
  attribution: 'deploy' | 'none';
  /** Id of the deploy it is attributed to, or null. */
  deploy: number | null;
  signatures: VerdictSignature[];
  evidence: { statistic: string; value: number; threshold: number };
  telling: Telling[];
  /** Incident headline when several signatures form one incident. */
  headline: string | null;
  /** Roll-forward countdown end (event time ms), else null. */
  countdownEndsAt: number | null;
  /** When the previous non-ok verdict resolved: the deploy after which its bursts ended, if any. */
  resolvedBy: number | null;
}

/** One row of the signature table (TUI, web page, /api/state). */
export interface SignatureView {
  id: string;
  template: string;
  level: Level;
  new: boolean;
  firstSeen: number;
  lastSeen: number;
  /** Count in the current window (since the last deploy, or the last window span). */
  windowCount: number;
  /** Expected count for the same span from the baseline. */
  baseline: number;
  /** windowCount / max(baseline, small prior). */
  ratio: number;
  /** Ranking score; higher is more alarming. */
  score: number;
  hosts: number;
  hostsTotal: number;
  /** Counts per bucket for the last buckets, oldest first (sparkline). */
  sparkline: number[];
  telling: Telling[];
  common: Record<string, string>;
  samples: string[];
  /** Count per host in the window (capped; the rest summed under `(other)`). */
  perHost: Record<string, number>;
}

/** Detection's whole visible state at one event time. */
export interface DetectorSnapshot {
  at: number;
  verdict: Verdict;
  deploys: Deploy[];
  signatures: SignatureView[];
  /** Total records per bucket over the ring, oldest first, the last bucket starting at `rate.end - bucketMs`. */
  rate: { bucketMs: number; end: number; counts: number[] };
  hostsTotal: number;
  /** Signatures evicted by the cap so far. */
  evicted: number;
}
