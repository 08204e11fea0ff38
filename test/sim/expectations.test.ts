import { describe, expect, it } from 'vitest';
import type { Verdict, VerdictLevel } from '../../src/detect/model.js';
import { checkExpectations, measureLatencies, parseScenario, type Expectation, type Scenario } from '../../src/sim/expectations.js';

const T = Date.parse('2026-11-23T14:08:20Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function verdict(at: number, level: VerdictLevel, more: Partial<Verdict> = {}): Verdict {
  return {
    at, level, reason: `${level} because`, attribution: 'none', deploy: null, signatures: [],
    evidence: { statistic: 'poisson-tail', value: 1e-9, threshold: 1e-6 }, telling: [], headline: null,
    countdownEndsAt: null, resolvedBy: null, ...more,
  };
}

const INT32 = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };
const scenario = (...expectations: Expectation[]): Scenario => ({ name: 'case', description: 'd', expect: expectations });

const overflow: Verdict[] = [
  verdict(T + 10_000, 'watch'),
  verdict(T + 20_000, 'stop', {
    signatures: [{ id: 's1', template: 't', level: 'fatal', count: 40, baseline: 0, hosts: 12, hostsTotal: 12, new: true, telling: [INT32], common: {}, samples: [] }],
  }),
  verdict(T + 900_000, 'ok'),
];

