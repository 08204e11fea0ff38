/**
 * The rules that turn an incident into a level, and the one sentence that tells a human why.
 *
 * In order (the first that applies wins):
 *  1. Not actionable → watch: below `minCount` lines, only notices/info/debug, or too little
 *     observed history before its onset (warm-up) to trust the baseline.
 *  2. A telling overflow value (≥ INT16_MAX) bursting → stop: reverting does not fix a full
 *     integer column, and more pushes only muddy the investigation.
 *  3. No deploy explains it (no deploy in reach, or onset before the deploy):
 *     widespread errors or fatals → stop; anything else → watch (nothing to revert).
 *  4. The deploy's: fatal → revert; widespread → revert; fast → revert; new (or a rise of at
 *     least `actionRatio`×) → roll-forward with a countdown, revert once it runs out;
 *     a smaller rise of an existing signature → watch.
 * The whole error rate is judged by the detector: many times baseline and not explained by the
 * deploy's bursts → stop; explained by them → at least revert.
 */
import type { Level } from '../pipeline/record.js';
import type { Incident } from './incident.js';
import type { Deploy, VerdictLevel } from './model.js';
import { surpriseOf } from './score.js';
import type { Thresholds } from './thresholds.js';

export type Rule =
  | 'not-actionable'
  | 'overflow'
  | 'widespread-no-deploy'
  | 'confined-no-deploy'
  | 'fatal'
  | 'widespread'
  | 'fast'
  | 'countdown'
  | 'roll-forward'
  | 'small-rise';

export interface Evidence {
  statistic: string;
  value: number;
  threshold: number;
}

export interface Judgement {
  level: VerdictLevel;
  rule: Rule;
  evidence: Evidence;
  /** Set on a roll-forward: when it becomes revert. */
  countdownEndsAt: number | null;
}

export interface JudgeContext {
  now: number;
  /** Event time observation began (warm-up). */
  observedFrom: number;
  thresholds: Thresholds;
}

const RANK: Readonly<Record<VerdictLevel, number>> = { ok: 0, watch: 1, 'roll-forward': 2, revert: 3, stop: 4 };

export function levelRank(level: VerdictLevel): number {
  return RANK[level];
}

const ACTIONABLE_LEVELS: readonly Level[] = ['fatal', 'error', 'warning'];

export function judgeIncident(incident: Incident, context: JudgeContext): Judgement {
  const t = context.thresholds;
  const surprise = Math.max(...incident.members.map((m) => m.burst.evidence.surprise));
  const bySurprise: Evidence = { statistic: 'poisson surprise −log10 p', value: round(surprise), threshold: round(surpriseOf(t.burstP)) };
  const share = incident.hostsTotal === 0 ? 0 : incident.hosts / incident.hostsTotal;
  const byShare: Evidence = { statistic: 'host share', value: round(share), threshold: t.widespreadShare };
  const widespread = incident.hosts >= t.widespreadMinHosts && share >= t.widespreadShare;
  const judged = (level: VerdictLevel, rule: Rule, evidence: Evidence): Judgement => ({ level, rule, evidence, countdownEndsAt: null });

  if (incident.count < t.minCount) return judged('watch', 'not-actionable', { statistic: 'lines', value: incident.count, threshold: t.minCount });
  if (!ACTIONABLE_LEVELS.includes(incident.level)) return judged('watch', 'not-actionable', bySurprise);
  const history = incident.onset - context.observedFrom;
  if (history < t.minHistoryMs) return judged('watch', 'not-actionable', { statistic: 'observed history ms', value: history, threshold: t.minHistoryMs });
  if (incident.overflow.length > 0) return judged('stop', 'overflow', { statistic: 'lines with an overflow value', value: incident.count, threshold: t.minCount });
  if (incident.deploy === null) {
    const severe = widespread && (incident.level === 'fatal' || incident.level === 'error');
    return severe ? judged('stop', 'widespread-no-deploy', byShare) : judged('watch', 'confined-no-deploy', bySurprise);
  }
  if (incident.level === 'fatal') return judged('revert', 'fatal', { statistic: 'fatal lines', value: incident.count, threshold: t.minCount });
  if (widespread) return judged('revert', 'widespread', byShare);
  if (incident.lastMinute >= t.fastPerMinute) return judged('revert', 'fast', { statistic: 'lines per minute', value: incident.lastMinute, threshold: t.fastPerMinute });
  const ratio = incident.count / Math.max(incident.expected, Number.MIN_VALUE);
  if (!incident.isNew && ratio < t.actionRatio) return judged('watch', 'small-rise', { statistic: 'ratio to baseline', value: round(ratio), threshold: t.actionRatio });
  const countdownEndsAt = incident.countdownEndsAt ?? context.now + t.countdownMs;
  if (context.now >= countdownEndsAt) {
    return { ...judged('revert', 'countdown', { statistic: 'countdown ms', value: context.now - countdownEndsAt + t.countdownMs, threshold: t.countdownMs }), countdownEndsAt };
  }
  return { ...judged('roll-forward', 'roll-forward', bySurprise), countdownEndsAt };
}

/** One sentence a human can act on. */
export function reasonFor(incident: Incident, judgement: Judgement, thresholds: Thresholds): string {
  const lead = incident.members[0]!;
  const what = incident.members.length > 1 ? `${incident.members.length} ${kindOf(incident.isNew, incident.level)}s` : `${capitalize(kindOf(lead.isNew, lead.level))} "${shortTemplate(lead.template)}"`;
  const spread = `on ${incident.hosts}/${incident.hostsTotal} hosts`;
  const since = incident.deploy === null ? 'no deploy explains it' : `since ${describeDeploy(incident.deploy)}`;
  const minutes = Math.round(thresholds.countdownMs / 60_000);
  switch (judgement.rule) {
    case 'overflow': {
      const value = incident.overflow[0]!;
      return `${value.value} (${value.name}) bursting: ${what} ${spread}, ${since}: stop pushing — an overflow is not fixed by a revert.`;
    }
    case 'widespread-no-deploy':
      return `${what} ${spread}, ${since}: stop pushing and investigate.`;
    case 'confined-no-deploy':
      return `${what} bursting ${spread}, ${since}: watch.`;
    case 'fatal':
    case 'widespread':
      return `${what} ${spread} ${since}: revert.`;
    case 'fast':
      return `${what} at ${incident.lastMinute} lines a minute ${spread} ${since}: revert.`;
    case 'countdown':
      return `${what} ${since} still going after the ${minutes}-minute countdown: revert.`;
    case 'roll-forward':
      return `${what} ${spread} ${since} (${incident.count} lines): roll forward a fix within ${minutes} minutes, or revert.`;
    case 'small-rise':
    case 'not-actionable':
      return `${what} (${incident.count} lines ${spread}) ${since}: watch.`;
  }
}

export function describeDeploy(deploy: Deploy): string {
  const version = deploy.version === undefined ? '' : ` ${deploy.version}`;
  return `deploy #${deploy.id} (${deploy.app}${version})`;
}

/** "fatal error", "warning", "new error", … */
export function kindOf(isNew: boolean, level: Level): string {
  const noun = level === 'fatal' ? 'fatal error' : level;
  return isNew ? `new ${noun}` : noun;
}

/** First line of a template, cut to fit a sentence. */
export function shortTemplate(template: string, max = 80): string {
  const first = template.split('\n', 1)[0]!;
  return first.length <= max ? first : `${first.slice(0, max - 1)}…`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
