import { describe, expect, it } from 'vitest';
import type { Burst } from '../../src/detect/burst.js';
import { groupIncidents, type BurstFacts, type Incident } from '../../src/detect/incident.js';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds.js';
import { judgeIncident, reasonFor } from '../../src/detect/verdict.js';
import { HOSTS, INT32_MAX, MIN, T0 } from './detect-fixtures.js';

const DEPLOY = { id: 3, at: T0, app: 'website', version: 'abc123' };
const NOW = T0 + 2 * MIN;
const context = { now: NOW, observedFrom: T0 - 40 * MIN, thresholds: DEFAULT_THRESHOLDS };

function facts(id: string, onset: number, overrides: Partial<BurstFacts> = {}): BurstFacts {
  const burst: Burst = { signatureId: id, onset, detectedAt: onset + 5_000, rate: 1e-6, evidence: { fromBucket: 0, spanMs: 10_000, count: 5, expected: 0.01, surprise: 9 }, end: null, countdownEndsAt: null };
  return { burst, template: `tmpl ${id}`, level: 'error', isNew: true, telling: [], hosts: HOSTS.slice(0, 2), count: 10, expected: 0.1, lastMinute: 5, deploy: DEPLOY, ...overrides };
}

function incident(members: BurstFacts[]): Incident {
  return groupIncidents(members, 12, DEFAULT_THRESHOLDS)[0]!;
}

describe('incident grouping', () => {
  it('joins bursts that start together or share a telling value, and heads them with it', () => {
    const a = facts('a', T0, { telling: [INT32_MAX], hosts: HOSTS.slice(0, 6) });
    const b = facts('b', T0 + 5 * MIN, { telling: [INT32_MAX], hosts: HOSTS.slice(4, 12) });
    const c = facts('c', T0 + 10_000);
    const d = facts('d', T0 + 9 * MIN);
    const incidents = groupIncidents([d, b, c, a], 12, DEFAULT_THRESHOLDS);
    expect(incidents.map((i) => i.members.map((m) => m.burst.signatureId))).toEqual([['a', 'c', 'b'], ['d']]);
    expect(incidents[0]!.headline).toBe('2147483647 in 3 signatures on 12/12 hosts');
    expect(incidents[1]!.headline).toBeNull();
  });
});

describe('verdict rules', () => {
  it('roll-forward for a confined new error of the deploy, with a countdown', () => {
    const judged = judgeIncident(incident([facts('a', T0 + 10_000)]), context);
    expect(judged).toMatchObject({ level: 'roll-forward', countdownEndsAt: NOW + 10 * MIN });
    expect(reasonFor(incident([facts('a', T0 + 10_000)]), judged, DEFAULT_THRESHOLDS)).toBe(
      'New error "tmpl a" on 2/12 hosts since deploy #3 (website abc123) (10 lines): roll forward a fix within 10 minutes, or revert.',
    );
  });

  it('revert once the countdown has run out', () => {
    const member = facts('a', T0 + 10_000);
    member.burst.countdownEndsAt = NOW;
    expect(judgeIncident(incident([member]), context)).toMatchObject({ level: 'revert', rule: 'countdown' });
  });

  it('revert for fatal, widespread or fast bursts of the deploy', () => {
    expect(judgeIncident(incident([facts('a', T0, { level: 'fatal' })]), context).rule).toBe('fatal');
    expect(judgeIncident(incident([facts('a', T0, { hosts: HOSTS.slice(0, 7) })]), context).rule).toBe('widespread');
    expect(judgeIncident(incident([facts('a', T0, { lastMinute: 500 })]), context).rule).toBe('fast');
  });

  it('stop for widespread errors no deploy explains, watch when confined', () => {
    const wide = judgeIncident(incident([facts('a', T0, { deploy: null, hosts: HOSTS })]), context);
    expect(wide).toMatchObject({ level: 'stop', rule: 'widespread-no-deploy', evidence: { statistic: 'host share', value: 1, threshold: 0.5 } });
    expect(judgeIncident(incident([facts('a', T0, { deploy: null })]), context).level).toBe('watch');
  });

  it('stop for an overflow value bursting', () => {
    const judged = judgeIncident(incident([facts('a', T0, { deploy: null, telling: [INT32_MAX] })]), context);
    expect(judged.level).toBe('stop');
    expect(reasonFor(incident([facts('a', T0, { deploy: null, telling: [INT32_MAX] })]), judged, DEFAULT_THRESHOLDS)).toContain('2147483647 (INT32_MAX)');
  });

  it('watch below the minimum count, for notices, during warm-up, and for small rises of known errors', () => {
    expect(judgeIncident(incident([facts('a', T0, { count: 2, level: 'fatal' })]), context).level).toBe('watch');
    expect(judgeIncident(incident([facts('a', T0, { level: 'notice', hosts: HOSTS })]), context).level).toBe('watch');
    expect(judgeIncident(incident([facts('a', T0, { level: 'fatal' })]), { ...context, observedFrom: T0 - MIN }).level).toBe('watch');
    expect(judgeIncident(incident([facts('a', T0, { isNew: false, count: 20, expected: 10 })]), context).rule).toBe('small-rise');
  });
});
