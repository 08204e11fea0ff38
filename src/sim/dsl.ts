/**
 * The scenario DSL: a scenario is plain data (times, hosts, Poisson streams of messages, a cron
 * job, deploys) plus a function that states the expected verdicts from facts of the generated
 * data (when an incident's first line was written), so expectations are never typed by hand.
 */
import type { Expectation } from './expectations.js';
import type { MessageMaker } from './messages.js';
import type { Random, Weighted } from './random.js';

/** Every fixture happens on this day, so regenerating gives the same bytes. */
export const BASE_DATE = '2026-11-23';

/** Event time (ms) of `HH:MM:SS` UTC on the base date. */
export const on = (time: string): number => Date.parse(`${BASE_DATE}T${time}Z`);

export const MINUTE = 60_000;

/** A Poisson stream of log entries on some hosts between two times. */
export interface StreamSpec {
  /** Names the stream for seeding and for `Facts.firstLine`. */
  label: string;
  hosts: 'all' | readonly string[];
  from: number;
  to: number;
  perHostPerMinute: number;
  /** Seconds over which the rate climbs from zero after a host's start: an onset, not a step. */
  rampSeconds?: number;
  /** Each host starts up to this many seconds after `from`: a deploy rolling across hosts. */
  staggerSeconds?: number;
  makers: readonly Weighted<MessageMaker>[];
}

/** A cron job that runs on one host every few minutes and writes a burst of the same warnings. */
export interface CronSpec {
  label: string;
  host: string;
  everyMinutes: number;
  /** Seconds after each multiple of `everyMinutes` (UTC) that a run starts. */
  offsetSeconds: number;
  linesPerRun: number;
  spreadSeconds: number;
  makers: readonly Weighted<MessageMaker>[];
}

export interface DeploySpec {
  at: number;
  by: string;
  /** Lines of a half-synced-release warning on one host just after the deploy (ordinary noise). */
  rolloutBlips?: number;
}

export interface Facts {
  /** Event time (whole seconds, as the log shows it) of the stream's first line. */
  firstLine(label: string): number;
  /** Event time of deploy `id` (1-based). */
  deployAt(id: number): number;
}

export interface ScenarioSpec {
  name: string;
  description: string;
  /** Markdown paragraphs for the README: the story. */
  whatHappened: string;
  /** Markdown paragraphs for the README: what logwatch should show. */
  reviewerSees: string;
  seed: number;
  start: number;
  end: number;
  hostCount: number;
  app: string;
  /** Entries per host per minute of the ordinary warnings (PHP) and nginx errors. */
  noise: { phpPerHostPerMinute: number; nginxPerHostPerMinute: number };
  /** Row ids mentioned in ordinary lines; default: ordinary ids far from any integer boundary. */
  recentId?: (at: number, rng: Random) => number;
  cron?: CronSpec;
  deploys: DeploySpec[];
  incidents: StreamSpec[];
  expect(facts: Facts): Expectation[];
}

const INT32_MAX = 2147483647;

/** Ids from an ID server whose counter passes 2^31 at `crossAt`, issuing `perSecond` ids. */
export function climbingIds(crossAt: number, perSecond: number): (at: number, rng: Random) => number {
  return (at, rng) => INT32_MAX + 1 + Math.floor(((at - crossAt) / 1000) * perSecond) - rng.int(0, 2000);
}

export const hostNames = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);
