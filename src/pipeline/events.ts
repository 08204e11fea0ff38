/**
 * The NDJSON events of `--json` and the WebSocket feed (DESIGN "NDJSON events"). Fields may be
 * added; none may be renamed or removed without a protocol version bump.
 */
import type { FirstSighting } from '../detect/detector.js';
import type { Deploy, Verdict, VerdictSignature } from '../detect/model.js';

export interface DeployEvent extends Omit<Deploy, 'at'> {
  type: 'deploy';
  at: string;
}

/** First time a signature is seen in this run. */
export interface SignatureEvent extends Omit<FirstSighting, 'at'> {
  type: 'signature';
  at: string;
}

export interface VerdictEvent extends Omit<Verdict, 'at' | 'signatures'> {
  type: 'verdict';
  at: string;
  signatures: VerdictSignature[];
}

export interface StatsEvent {
  type: 'stats';
  at: string;
  lines: number;
  records: number;
  dropped: number;
  truncated: number;
  signatures: number;
  hosts: number;
  files: number;
  /** Records without a parseable time (arrival time used). */
  untimed: number;
  /** Records whose time was too far ahead of their arrival (live), counted at their arrival instead. */
  ahead: number;
  /** Signatures evicted by the cap. */
  evicted: number;
  /** First sightings not sent as `signature` events while a flood of new signatures throttled them. */
  unannounced: number;
  errors: number;
}

export interface SummaryEvent {
  type: 'summary';
  at: string;
  /** Highest verdict level reached. */
  worst: Verdict['level'];
  verdicts: number;
  deploys: number;
  records: number;
  signatures: number;
}

export type LogwatchEvent = DeployEvent | SignatureEvent | VerdictEvent | StatsEvent | SummaryEvent;

export const isoTime = (ms: number): string => new Date(ms).toISOString();