describe('checkExpectations', () => {
  it('meets a verdict expectation with level, attribution, time window and a telling value from a signature', () => {
    const expected = scenario({ verdict: 'stop', attribution: 'none', between: [iso(T), iso(T + 180_000)], telling: '2147483647', incidentStart: iso(T) });
    expect(checkExpectations(expected, overflow)).toEqual([]);
  });

  it('accepts any of several levels', () => {
    expect(checkExpectations(scenario({ verdict: ['revert', 'stop'] }), overflow)).toEqual([]);
  });

  it.each<[string, Expectation]>([
    ['wrong level', { verdict: 'revert' }],
    ['too late', { verdict: 'stop', between: [iso(T), iso(T + 15_000)] }],
    ['wrong attribution', { verdict: 'stop', attribution: 'deploy' }],
    ['wrong deploy', { verdict: 'stop', deploy: 2 }],
    ['missing telling value', { verdict: 'stop', telling: '32767' }],
  ])('fails a verdict expectation: %s, showing the timeline', (_, expectation) => {
    const failures = checkExpectations(scenario(expectation), overflow);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^case expect\[0\]: expected a .* verdict.*; saw 2026-11-23T14:08:30Z watch \(none\), 2026-11-23T14:08:40Z stop \(none\), 2026-11-23T14:23:20Z ok \(none\)$/);
  });

  it('checks maxLevel over the whole run or within a window', () => {
    expect(checkExpectations(scenario({ maxLevel: 'stop' }), overflow)).toEqual([]);
    expect(checkExpectations(scenario({ maxLevel: 'watch', between: [iso(T), iso(T + 15_000)] }), overflow)).toEqual([]);
    expect(checkExpectations(scenario({ maxLevel: 'watch' }), overflow)).toEqual([
      'case expect[0]: expected nothing above watch; saw 2026-11-23T14:08:40Z stop (none): stop because',
    ]);
  });

  it('meets maxLevel on an empty timeline and fails a verdict expectation there', () => {
    expect(checkExpectations(scenario({ maxLevel: 'ok' }, { verdict: 'ok' }), [])).toEqual([
      'case expect[1]: expected a ok verdict; saw no verdicts',
    ]);
  });

  describe('resolved', () => {
    const fixed: Verdict[] = [
      verdict(T, 'roll-forward', { attribution: 'deploy', deploy: 1 }),
      verdict(T + 60_000, 'revert', { attribution: 'deploy', deploy: 1 }),
      verdict(T + 400_000, 'watch', { resolvedBy: 2 }),
      verdict(T + 700_000, 'ok', { resolvedBy: 3 }),
    ];

    it('meets resolution, with or without the deploy that resolved it', () => {
      expect(checkExpectations(scenario({ resolved: true }, { resolved: true, resolvedBy: 2 }, { resolved: true, resolvedBy: 3 }), fixed)).toEqual([]);
    });

    it('fails when another deploy is credited', () => {
      expect(checkExpectations(scenario({ resolved: true, resolvedBy: 4 }), fixed)).toEqual([
        'case expect[0]: expected resolution by deploy #4; after the last action saw 2026-11-23T14:15:00Z watch (none) resolvedBy #2, 2026-11-23T14:20:00Z ok (none) resolvedBy #3',
      ]);
    });

    it('fails when the run ends in action or never acted', () => {
      expect(checkExpectations(scenario({ resolved: true }), fixed.slice(0, 2))).toEqual([
        'case expect[0]: expected the revert verdict to resolve; the run ends at 2026-11-23T14:09:20Z revert (deploy #1)',
      ]);
      expect(checkExpectations(scenario({ resolved: true }), [verdict(T, 'watch')])[0]).toMatch(/none reached roll-forward/);
    });

    it('fails when the run falls back and then acts again without resolving', () => {
      const again = [...fixed, verdict(T + 800_000, 'revert', { attribution: 'deploy', deploy: 3 })];
      expect(checkExpectations(scenario({ resolved: true }), again)[0]).toMatch(/the run ends at 2026-11-23T14:21:40Z revert \(deploy #3\)$/);
    });
  });

  it('sorts verdicts by time before judging', () => {
    const shuffled = [verdict(T + 10, 'ok', { resolvedBy: 2 }), verdict(T, 'revert', { attribution: 'deploy', deploy: 1 })];
    expect(checkExpectations(scenario({ resolved: true, resolvedBy: 2 }), shuffled)).toEqual([]);
  });
});

describe('measureLatencies', () => {
  it('measures from incidentStart to the first matching verdict, null when unmet', () => {
    const expected = scenario(
      { verdict: 'stop', incidentStart: iso(T) },
      { maxLevel: 'stop' },
      { verdict: 'revert', incidentStart: iso(T) },
      { verdict: 'watch' },
    );
    expect(measureLatencies(expected, overflow)).toEqual([
      { expectation: 0, incidentStart: T, detectedAt: T + 20_000, latencyMs: 20_000 },
      { expectation: 2, incidentStart: T, detectedAt: null, latencyMs: null },
    ]);
  });
});

describe('parseScenario', () => {
  it('accepts the whole vocabulary', () => {
    const text = JSON.stringify({
      name: 'n', description: 'd', seed: 7,
      expect: [
        { verdict: ['roll-forward', 'revert'], attribution: 'deploy', deploy: 1, between: [iso(T), iso(T + 1)], telling: '2147483647', incidentStart: iso(T), why: 'w' },
        { maxLevel: 'watch', between: [iso(T), iso(T)] },
        { resolved: true, resolvedBy: 2 },
      ],
    });
    expect(parseScenario(text)).toMatchObject({ scenario: { name: 'n', seed: 7 } });
  });

  it.each([
    [{ expect: [] }, /^name: /],
    [{ name: 'n', description: 'd', expect: [{ verdict: 'panic' }] }, /^expect\.0\.verdict: expected a level or a list of levels \(ok, watch, roll-forward, revert, stop\)$/],
    [{ name: 'n', description: 'd', expect: [{ maxLevel: 'watch' }, { maxLevel: 'high' }] }, /^expect\.1\.maxLevel: expected one of ok, watch/],
    [{ name: 'n', description: 'd', expect: [{ verdict: 'stop', between: [iso(T + 1), iso(T)] }] }, /^expect\.0\.between: the first time must not be after the second$/],
    [{ name: 'n', description: 'd', expect: [{ verdict: 'stop', between: ['today', iso(T)] }] }, /^expect\.0\.between\.0: /],
    [{ name: 'n', description: 'd', expect: [{ verdict: 'stop', telling: 2147483647 }] }, /^expect\.0\.telling: /],
    [{ name: 'n', description: 'd', expect: [{ resolved: false }] }, /^expect\.0\.resolved: /],
    [{ name: 'n', description: 'd', expect: [{ maxLevel: 'ok', colour: 'red' }] }, /^expect\.0: Unrecognized key: "colour"$/],
    [{ name: 'n', description: 'd', expect: [{ level: 'ok' }] }, /^expect\.0: an expectation has one of "verdict", "maxLevel" or "resolved"$/],
  ])('rejects %j naming the field', (value, message) => {
    const parsed = parseScenario(JSON.stringify(value));
    expect('error' in parsed ? parsed.error : 'accepted').toMatch(message);
  });
});
